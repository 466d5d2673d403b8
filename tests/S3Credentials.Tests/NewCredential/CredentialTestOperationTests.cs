using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3.Model;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    /// <summary>Test-S3Credential's operation against moto in auth mode.</summary>
    public sealed class CredentialTestOperationTests : NewCredentialTestBase
    {
        public CredentialTestOperationTests(MotoServer moto) : base(moto) { }

        private async Task<S3Credentials.Core.Credentials.AwsSession> CredentialsForAsync(AccessLevel access, params string[] prefixes)
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("probe-bucket");
            using (var s3 = SetupSession().CreateS3Client())
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = "probe-bucket", Key = "in/existing.txt", ContentBody = "x" });
            Moto.SetAuthEnforced(true);
            var credential = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "probe-bucket" }, Access = access, Prefixes = prefixes }, admin);
            Recorder.Clear();
            return MotoSession(credential.AccessKeyId, credential.SecretAccessKey);
        }

        private static string Summary(System.Collections.Generic.IReadOnlyList<S3Credentials.Core.Models.CredentialTestResult> results)
            => string.Join(" ", results.Select(r => r.Action + ":" + r.Result));

        [Fact]
        public async Task Read_only_credentials_list_and_read_but_may_not_write()
        {
            var session = await CredentialsForAsync(AccessLevel.ReadOnly, "in/");
            var results = await CredentialTestOperation.RunAsync(session, "probe-bucket", "in/", includeWrite: true, Host, CancellationToken.None);
            Assert.Equal("List:Allowed Read:Allowed Write:Denied Delete:Denied", Summary(results));
            Assert.Equal("in/existing.txt", results.Single(r => r.Action == "Read").Key);
            Assert.All(results, r => Assert.Equal(session.Credentials.GetCredentials().AccessKey, r.AccessKeyId));
            Assert.Equal("AccessDenied", results.Single(r => r.Action == "Write").ErrorCode);
        }

        [Fact]
        public async Task Outside_the_prefix_read_only_credentials_are_denied()
        {
            var session = await CredentialsForAsync(AccessLevel.ReadOnly, "in/");
            var results = await CredentialTestOperation.RunAsync(session, "probe-bucket", "out/", includeWrite: false, Host, CancellationToken.None);
            Assert.Equal("List:Denied Read:Denied", Summary(results));
        }

        [Fact]
        public async Task Read_write_credentials_may_do_everything_and_the_probe_object_is_removed()
        {
            var session = await CredentialsForAsync(AccessLevel.ReadWrite);
            var results = await CredentialTestOperation.RunAsync(session, "probe-bucket", "in/", includeWrite: true, Host, CancellationToken.None);
            Assert.Equal("List:Allowed Read:Allowed Write:Allowed Delete:Allowed", Summary(results));
            Moto.SetAuthEnforced(false);
            using var s3 = SetupSession().CreateS3Client();
            var keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "probe-bucket" })).S3Objects.Select(o => o.Key);
            Assert.Equal(new[] { "in/existing.txt" }, keys);
        }

        [Fact]
        public async Task Write_only_credentials_leave_the_probe_behind_with_a_warning()
        {
            var session = await CredentialsForAsync(AccessLevel.WriteOnly);
            var results = await CredentialTestOperation.RunAsync(session, "probe-bucket", null, includeWrite: true, Host, CancellationToken.None);
            Assert.Equal("List:Denied Read:Denied Write:Allowed Delete:Denied", Summary(results));
            Assert.Contains(Host.Warnings, w => w.Contains(results.Single(r => r.Action == "Write").Key) && w.Contains("may not delete it"));
        }

        [Fact]
        public async Task Without_IncludeWrite_nothing_is_written()
        {
            var session = await CredentialsForAsync(AccessLevel.ReadWrite);
            var results = await CredentialTestOperation.RunAsync(session, "probe-bucket", null, includeWrite: false, Host, CancellationToken.None);
            Assert.Equal("List:Allowed Read:Allowed", Summary(results));
            Assert.DoesNotContain(Recorder.Calls, c => c.Method == "PUT" || c.Method == "DELETE");
        }

        [Fact]
        public async Task A_key_S3_does_not_know_yet_is_reported_as_KeyNotYetValid()
        {
            var session = await CredentialsForAsync(AccessLevel.ReadOnly);
            Recorder.FailNth("ListObjectsV2", 1, _ => S3Error(HttpStatusCode.Forbidden, "InvalidAccessKeyId"));
            Recorder.FailNth("GetObject", 1, _ => S3Error(HttpStatusCode.Forbidden, "InvalidAccessKeyId"));
            var results = await CredentialTestOperation.RunAsync(session, "probe-bucket", null, includeWrite: false, Host, CancellationToken.None);
            Assert.Equal("List:KeyNotYetValid Read:KeyNotYetValid", Summary(results));
        }

        [Theory]
        [InlineData("in/*", "in/")]
        [InlineData("in/${aws:username}/", "in/")]
        [InlineData("reports/2026", "reports/2026")]
        [InlineData(null, "")]
        public void Probe_keys_go_under_the_literal_part_of_the_prefix(string prefix, string literal)
            => Assert.Equal(literal, CredentialTestOperation.LiteralPart(prefix));

        [Fact]
        public async Task A_wildcard_prefix_is_probed_under_its_literal_part()
        {
            var session = await CredentialsForAsync(AccessLevel.ReadWrite, "in/");
            var results = await CredentialTestOperation.RunAsync(session, "probe-bucket", "in/*", includeWrite: true, Host, CancellationToken.None);
            Assert.Equal("List:Allowed Read:Allowed Write:Allowed Delete:Allowed", Summary(results));
            Assert.StartsWith("in/s3credentials-probe-", results.Single(r => r.Action == "Write").Key);
        }

        /// <summary>The bucket's keys, read with the setup session.</summary>
        private async Task<string[]> KeysAsync()
        {
            using var s3 = SetupSession().CreateS3Client();
            return (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "probe-bucket" })).S3Objects?.Select(o => o.Key).ToArray() ?? System.Array.Empty<string>();
        }

        /// <summary>The first <paramref name="count"/> DeleteObject calls answered with a 500 (the SDK tries each call 3 times).</summary>
        private void FailDeletes(int count)
        {
            for (var nth = 1; nth <= count; nth++)
                Recorder.FailNth("DeleteObject", nth, r => RecordingHttpClientFactory.S3Error(r, HttpStatusCode.InternalServerError, "InternalError"));
        }

        [Fact]
        public async Task A_delete_that_fails_after_the_write_still_removes_the_probe_object_through_the_write_steps_undo()
        {
            await CreateBucketsAsync("probe-bucket");
            FailDeletes(3);

            var error = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => CredentialTestOperation.RunAsync(MotoSession(), "probe-bucket", null, includeWrite: true, Host, CancellationToken.None));

            Assert.Equal("InternalError", error.ErrorCode);
            Assert.Equal(4, Recorder.Count("DeleteObject"));
            Assert.Empty(await KeysAsync());
            Assert.Empty(Host.Warnings);
        }

        [Fact]
        public async Task Stopped_while_the_write_is_in_flight_the_probe_object_is_deleted_again()
        {
            await CreateBucketsAsync("probe-bucket");
            using var stop = new CancellationTokenSource();
            Recorder.CancelAtNth("PutObject", 1, stop, inFlight: true);

            await Assert.ThrowsAnyAsync<System.OperationCanceledException>(() => CredentialTestOperation.RunAsync(MotoSession(), "probe-bucket", null, includeWrite: true, Host, stop.Token));

            Assert.Equal(1, Recorder.Count("DeleteObject"));
            Assert.Empty(await KeysAsync());
            Assert.Empty(Host.Warnings);
        }

        [Fact]
        public async Task A_probe_object_that_cannot_be_deleted_at_all_is_named_in_a_warning_and_in_the_error()
        {
            await CreateBucketsAsync("probe-bucket");
            FailDeletes(6);

            var error = await Assert.ThrowsAsync<S3Credentials.Core.S3CredentialsException>(() => CredentialTestOperation.RunAsync(MotoSession(), "probe-bucket", null, includeWrite: true, Host, CancellationToken.None));

            var probe = Assert.Single(await KeysAsync());
            Assert.StartsWith("s3credentials-probe-", probe);
            Assert.Contains($"Could not undo: the probe object s3://probe-bucket/{probe}", error.Message);
            Assert.Contains(Host.Warnings, w => w.Contains($"s3://probe-bucket/{probe}"));
        }

        [Fact]
        public async Task Under_WhatIf_the_probe_write_is_the_runners_question_and_nothing_is_written()
        {
            await CreateBucketsAsync("probe-bucket");
            Host.IsWhatIf = true;

            var results = await CredentialTestOperation.RunAsync(MotoSession(), "probe-bucket", "in/", includeWrite: true, Host, CancellationToken.None);

            Assert.Equal("List:Allowed Read:Allowed", Summary(results));
            var (target, action) = Assert.Single(Host.Confirmations);
            Assert.Matches("^s3://probe-bucket/in/s3credentials-probe-[0-9a-f]{32}\\.txt$", target);
            Assert.Equal("Write a probe object, then delete it again", action);
            Assert.DoesNotContain(Recorder.Calls, c => c.Method == "PUT" || c.Method == "DELETE");
            Assert.Empty(await KeysAsync());
        }

        [Fact]
        public async Task Declined_the_probe_is_neither_written_nor_deleted_and_List_and_Read_are_returned()
        {
            await CreateBucketsAsync("probe-bucket");
            Host.Answer = (target, action) => false;

            var results = await CredentialTestOperation.RunAsync(MotoSession(), "probe-bucket", null, includeWrite: true, Host, CancellationToken.None);

            Assert.Equal("List:Allowed Read:Allowed", Summary(results));
            Assert.DoesNotContain(Recorder.Calls, c => c.Method == "PUT" || c.Method == "DELETE");
        }

        [Fact]
        public async Task A_bad_bucket_name_is_refused_before_any_call()
        {
            var error = await Assert.ThrowsAsync<S3Credentials.Core.S3CredentialsException>(() => CredentialTestOperation.RunAsync(MotoSession(), "Not_A_Bucket", null, false, Host, CancellationToken.None));
            Assert.Equal("BucketName", error.ParameterName);
            Assert.Empty(Recorder.Calls);
        }
    }
}
