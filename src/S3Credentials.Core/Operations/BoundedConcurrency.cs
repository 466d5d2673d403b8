using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Iam;

namespace S3Credentials.Core.Operations
{
    /// <summary>The outcome of one item of a bulk operation: a value, or the error that item hit.</summary>
    public sealed class ItemResult<TInput, TOutput>
    {
        public ItemResult(TInput input, TOutput value, Exception error)
        {
            Input = input;
            Value = value;
            Error = error;
        }

        public TInput Input { get; }
        public TOutput Value { get; }
        /// <summary>Null when the item succeeded. One item's failure never stops the others.</summary>
        public Exception Error { get; }
    }

    /// <summary>
    /// One bound on requests in flight, shared by every call of an operation, whichever item it belongs to: each call
    /// waits for a slot (first come, first served), holds it for the request only, and gives it back. Calls that do not
    /// depend on each other are started together and the gate alone decides how many run at once.
    /// </summary>
    public sealed class RequestGate : IDisposable
    {
        private readonly SemaphoreSlim _slots;

        public RequestGate(int limit)
        {
            if (limit < 1) throw new ArgumentOutOfRangeException(nameof(limit), "The limit must be at least 1.");
            Limit = limit;
            _slots = new SemaphoreSlim(limit, limit);
        }

        public int Limit { get; }

        public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // A slot freed by a cancelled request can go to a waiter before the waiter's own cancellation has run (seen
                // in a loaded CI run: 44 requests sent after the stop, each freeing the slot for the next); none is sent.
                cancellationToken.ThrowIfCancellationRequested();
                return await call(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }

        /// <summary>A call with no result, within the bound.</summary>
        public Task RunAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken)
            => RunAsync(async ct => { await call(ct).ConfigureAwait(false); return true; }, cancellationToken);

        /// <summary>Every page of an IAM listing, each page's request within the bound.</summary>
        public Task<List<T>> CollectPagesAsync<T>(Func<string, CancellationToken, Task<IamPage<T>>> fetchPage, CancellationToken cancellationToken)
            => IamPager.CollectAsync((marker, ct) => RunAsync(x => fetchPage(marker, x), ct), cancellationToken);

        public void Dispose() => _slots.Dispose();
    }

    /// <summary>
    /// Runs per-item work with at most <c>limit</c> items in flight (the SDK retries throttling), keeps results in
    /// input order, reports progress, and stops starting new items once cancelled.
    /// </summary>
    public static class BoundedConcurrency
    {
        public const int DefaultLimit = 8;
        /// <summary>The largest -ThrottleLimit of every cmdlet that has one.</summary>
        public const int MaxLimit = 64;

        /// <summary>
        /// -ThrottleLimit's one rule, for every cmdlet that has the parameter: the cmdlets check it as the parameter is
        /// bound (ValidateThrottleLimitAttribute), before any question or request; operations check it again for callers
        /// without a cmdlet. Null when <paramref name="limit"/> keeps it.
        /// </summary>
        public static string ThrottleLimitProblem(int limit)
            => limit >= 1 && limit <= MaxLimit ? null : $"-ThrottleLimit must be from 1 to {MaxLimit} requests at a time, not {limit}.";

        /// <summary>Refuses a -ThrottleLimit that breaks <see cref="ThrottleLimitProblem"/>'s rule, naming the parameter.</summary>
        public static void ValidateThrottleLimit(int limit)
        {
            if (ThrottleLimitProblem(limit) is string problem)
                throw S3CredentialsException.InvalidParameter("ThrottleLimitOutOfRange", "ThrottleLimit", problem);
        }
        /// <summary>Progress is reported when there are more items than this.</summary>
        public const int ProgressThreshold = 5;

        public static async Task<IReadOnlyList<ItemResult<TInput, TOutput>>> MapAsync<TInput, TOutput>(
            IReadOnlyList<TInput> items, int limit, Func<TInput, CancellationToken, Task<TOutput>> work,
            IOperationHost host, string activity, CancellationToken cancellationToken)
        {
            if (limit < 1) throw new ArgumentOutOfRangeException(nameof(limit), "The limit must be at least 1.");
            var results = new ItemResult<TInput, TOutput>[items.Count];
            var completed = 0;
            using (var gate = new SemaphoreSlim(limit, limit))
            {
                var tasks = new List<Task>(items.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    var index = i;
                    tasks.Add(Task.Run(async () =>
                    {
                        try
                        {
                            var value = await work(items[index], cancellationToken).ConfigureAwait(false);
                            results[index] = new ItemResult<TInput, TOutput>(items[index], value, null);
                        }
                        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                        {
                            throw;
                        }
                        catch (Exception e)
                        {
                            results[index] = new ItemResult<TInput, TOutput>(items[index], default, e);
                        }
                        finally
                        {
                            gate.Release();
                            var done = Interlocked.Increment(ref completed);
                            if (items.Count > ProgressThreshold)
                                host?.Progress(activity, $"{done} of {items.Count}", done * 100 / items.Count);
                        }
                    }));
                }
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            if (items.Count > ProgressThreshold)
                host?.Progress(activity, "Done", -1);
            return results;
        }

        /// <summary>
        /// Streams per-item results in input order: each result goes to <paramref name="onResult"/> as soon as it and every
        /// item before it are done. At most <paramref name="window"/> items are started ahead of the last one handed on, so
        /// a consumer that stops early (cancellation) stops the requests too; the work's calls share a
        /// <see cref="RequestGate"/>, which bounds the requests in flight. Once the host's output has stopped
        /// (<see cref="IOperationHost.OutputStopped"/>: Select-Object -First has what it wants) no new item starts, and
        /// the items in flight go on to their end on the token they were given: a change is never left half-made because
        /// the pipeline wanted no more results. Returns when every started item has ended.
        /// </summary>
        public static async Task StreamAsync<TInput, TOutput>(IReadOnlyList<TInput> items, int window, Func<TInput, CancellationToken, Task<TOutput>> work,
            Action<ItemResult<TInput, TOutput>> onResult, IOperationHost host, string activity, CancellationToken cancellationToken)
        {
            if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), "The window must be at least 1.");
            var started = new Queue<Task<ItemResult<TInput, TOutput>>>();
            var next = 0;
            var completed = 0;
            Task<ItemResult<TInput, TOutput>> Start(TInput item) => Task.Run(async () =>
            {
                try
                {
                    return new ItemResult<TInput, TOutput>(item, await work(item, cancellationToken).ConfigureAwait(false), null);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e)
                {
                    return new ItemResult<TInput, TOutput>(item, default, e);
                }
                finally
                {
                    var done = Interlocked.Increment(ref completed);
                    if (items.Count > ProgressThreshold && !cancellationToken.IsCancellationRequested)
                        host?.Progress(activity, $"{done} of {items.Count}", done * 100 / items.Count);
                }
            });
            try
            {
                bool MayStart() => next < items.Count && !(host?.OutputStopped ?? false);
                while (MayStart() || started.Count > 0)
                {
                    while (started.Count < window && MayStart())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        started.Enqueue(Start(items[next++]));
                    }
                    onResult(await started.Dequeue().ConfigureAwait(false));
                }
            }
            finally
            {
                // On cancellation or a failing consumer, the items still running end before the client they use is disposed.
                foreach (var task in started)
                {
                    try { await task.ConfigureAwait(false); }
                    catch (Exception) { }
                }
            }
            if (items.Count > ProgressThreshold)
                host?.Progress(activity, "Done", -1);
        }
    }
}
