using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core;
using S3Credentials.Core.AwsProtocol;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;
using Xunit.Abstractions;

namespace S3Credentials.Tests.Resilience
{
    /// <summary>
    /// Faults on a real socket (<see cref="TcpFaultProxy"/> in front of moto's IAM) under the SDK's own HTTP stack, so that
    /// sends the SDK makes below its counted retries are seen too (before RequestPolicy's one-send rule, one attempt of a
    /// call whose connection dropped went out 11 times, and a lost CreateAccessKey answer made a second key).
    /// </summary>
    public sealed class HttpLayerFaultTests : NewCredentialTestBase
    {
        private readonly ITestOutputHelper _output;

        public HttpLayerFaultTests(MotoServer moto, ITestOutputHelper output) : base(moto) => _output = output;

        private AwsSession ThroughProxy(TcpFaultProxy proxy, bool ownHttpStack)
        {
            var options = MotoOptions();
            if (ownHttpStack) options.HttpClientFactory = null;
            options.IamEndpointUrl = proxy.Url;
            return SessionResolver.Resolve(options);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task A_connection_dropped_on_every_attempt_is_sent_once_per_attempt_and_fails_naming_the_action_and_cause(bool ownHttpStack)
        {
            using var proxy = new TcpFaultProxy(Moto.Endpoint);
            using (var iam = Iam()) await iam.CreateUserAsync("dropped");
            proxy.Decide = (action, nth) => action == "ListAccessKeys" ? TcpFaultProxy.Fault.Drop : TcpFaultProxy.Fault.None;
            var clock = Stopwatch.StartNew();
            using var client = ThroughProxy(proxy, ownHttpStack).CreateIamClient();
            await client.GetUserAsync("dropped"); // a keep-alive connection to reuse

            var error = await Assert.ThrowsAsync<AwsConnectionException>(() => client.ListAccessKeysAsync("dropped"));

            _output.WriteLine($"{proxy.Count("ListAccessKeys")} ListAccessKeys in {clock.ElapsedMilliseconds} ms: {error.Message}");
            Assert.Equal(RequestPolicy.Attempts, proxy.Count("ListAccessKeys"));
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
            var described = ErrorDescription.Describe(error);
            Assert.Equal("AwsConnectionFailed", described.ErrorId);
            Assert.Equal(FailureKind.ConnectionError, described.Kind);
            Assert.StartsWith("IAM ListAccessKeys got no answer (3 attempts; last: ", described.Message);
            Assert.Contains("ended prematurely", described.Message);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task A_lost_CreateAccessKey_answer_is_never_sent_again_blind_and_the_user_ends_with_the_one_key_returned(bool ownHttpStack)
        {
            using var proxy = new TcpFaultProxy(Moto.Endpoint);
            await CreateBucketsAsync("lost-key");
            proxy.Decide = (action, nth) => action == "CreateAccessKey" && nth == 0 ? TcpFaultProxy.Fault.LoseAnswer : TcpFaultProxy.Fault.None;

            var credential = await CreateAsync(new Core.Operations.NewCredential.NewCredentialRequest { BucketNames = new[] { "lost-key" }, UserName = "lost-key", NoWait = true }, ThroughProxy(proxy, ownHttpStack));

            _output.WriteLine(string.Join(" ", proxy.Received));
            var creates = proxy.Received.Select((action, i) => (action, i)).Where(c => c.action == "CreateAccessKey").Select(c => c.i).ToList();
            Assert.Equal(2, creates.Count);
            // Between the lost one and the next: the keys were listed and the one made by the lost call deleted.
            Assert.Equal(new[] { "ListAccessKeys", "DeleteAccessKey" }, proxy.Received.Skip(creates[0] + 1).Take(creates[1] - creates[0] - 1));
            using var iam = Iam();
            Assert.Equal(new[] { credential.AccessKeyId }, (await iam.ListAccessKeysAsync("lost-key")).Items.Select(k => k.AccessKeyId));
        }

        [Fact]
        public async Task A_lost_CreateUser_answer_is_read_back_and_the_user_made_is_this_runs()
        {
            using var proxy = new TcpFaultProxy(Moto.Endpoint);
            await CreateBucketsAsync("lost-user");
            proxy.Decide = (action, nth) => action == "CreateUser" && nth == 0 ? TcpFaultProxy.Fault.LoseAnswer : TcpFaultProxy.Fault.None;

            var credential = await CreateAsync(new Core.Operations.NewCredential.NewCredentialRequest { BucketNames = new[] { "lost-user" }, UserName = "lost-user", NoWait = true }, ThroughProxy(proxy, true));

            Assert.Equal(1, proxy.Count("CreateUser"));
            Assert.DoesNotContain(Host.Warnings, w => w.Contains("not made by this module"));
            Assert.Equal($"user lost-user\npolicy lost-user/s3.read-write.lost-user\nkey lost-user/{credential.AccessKeyId}", await IamInventoryAsync());
        }
    }
}
