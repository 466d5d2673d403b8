using System.Collections.Generic;
using S3Credentials.Core.Operations;
using Xunit;

namespace S3Credentials.Tests.Operations
{
    /// <summary>The host the cmdlets hand to operations: each call reaches the function it was given, unchanged.</summary>
    public sealed class DelegatingOperationHostTests
    {
        [Theory]
        [InlineData(true, false)]
        [InlineData(false, true)]
        public void Every_call_reaches_its_function(bool isWhatIf, bool answer)
        {
            var calls = new List<string>();
            var host = new DelegatingOperationHost(
                message => calls.Add("verbose " + message),
                message => calls.Add("warning " + message),
                (activity, status, percent) => calls.Add($"progress {activity} {status} {percent}"),
                (target, action) => { calls.Add($"should {target} {action}"); return answer; },
                isWhatIf);

            host.Verbose("v");
            host.Warning("w");
            host.Progress("a", "s", -1);
            var said = host.ShouldProcess("t", "x");

            Assert.Equal(new[] { "verbose v", "warning w", "progress a s -1", "should t x" }, calls);
            Assert.Equal(answer, said);
            Assert.Equal(isWhatIf, host.IsWhatIf);
        }
    }
}
