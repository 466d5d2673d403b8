using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace S3Credentials.Core.Operations.Objects
{
    /// <summary>
    /// Progress of a transfer of many objects, or of one large one, for Write-Progress: objects done of all, and bytes
    /// moved of the bytes known. Reported at most every <see cref="Interval"/> so a fast transfer does not flood the host.
    /// </summary>
    internal sealed class TransferProgress
    {
        public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
        private readonly IOperationHost _host;
        private readonly string _activity;
        private readonly int _objects;
        private readonly Stopwatch _sinceReport = Stopwatch.StartNew();
        private long _totalBytes;
        private long _bytes;
        private int _done;

        public TransferProgress(IOperationHost host, string activity, int objects, long knownBytes)
        {
            _host = host;
            _activity = activity;
            _objects = objects;
            _totalBytes = knownBytes;
        }

        public void AddKnownBytes(long bytes) => Interlocked.Add(ref _totalBytes, bytes);

        public void Transferred(long bytes)
        {
            Interlocked.Add(ref _bytes, bytes);
            Report(force: false);
        }

        public void ObjectDone()
        {
            Interlocked.Increment(ref _done);
            Report(force: false);
        }

        public void Complete() => _host?.Progress(_activity, "Done", -1);

        private void Report(bool force)
        {
            if (_host == null) return;
            lock (_sinceReport)
            {
                if (!force && _sinceReport.Elapsed < Interval) return;
                _sinceReport.Restart();
            }
            var bytes = Interlocked.Read(ref _bytes);
            var total = Interlocked.Read(ref _totalBytes);
            var done = Volatile.Read(ref _done);
            var percent = total > 0 ? (int)Math.Min(99, bytes * 100 / total) : _objects > 0 ? done * 100 / _objects : 0;
            _host.Progress(_activity, $"{done} of {_objects} object(s), {Megabytes(bytes)}" + (total > 0 ? $" of {Megabytes(total)}" : ""), percent);
        }

        internal static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " MiB";

        /// <summary>
        /// Runs the work for every item, at most <paramref name="limit"/> at once, and returns once every started item has
        /// ended. Stops starting items once cancelled; with <paramref name="stopOnFailure"/> also after the first failure,
        /// whose exception is then thrown (the others' work is cancelled through the token it is given).
        /// </summary>
        public static async Task ForEachAsync<T>(IReadOnlyList<T> items, int limit, Func<T, CancellationToken, Task> work, CancellationToken cancellationToken,
            bool stopOnFailure = false)
        {
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var gate = new SemaphoreSlim(limit, limit))
            {
                var tasks = new List<Task>(items.Count);
                try
                {
                    foreach (var item in items)
                    {
                        await gate.WaitAsync(stop.Token).ConfigureAwait(false);
                        tasks.Add(Task.Run(async () =>
                        {
                            try
                            {
                                await work(item, stop.Token).ConfigureAwait(false);
                            }
                            catch when (stopOnFailure)
                            {
                                stop.Cancel();
                                throw;
                            }
                            finally
                            {
                                gate.Release();
                            }
                        }));
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // A failure stopped the loop: its exception is thrown below.
                }
                finally
                {
                    try { await Task.WhenAll(tasks).ConfigureAwait(false); }
                    catch (Exception) { /* looked at below */ }
                }
                cancellationToken.ThrowIfCancellationRequested();
                var failed = tasks.FirstOrDefault(t => t.IsFaulted && !(t.Exception.InnerException is OperationCanceledException))
                    ?? tasks.FirstOrDefault(t => t.IsFaulted || t.IsCanceled);
                if (failed != null)
                    await failed.ConfigureAwait(false);
            }
        }
    }
}
