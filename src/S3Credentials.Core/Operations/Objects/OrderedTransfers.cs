using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Models;

namespace S3Credentials.Core.Operations.Objects
{
    /// <summary>One object of a transfer as planned: its step, or the error that keeps it from having one.</summary>
    internal sealed class PlannedTransfer
    {
        public string Key { get; set; }
        /// <summary>The upload or download; its Do leaves the transferred object for <see cref="Result"/>.</summary>
        public OperationStep Step { get; set; }
        public Func<S3ItemTransfer> Result { get; set; }
        /// <summary>What a failure of the step is reported as (naming the action, bucket and key).</summary>
        public Func<Exception, Exception> Failure { get; set; }
        /// <summary>Set instead of a step when the object cannot be transferred at all (an unsafe key).</summary>
        public Exception Error { get; set; }
    }

    /// <summary>
    /// Save-S3Item's and Write-S3Item's order: every object is asked about (ShouldProcess, shown by -WhatIf) in the order
    /// of the objects, all before the first transfer, as Remove-S3Item does; the approved ones are then transferred
    /// several at once, and each result is handed on as soon as it and every result before it are done, so output comes
    /// in the same order whatever finishes first.
    /// </summary>
    internal static class OrderedTransfers
    {
        /// <param name="planned">One entry per object, in order; null for an object with nothing to do (a folder marker).</param>
        public static async Task RunAsync(IReadOnlyList<PlannedTransfer> planned, int limit, IOperationHost host, TransferProgress progress,
            Action<ItemResult<string, S3ItemTransfer>> emit, CancellationToken cancellationToken)
        {
            var runner = new StepRunner(host ?? ApprovingOperationHost.Instance);
            var inOrder = new InOrder<ItemResult<string, S3ItemTransfer>>(planned.Count, emit);
            var approved = new List<int>();
            for (var i = 0; i < planned.Count; i++)
            {
                var item = planned[i];
                if (item?.Step == null)
                {
                    inOrder.Done(i, item?.Error == null ? null : new ItemResult<string, S3ItemTransfer>(item.Key, null, item.Error));
                    progress.ObjectDone();
                }
                else if (runner.Ask(item.Step.Target, "", new[] { item.Step }) && !runner.IsWhatIf)
                    approved.Add(i);
                else
                {
                    inOrder.Done(i, null);
                    progress.ObjectDone();
                }
            }
            try
            {
                await TransferProgress.ForEachAsync(approved, limit, async (i, _) =>
                {
                    var item = planned[i];
                    try
                    {
                        await runner.RunApprovedAsync(item.Step, cancellationToken).ConfigureAwait(false);
                        inOrder.Done(i, new ItemResult<string, S3ItemTransfer>(item.Key, item.Result(), null));
                    }
                    catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
                    {
                        inOrder.Done(i, new ItemResult<string, S3ItemTransfer>(item.Key, null, item.Failure(e)));
                    }
                    finally
                    {
                        progress.ObjectDone();
                    }
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped: what did finish is still reported, past the gaps left by what did not.
                inOrder.Flush();
                throw;
            }
        }

        /// <summary>Results by position, handed on in position order: each as soon as it and all before it are in.</summary>
        private sealed class InOrder<T> where T : class
        {
            private readonly Action<T> _emit;
            private readonly T[] _results;
            private readonly bool[] _done;
            private int _next;

            public InOrder(int count, Action<T> emit)
            {
                _emit = emit;
                _results = new T[count];
                _done = new bool[count];
            }

            /// <summary>Position <paramref name="index"/> is done, with a result or none (null).</summary>
            public void Done(int index, T result)
            {
                lock (_done)
                {
                    _results[index] = result;
                    _done[index] = true;
                    while (_next < _done.Length && _done[_next])
                        Hand(_next++);
                }
            }

            /// <summary>Hands on every result still held, in order, skipping positions never done.</summary>
            public void Flush()
            {
                lock (_done)
                    for (; _next < _done.Length; _next++)
                        Hand(_next);
            }

            private void Hand(int index)
            {
                var result = _results[index];
                _results[index] = null;
                if (result != null) _emit(result);
            }
        }
    }
}
