using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Operations;
using Xunit;

namespace S3Credentials.Tests.Operations
{
    public sealed class BoundedConcurrencyTests
    {
        [Fact]
        public async Task Keeps_input_order_never_exceeds_the_limit_and_reports_failures_per_item()
        {
            var inFlight = 0;
            var maxInFlight = 0;
            var host = new RecordingOperationHost();
            var items = Enumerable.Range(0, 40).ToList();
            var results = await BoundedConcurrency.MapAsync(items, 4, async (i, ct) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                lock (items) maxInFlight = Math.Max(maxInFlight, now);
                await Task.Delay(i % 3 == 0 ? 15 : 1, ct);
                Interlocked.Decrement(ref inFlight);
                if (i == 7) throw new InvalidOperationException("item 7 fails");
                return i * 10;
            }, host, "Testing", CancellationToken.None);

            Assert.Equal(items, results.Select(r => r.Input));
            Assert.Equal(items.Where(i => i != 7).Select(i => i * 10), results.Where(r => r.Error == null).Select(r => r.Value));
            Assert.Equal("item 7 fails", results[7].Error.Message);
            Assert.InRange(maxInFlight, 2, 4);
            Assert.Equal(41, host.ProgressReports.Count);
            Assert.Equal(-1, host.ProgressReports.Last().Percent);
        }

        [Fact]
        public async Task Stops_starting_items_once_cancelled()
        {
            using var cancel = new CancellationTokenSource();
            var started = 0;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BoundedConcurrency.MapAsync(Enumerable.Range(0, 100).ToList(), 2, async (i, ct) =>
            {
                if (Interlocked.Increment(ref started) == 3) cancel.Cancel();
                await Task.Delay(1, ct);
                return i;
            }, null, "Testing", cancel.Token));
            Assert.InRange(started, 3, 5);
        }

        private static void WaitUntil(Func<bool> condition, string what)
            => Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(10)), "timed out waiting until " + what);

        [Fact]
        public async Task Streams_each_result_once_it_and_every_item_before_it_are_done_and_starts_at_most_the_window_ahead()
        {
            var gates = Enumerable.Range(0, 6).Select(_ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            var started = new System.Collections.Concurrent.ConcurrentQueue<int>();
            var handedOn = new System.Collections.Concurrent.ConcurrentQueue<int>();
            var stream = BoundedConcurrency.StreamAsync(Enumerable.Range(0, 6).ToList(), 3, (i, ct) => { started.Enqueue(i); return gates[i].Task; },
                r => handedOn.Enqueue(r.Value), null, "Testing", CancellationToken.None);

            WaitUntil(() => started.Count == 3, "three items started");
            gates[1].SetResult(1);
            gates[2].SetResult(2);
            Assert.False(SpinWait.SpinUntil(() => !handedOn.IsEmpty || started.Count > 3, TimeSpan.FromMilliseconds(200)), "nothing is handed on, and nothing more started, before item 0 is done");
            gates[0].SetResult(0);
            WaitUntil(() => handedOn.Count == 3, "items 0 to 2 handed on");
            Assert.Equal(new[] { 0, 1, 2 }, handedOn);
            WaitUntil(() => started.Count == 6, "the rest started");
            foreach (var i in new[] { 5, 4, 3 }) gates[i].SetResult(i);
            await stream;
            Assert.Equal(Enumerable.Range(0, 6), handedOn);
        }

        [Fact]
        public async Task A_cancelled_stream_starts_nothing_more_and_ends_after_the_items_already_running()
        {
            using var cancel = new CancellationTokenSource();
            var started = 0;
            var running = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            var stream = BoundedConcurrency.StreamAsync(Enumerable.Range(0, 100).ToList(), 4, async (i, ct) =>
            {
                Interlocked.Increment(ref started);
                if (i == 0) return 0;
                return await running.Task;
            }, r => cancel.Cancel(), null, "Testing", cancel.Token);

            WaitUntil(() => cancel.IsCancellationRequested, "the first result cancels");
            Assert.False(stream.IsCompleted, "the items already running are waited for");
            running.SetResult(1);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream);
            Assert.InRange(Volatile.Read(ref started), 4, 5);
        }

        [Fact]
        public async Task A_request_gate_shared_by_items_bounds_the_calls_in_flight_not_the_items()
        {
            using var gate = new RequestGate(5);
            var inFlight = 0;
            var maxInFlight = 0;
            async Task<int> Call(CancellationToken ct)
            {
                var now = Interlocked.Increment(ref inFlight);
                lock (gate) maxInFlight = Math.Max(maxInFlight, now);
                await Task.Delay(2, ct);
                Interlocked.Decrement(ref inFlight);
                return 1;
            }
            var handedOn = 0;
            // 2 items started ahead, each with 3 independent calls at once: 6 calls want to run, the gate lets 5 through.
            await BoundedConcurrency.StreamAsync(Enumerable.Range(0, 30).ToList(), 2,
                async (i, ct) => (await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => gate.RunAsync(Call, ct)))).Sum(),
                r => { Assert.Equal(3, r.Value); handedOn++; }, null, "Testing", CancellationToken.None);
            Assert.Equal(30, handedOn);
            Assert.Equal(5, maxInFlight);
        }

        [Fact]
        public async Task A_slot_freed_as_the_stop_comes_is_not_used_to_send_another_call()
        {
            using var gate = new RequestGate(1);
            using var stop = new CancellationTokenSource();
            var holding = new TaskCompletionSource<int>(TaskCreationOptions.None);
            var first = gate.RunAsync(_ => holding.Task, CancellationToken.None);
            var calls = 0;
            var waiting = gate.RunAsync(_ => { Interlocked.Increment(ref calls); return Task.FromResult(2); }, stop.Token);
            // Registered after the waiter's own registration, so it runs first when the stop comes: the slot is freed and
            // handed to the waiter before the waiter hears of the stop (what a cancelled request in flight does).
            stop.Token.Register(() => holding.SetResult(1));

            stop.Cancel();

            Assert.Equal(1, await first);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
            Assert.Equal(0, calls);
        }

        [Fact]
        public async Task Once_the_output_has_stopped_no_new_item_starts_and_the_items_in_flight_end_on_their_uncancelled_token_with_their_results_handed_on()
        {
            var outputStopped = false;
            var host = new RecordingOperationHost { IsOutputStopped = () => Volatile.Read(ref outputStopped) };
            var started = new System.Collections.Concurrent.ConcurrentQueue<int>();
            var handedOn = new System.Collections.Concurrent.ConcurrentQueue<ItemResult<int, int>>();
            var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            var tokens = new System.Collections.Concurrent.ConcurrentBag<CancellationToken>();
            var stream = BoundedConcurrency.StreamAsync(Enumerable.Range(0, 20).ToList(), 4, async (i, ct) =>
            {
                started.Enqueue(i);
                tokens.Add(ct);
                if (i == 0) return 0;
                await release.Task;
                return i;
            }, r => { handedOn.Enqueue(r); if (r.Input == 0) Volatile.Write(ref outputStopped, true); }, host, "Testing", CancellationToken.None);

            WaitUntil(() => handedOn.Count == 1 && started.Count == 4, "item 0 handed on (the output stops there) and items 1 to 3 running");
            Assert.False(stream.IsCompleted, "the items in flight are finished, not abandoned");
            release.SetResult(0);
            await stream;

            Assert.Equal(new[] { 0, 1, 2, 3 }, started.OrderBy(i => i));
            Assert.Equal(new[] { 0, 1, 2, 3 }, handedOn.Select(r => r.Value));
            Assert.All(handedOn, r => Assert.Null(r.Error));
            Assert.All(tokens, t => Assert.False(t.IsCancellationRequested));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(65)]
        public void A_throttle_limit_outside_1_to_64_is_refused_naming_the_parameter_and_the_rule(int limit)
        {
            var refusal = Assert.Throws<S3Credentials.Core.S3CredentialsException>(() => BoundedConcurrency.ValidateThrottleLimit(limit));
            Assert.Equal("ThrottleLimitOutOfRange", refusal.ErrorId);
            Assert.Equal("ThrottleLimit", refusal.ParameterName);
            Assert.Equal($"-ThrottleLimit must be from 1 to 64 requests at a time, not {limit}.", refusal.Message);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(64)]
        public void A_throttle_limit_from_1_to_64_is_taken(int limit)
        {
            Assert.Null(BoundedConcurrency.ThrottleLimitProblem(limit));
            BoundedConcurrency.ValidateThrottleLimit(limit);
        }
    }
}
