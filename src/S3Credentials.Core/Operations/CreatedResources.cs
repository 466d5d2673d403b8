using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// What one call has made so far, each with how to undo it. When a later step fails (or is cancelled, or the
    /// user declines it), everything is undone in reverse order, so nothing is left half-made.
    /// </summary>
    public sealed class CreatedResources
    {
        private readonly List<(string Description, Func<CancellationToken, Task> Undo)> _made = new List<(string, Func<CancellationToken, Task>)>();
        private readonly object _gate = new object();

        /// <summary>
        /// How long one undo or clean-up may take. It runs on a token of its own, since it must still happen when the
        /// caller's token is cancelled (Ctrl+C); every rollback and stray-key or read-back check of the operations uses it.
        /// </summary>
        public static readonly TimeSpan UndoTimeout = TimeSpan.FromSeconds(60);

        public int Count { get { lock (_gate) return _made.Count; } }

        public void Add(string description, Func<CancellationToken, Task> undo)
        {
            lock (_gate) _made.Add((description, undo));
        }

        /// <summary>Undoes everything, newest first, ignoring the caller's cancellation. Returns what could not be undone.</summary>
        public async Task<IReadOnlyList<string>> RollBackAsync(IOperationHost host)
        {
            List<(string Description, Func<CancellationToken, Task> Undo)> made;
            lock (_gate)
            {
                made = new List<(string, Func<CancellationToken, Task>)>(_made);
                _made.Clear();
            }
            var leftovers = new List<string>();
            for (var i = made.Count - 1; i >= 0; i--)
            {
                try
                {
                    using (var timeout = new CancellationTokenSource(UndoTimeout))
                        await made[i].Undo(timeout.Token).ConfigureAwait(false);
                    host.Verbose("Rolled back: " + made[i].Description + ".");
                }
                catch (Exception e)
                {
                    leftovers.Add(made[i].Description);
                    host.Warning($"Could not roll back {made[i].Description}: {ErrorDescription.Describe(e).Message} Remove it by hand.");
                }
            }
            return leftovers;
        }
    }
}
