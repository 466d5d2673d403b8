using System;
using System.Threading;
using System.Threading.Tasks;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// How long to keep trying while AWS has not yet propagated something new (a role to STS, a key to S3):
    /// exponential backoff from <see cref="FirstDelay"/> up to <see cref="MaxDelay"/>, giving up after <see cref="Timeout"/>.
    /// </summary>
    public sealed class PropagationTiming
    {
        public PropagationTiming(TimeSpan firstDelay, TimeSpan maxDelay, TimeSpan timeout)
        {
            FirstDelay = firstDelay;
            MaxDelay = maxDelay;
            Timeout = timeout;
        }

        /// <summary>New access keys: S3 usually accepts them within 10-15 s.</summary>
        public static PropagationTiming AccessKey { get; } = new PropagationTiming(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(30));

        /// <summary>New or changed roles: STS usually accepts them within 10-30 s.</summary>
        public static PropagationTiming Role { get; } = new PropagationTiming(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));

        public TimeSpan FirstDelay { get; }
        public TimeSpan MaxDelay { get; }
        public TimeSpan Timeout { get; }

        /// <summary>
        /// Calls <paramref name="attempt"/> until it returns true, waiting between tries; false when the time is up.
        /// </summary>
        public async Task<bool> RetryAsync(Func<int, Task<bool>> attempt, CancellationToken cancellationToken)
        {
            var started = DateTime.UtcNow;
            var delay = FirstDelay;
            for (var number = 1; ; number++)
            {
                if (await attempt(number).ConfigureAwait(false))
                    return true;
                if (DateTime.UtcNow - started + delay > Timeout)
                    return false;
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
            }
        }
    }
}
