using System.Threading.Tasks;
using S3Credentials.Core.Operations;
using Xunit;

namespace S3Credentials.Tests.Operations
{
    /// <summary>The host of Core calls made without a cmdlet: every step is approved and really done.</summary>
    public sealed class ApprovingOperationHostTests
    {
        [Fact]
        public async Task The_approving_host_says_yes_to_every_step_and_is_no_WhatIf_so_the_runner_does_them()
        {
            var host = ApprovingOperationHost.Instance;
            Assert.False(host.IsWhatIf);
            Assert.True(host.ShouldProcess("target", "action"));
            host.Verbose("v");
            host.Warning("w");
            host.Progress("a", "s", -1);

            var done = 0;
            var runner = new StepRunner(host);
            foreach (var action in new[] { "first", "second" })
            {
                var step = new OperationStep("target", action) { Do = _ => { done++; return Task.FromResult(true); } };
                Assert.Equal(StepOutcome.Made, await runner.RunAsync(step, default));
            }
            Assert.Equal(2, done);
        }
    }
}
