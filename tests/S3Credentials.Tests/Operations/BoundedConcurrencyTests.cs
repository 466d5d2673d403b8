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
    }
}
