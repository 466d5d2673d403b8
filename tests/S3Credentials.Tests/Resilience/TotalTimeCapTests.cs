using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3.Model;
using S3Credentials.Core;
using S3Credentials.Core.AwsProtocol;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Operations;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.Resilience
{
    /// <summary>
    /// RequestPolicy's total time cap on every request, S3's as IAM's and STS's: a server that never answers is given up on
    /// after the cap (over all attempts and backoff), as an error naming the service, the action and "gave up after N s",
    /// not as a stop the user asked for. The cap is the session's, shortened here; a test is bounded by it, not by a sleep.
    /// </summary>
    public sealed class TotalTimeCapTests : NewCredentialTestBase
    {
        private static readonly TimeSpan ShortCap = TimeSpan.FromSeconds(1);
        /// <summary>How early a .NET timer may fire against a Stopwatch: its clock ticks in milliseconds (a CI run saw the 1 s cap end at 996.9 ms).</summary>
        private static readonly TimeSpan TimerTick = TimeSpan.FromMilliseconds(16);

        public TotalTimeCapTests(MotoServer moto) : base(moto) { }

        /// <summary>Well under one attempt's own timeout (20 s): only the cap can have ended the call by then.</summary>
        private static readonly TimeSpan WellBeforeAnAttemptTimesOut = TimeSpan.FromSeconds(15);

        private AwsSession CappedSession()
        {
            var session = MotoSession();
            session.TotalTimeCap = ShortCap;
            return session;
        }

        [Fact]
        public void Every_request_has_a_total_time_cap_of_60_s_by_default_S3_too()
        {
            Assert.Equal(TimeSpan.FromSeconds(60), RequestPolicy.TotalTimeCap);
            Assert.Equal(RequestPolicy.TotalTimeCap, MotoSession().TotalTimeCap);
        }

        [Fact]
        public async Task An_S3_request_that_never_answers_gives_up_after_the_cap_naming_S3_the_operation_and_the_time()
        {
            await CreateBucketsAsync("capped");
            Recorder.Stall("ListObjectsV2");
            var clock = Stopwatch.StartNew();
            using var s3 = CappedSession().CreateS3Client();

            var error = await Assert.ThrowsAsync<AwsConnectionException>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "capped" }));

            Assert.InRange(clock.Elapsed, ShortCap - TimerTick, WellBeforeAnAttemptTimesOut);
            Assert.StartsWith("S3 ListObjectsV2 gave up after 1 s with no answer (1 attempt, cut off). Check the network", error.Message);
            Assert.Equal(ShortCap, error.GaveUpAfter);
            var described = ErrorDescription.Describe(error);
            Assert.Equal("AwsConnectionFailed", described.ErrorId);
            Assert.Equal(FailureKind.ConnectionError, described.Kind);
            Assert.NotEqual("OperationStopped", described.ErrorId);
        }

        [Fact]
        public async Task An_IAM_request_that_never_answers_gives_up_after_the_same_cap()
        {
            Recorder.Stall("ListUsers");
            var clock = Stopwatch.StartNew();
            using var iam = CappedSession().CreateIamClient();

            var error = await Assert.ThrowsAsync<AwsConnectionException>(() => iam.ListUsersAsync());

            Assert.InRange(clock.Elapsed, ShortCap - TimerTick, WellBeforeAnAttemptTimesOut);
            Assert.StartsWith("IAM ListUsers gave up after 1 s with no answer", error.Message);
        }

        [Fact]
        public async Task The_callers_own_stop_is_still_a_stop_and_not_the_cap()
        {
            await CreateBucketsAsync("capped");
            Recorder.Stall("ListObjectsV2");
            using var s3 = MotoSession().CreateS3Client();
            using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

            var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "capped" }, stop.Token));

            Assert.Equal("OperationStopped", ErrorDescription.Describe(error).ErrorId);
        }

        [Fact]
        public async Task A_capped_S3_step_under_the_runner_is_rolled_back_like_any_failure()
        {
            await CreateBucketsAsync("capped");
            Recorder.Stall("PutBucketCors");
            const string policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::capped/*\"}]}";

            var error = await Assert.ThrowsAsync<AwsConnectionException>(() => BucketSettingsOperation.RunAsync(CappedSession(),
                new BucketSettingsRequest { BucketName = "capped", Policy = policy, CorsAllowedOrigin = new[] { "*" } }, Host, CancellationToken.None));

            Assert.StartsWith("S3 PutCORSConfiguration gave up after 1 s", error.Message);
            // The policy it wrote is removed again, and the CORS rules it may have written too (their undo counts absent as undone).
            Assert.Equal(new[] { "DeleteBucketCors", "DeleteBucketPolicy" }, Recorder.Calls.Where(c => c.Method == "DELETE").Select(c => c.Action));
            Assert.Empty(Host.Warnings);
            var detail = (await BucketDetailOperation.RunAsync(SetupSession(), new[] { "capped" }, 1, new RecordingOperationHost(), CancellationToken.None)).Single().Value;
            Assert.False(detail.HasBucketPolicy);
            Assert.Equal(0, detail.CorsRuleCount);
        }
    }
}
