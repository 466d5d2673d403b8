using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    /// <summary>
    /// Revoke-S3Credential, proven in moto's auth mode (taught DateLessThan on aws:TokenIssueTime and inactive keys by
    /// tests/moto/run_moto.py, as IAM documents them): credentials that worked before the revocation are refused after
    /// it, and credentials made after it work.
    /// </summary>
    public sealed class RevocationTests : NewCredentialTestBase
    {
        public RevocationTests(MotoServer moto) : base(moto) { }

        private RevokeCredentialOperation Revoke(AwsSession session) => new RevokeCredentialOperation(session, Host);

        private Task<S3Credential> TemporaryAsync(AwsSession admin)
            => CreateAsync(new NewCredentialRequest { BucketNames = new[] { "reports" }, Access = AccessLevel.ReadOnly, Duration = TimeSpan.FromMinutes(15) }, admin);

        /// <summary>"allowed", or the error code S3 answered a listing of the bucket with.</summary>
        private async Task<string> ListAsync(S3Credential credential)
        {
            var key = credential.SessionToken == null
                ? (AWSCredentials)new BasicAWSCredentials(credential.AccessKeyId, credential.SecretAccessKey)
                : new SessionAWSCredentials(credential.AccessKeyId, credential.SecretAccessKey, credential.SessionToken);
            using var s3 = SetupSession().CreateS3Client(key);
            try
            {
                await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "reports" });
                return "allowed";
            }
            catch (AmazonS3Exception e)
            {
                return e.ErrorCode;
            }
        }

        [Fact]
        public async Task Role_sessions_issued_before_the_revocation_are_refused_after_it_and_new_ones_work()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("reports");
            await CreateModuleRoleAsync("arn:aws:iam::123456789012:user/admin");
            Moto.SetAuthEnforced(true);
            var old = await TemporaryAsync(admin);
            Assert.Equal("allowed", await ListAsync(old));

            var revocation = await Revoke(admin).RevokeRoleSessionsAsync(CredentialPlan.DefaultRoleName, RevokeCredentialOperation.IssuedBefore(null, DateTime.UtcNow), CancellationToken.None);

            Assert.Equal("Role", revocation.TargetType);
            Assert.Equal(S3AccessPolicies.RevokeOlderSessionsPolicy(revocation.IssuedBefore.Value).ToJson(), revocation.PolicyDocument);
            Assert.Equal("AccessDenied", await ListAsync(old));
            // The moment is rounded up to a whole second: credentials issued before it are refused too. Poll, bounded, for
            // credentials issued after it; they must work.
            var watch = Stopwatch.StartNew();
            string fresh;
            do
                fresh = await ListAsync(await TemporaryAsync(admin));
            while (fresh != "allowed" && watch.Elapsed < TimeSpan.FromSeconds(5));
            Assert.Equal("allowed", fresh);
            Assert.Equal("AccessDenied", await ListAsync(old));
        }

        [Fact]
        public async Task Revoking_what_a_user_issued_leaves_the_users_own_keys_working()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("reports");
            var permanent = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "reports" }, Access = AccessLevel.ReadOnly, NoWait = true }, admin);
            Moto.SetAuthEnforced(true);

            var revocation = await Revoke(admin).RevokeUserSessionsAsync(permanent.UserName, RevokeCredentialOperation.IssuedBefore(null, DateTime.UtcNow), CancellationToken.None);

            Assert.Equal("User", revocation.TargetType);
            Moto.SetAuthEnforced(false);
            using (var iam = Iam())
                Assert.Equal(revocation.PolicyDocument, (await iam.GetUserPolicyAsync(permanent.UserName, S3AccessPolicies.RevokeOlderSessionsPolicyName)).PolicyDocument);
            Moto.SetAuthEnforced(true);
            Assert.Equal("allowed", await ListAsync(permanent));
        }

        [Fact]
        public async Task A_deactivated_key_is_refused_at_once()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("reports");
            var permanent = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "reports" }, Access = AccessLevel.ReadOnly, NoWait = true }, admin);
            Moto.SetAuthEnforced(true);
            Assert.Equal("allowed", await ListAsync(permanent));

            var revocation = await Revoke(admin).DeactivateKeyAsync(permanent.UserName, permanent.AccessKeyId, CancellationToken.None);

            Assert.Equal("AccessKey", revocation.TargetType);
            Assert.Equal(permanent.AccessKeyId, revocation.AccessKeyId);
            Assert.Equal("InvalidAccessKeyId", await ListAsync(permanent));
        }

        [Fact]
        public async Task An_earlier_revocation_reaching_later_is_kept_and_WhatIf_shows_the_exact_policy()
        {
            var admin = await AdminSessionAsync();
            using (var iam = Iam())
                await iam.CreateRoleAsync("partner-role", TrustPolicies.ForPrincipal("arn:aws:iam::123456789012:user/admin").ToJson());
            var later = RevokeCredentialOperation.IssuedBefore(null, DateTime.UtcNow);
            await Revoke(admin).RevokeRoleSessionsAsync("partner-role", later, CancellationToken.None);
            Recorder.Clear();

            var kept = await Revoke(admin).RevokeRoleSessionsAsync("partner-role", later.AddMinutes(-5), CancellationToken.None);

            Assert.Equal(later, kept.IssuedBefore);
            Assert.Equal(new[] { "GetRolePolicy" }, Recorder.Calls.Select(c => c.Action).ToArray());
            Recorder.Clear();
            Host.IsWhatIf = true;
            Assert.Null(await Revoke(admin).RevokeRoleSessionsAsync("partner-role", later.AddSeconds(1), CancellationToken.None));
            Assert.Equal(new[] { "GetRolePolicy" }, Recorder.Calls.Select(c => c.Action).ToArray());
            var (target, action) = Host.Confirmations.Last();
            Assert.Equal("partner-role", target);
            Assert.EndsWith("'AWSRevokeOlderSessions' " + S3AccessPolicies.RevokeOlderSessionsPolicy(later.AddSeconds(1)).ToJson(), action);
        }

        [Fact]
        public async Task Stopped_while_the_revocation_policy_is_in_flight_the_role_gets_back_no_policy()
        {
            var admin = await AdminSessionAsync();
            using var iam = Iam();
            await iam.CreateRoleAsync("stopped-role", TrustPolicies.ForPrincipal("arn:aws:iam::123456789012:user/admin").ToJson());
            Recorder.Clear();
            using var stop = new CancellationTokenSource();
            Recorder.CancelAtNth("PutRolePolicy", 1, stop, inFlight: true);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Revoke(admin).RevokeRoleSessionsAsync("stopped-role", DateTime.UtcNow, stop.Token));

            Assert.Equal(new[] { "GetRolePolicy", "PutRolePolicy", "DeleteRolePolicy" }, Recorder.Calls.Select(c => c.Action).ToArray());
            var missing = await Assert.ThrowsAnyAsync<Exception>(() => iam.GetRolePolicyAsync("stopped-role", S3AccessPolicies.RevokeOlderSessionsPolicyName));
            Assert.Contains("NoSuchEntity", (missing as S3Credentials.Core.Iam.IamServiceException)?.ErrorCode ?? missing.ToString());
            Assert.Empty(Host.Warnings);
        }

        [Fact]
        public async Task Stopped_while_a_later_revocation_is_in_flight_the_role_gets_back_the_earlier_policy()
        {
            var admin = await AdminSessionAsync();
            using var iam = Iam();
            await iam.CreateRoleAsync("stopped-role", TrustPolicies.ForPrincipal("arn:aws:iam::123456789012:user/admin").ToJson());
            var earlier = RevokeCredentialOperation.IssuedBefore(null, DateTime.UtcNow).AddMinutes(-10);
            await Revoke(admin).RevokeRoleSessionsAsync("stopped-role", earlier, CancellationToken.None);
            Recorder.Clear();
            using var stop = new CancellationTokenSource();
            Recorder.CancelAtNth("PutRolePolicy", 1, stop, inFlight: true);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Revoke(admin).RevokeRoleSessionsAsync("stopped-role", earlier.AddMinutes(5), stop.Token));

            Assert.Equal(new[] { "GetRolePolicy", "PutRolePolicy", "PutRolePolicy" }, Recorder.Calls.Select(c => c.Action).ToArray());
            var kept = await iam.GetRolePolicyAsync("stopped-role", S3AccessPolicies.RevokeOlderSessionsPolicyName);
            Assert.Equal(earlier, RevokeCredentialOperation.ReadIssuedBefore(kept.PolicyDocument));
        }

        [Fact]
        public async Task Deactivating_a_key_is_one_step_WhatIf_sends_nothing_a_stop_in_flight_reactivates_it_and_an_inactive_key_is_left_as_it_is()
        {
            var admin = await AdminSessionAsync();
            using var iam = Iam();
            await iam.CreateUserAsync("key-user");
            var key = await iam.CreateAccessKeyAsync("key-user");
            Recorder.Clear();

            Host.IsWhatIf = true;
            Assert.Null(await Revoke(admin).DeactivateKeyAsync("key-user", key.AccessKeyId, CancellationToken.None));
            Assert.Equal(("key-user", $"Deactivate access key {key.AccessKeyId}"), Assert.Single(Host.Confirmations));
            Assert.Empty(Recorder.Calls);
            Host.IsWhatIf = false;

            using var stop = new CancellationTokenSource();
            Recorder.CancelAtNth("UpdateAccessKey", 1, stop, inFlight: true);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Revoke(admin).DeactivateKeyAsync("key-user", key.AccessKeyId, stop.Token));
            Assert.Equal(new[] { "ListAccessKeys", "UpdateAccessKey", "UpdateAccessKey" }, Recorder.Calls.Select(c => c.Action).ToArray());
            Assert.Equal("Active", (await iam.ListAccessKeysAsync("key-user")).Items.Single().Status);

            await Revoke(admin).DeactivateKeyAsync("key-user", key.AccessKeyId, CancellationToken.None);
            Recorder.Clear();
            var again = await Revoke(admin).DeactivateKeyAsync("key-user", key.AccessKeyId, CancellationToken.None);
            Assert.Equal("AccessKey", again.TargetType);
            Assert.Equal(new[] { "ListAccessKeys" }, Recorder.Calls.Select(c => c.Action).ToArray());
            Assert.Equal("Inactive", (await iam.ListAccessKeysAsync("key-user")).Items.Single().Status);
        }

        [Fact]
        public async Task A_key_the_user_does_not_have_is_AccessKeyNotFound()
        {
            var admin = await AdminSessionAsync();
            using (var iam = Iam())
                await iam.CreateUserAsync("key-user");
            var error = await ThrowsAsync<S3CredentialsException>(() => Revoke(admin).DeactivateKeyAsync("key-user", "AKIAIOSFODNN7EXAMPLE", CancellationToken.None));
            Assert.Equal("AccessKeyNotFound", error.ErrorId);
            Assert.Equal("AccessKeyId", error.ParameterName);
        }

        [Fact]
        public async Task A_role_that_does_not_exist_is_RoleNotFound()
        {
            var error = await ThrowsAsync<S3CredentialsException>(() => Revoke(MotoSession()).RevokeRoleSessionsAsync("no-such-role", DateTime.UtcNow, CancellationToken.None));
            Assert.Equal("RoleNotFound", error.ErrorId);
            Assert.Equal("RoleName", error.ParameterName);
        }

        [Fact]
        public void The_policy_is_the_consoles_deny_on_token_issue_time_to_the_second()
        {
            Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"RevokeOlderSessions\",\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":[\"2026-12-06T08:00:00Z\"]}}}]}",
                S3AccessPolicies.RevokeOlderSessionsPolicy(new DateTime(2026, 12, 6, 8, 0, 0, DateTimeKind.Utc)).ToJson());
        }

        [Fact]
        public void The_moment_is_rounded_up_to_a_whole_second_and_may_not_be_later_than_now()
        {
            var now = new DateTime(2026, 12, 6, 8, 0, 0, 250, DateTimeKind.Utc);
            Assert.Equal(new DateTime(2026, 12, 6, 8, 0, 1, DateTimeKind.Utc), RevokeCredentialOperation.IssuedBefore(null, now));
            Assert.Equal(new DateTime(2026, 12, 6, 7, 0, 0, DateTimeKind.Utc), RevokeCredentialOperation.IssuedBefore(new DateTime(2026, 12, 6, 7, 0, 0, DateTimeKind.Utc), now));
            var error = Assert.Throws<S3CredentialsException>(() => RevokeCredentialOperation.IssuedBefore(now.AddMinutes(1), now));
            Assert.Equal("BeforeInFuture", error.ErrorId);
            Assert.Equal("Before", error.ParameterName);
            Assert.Contains("-Before", error.Message);
        }
    }
}
