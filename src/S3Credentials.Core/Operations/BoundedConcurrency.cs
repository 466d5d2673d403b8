using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

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
    /// Runs per-item work with at most <c>limit</c> items in flight (the SDK retries throttling), keeps results in
    /// input order, reports progress, and stops starting new items once cancelled.
    /// </summary>
    public static class BoundedConcurrency
    {
        public const int DefaultLimit = 8;
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
    }
}
