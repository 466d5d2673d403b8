using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Models;
using S3Credentials.Core.Sts;
using S3Credentials.Core;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    public sealed class TemporaryCredentialTests : NewCredentialTestBase
    {
        private const string RoleArn = "arn:aws:iam::123456789012:role/s3credentials/S3Credentials-TemporaryAccess";

        public TemporaryCredentialTests(MotoServer moto) : base(moto) { }

        private static NewCredentialRequest Temporary(TimeSpan duration, params string[] buckets)
            => new NewCredentialRequest { BucketNames = buckets, Duration = duration };

        private static Func<System.Net.Http.HttpRequestMessage, System.Net.Http.HttpResponseMessage> Denied(string message = "not authorized to perform: sts:AssumeRole")
            => _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", message);

        [Fact]
        public async Task With_the_role_in_place_it_takes_two_calls()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("reports");
            await CreateModuleRoleAsync("arn:aws:iam::123456789012:user/admin");

            var credential = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "reports" }, Access = AccessLevel.ReadOnly, Prefixes = new[] { "2026/" }, Duration = TimeSpan.FromMinutes(15) }, admin);

            Assert.Equal(new[] { "HeadBucket", "AssumeRole" }, Recorder.Calls.Select(c => c.Action).ToArray());
            var assume = Recorder.Calls.Single(c => c.Action == "AssumeRole");
            Assert.Equal(RoleArn, FormValue(assume.Body, "RoleArn"));
            Assert.Equal("900", FormValue(assume.Body, "DurationSeconds"));
            Assert.Equal("s3.read-only.reports", FormValue(assume.Body, "RoleSessionName"));
            Assert.Equal(S3AccessPolicies.SessionPolicy(new[] { "reports" }, AccessLevel.ReadOnly, new[] { "2026/" }, null, AwsPartition.Aws).ToJson(), FormValue(assume.Body, "Policy"));

            Assert.Equal("Temporary", credential.Kind);
            Assert.Equal("AssumeRole", credential.Method);
            Assert.Equal(RoleArn, credential.RoleArn);
            Assert.StartsWith("ASIA", credential.AccessKeyId);
            Assert.False(string.IsNullOrEmpty(credential.SessionToken));
            Assert.InRange(credential.Expiration.Value, DateTime.UtcNow.AddMinutes(10), DateTime.UtcNow.AddMinutes(20));
            Assert.Equal(new[] { "2026/" }, credential.Prefix);
        }

        [Fact]
        public async Task A_key_that_does_not_name_its_account_costs_one_lookup_per_session()
        {
            await CreateBucketsAsync("old-key-bucket");
            var session = MotoSession("AKIAIOSFODNN7OLDKEY1", TestSecretKey);
            await CreateAsync(Temporary(TimeSpan.FromHours(1), "old-key-bucket"), session);
            var first = Recorder.Calls.Select(c => c.Action).ToList();
            Recorder.Clear();
            await CreateAsync(Temporary(TimeSpan.FromHours(1), "old-key-bucket"), session);
            Assert.Equal(new[] { "AssumeRole", "GetCallerIdentity", "HeadBucket" }, first.OrderBy(a => a));
            Assert.Equal(new[] { "HeadBucket", "AssumeRole" }, Recorder.Calls.Select(c => c.Action));
        }

        [Fact]
        public async Task First_run_creates_the_role_trusting_only_the_caller_and_waits_for_it()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("first-run");
            Moto.SetAuthEnforced(true);
            // AWS refuses AssumeRole on a missing role (moto does not), then refuses a new role until IAM has propagated it.
            Recorder.FailNth("AssumeRole", 1, Denied());
            Recorder.FailNth("AssumeRole", 2, Denied());
            Recorder.FailNth("AssumeRole", 3, Denied());

            var credential = await CreateAsync(Temporary(TimeSpan.FromHours(12), "first-run"), admin);

            Assert.Equal(RoleArn, credential.RoleArn);
            Assert.Equal(new[] { "HeadBucket", "AssumeRole", "GetCallerIdentity", "GetRole", "CreateRole", "PutRolePolicy", "AssumeRole", "AssumeRole", "AssumeRole" },
                Recorder.Calls.Select(c => c.Action).ToArray());
            Assert.Equal(2, Host.VerboseMessages.Count(m => m.Contains("does not accept role") && m.Contains("yet")));

            Moto.SetAuthEnforced(false);
            using var iam = Iam();
            var role = await iam.GetRoleAsync(CredentialPlan.DefaultRoleName);
            Assert.Equal("/s3credentials/", role.Path);
            Assert.Equal(43200, role.MaxSessionDuration);
            Assert.Contains(role.Tags, t => t.Key == CredentialPlan.ManagedTagKey);
            Assert.True(TrustPolicies.Trusts(role.AssumeRolePolicyDocument, "arn:aws:iam::123456789012:user/admin"));
            Assert.DoesNotContain(":root", role.AssumeRolePolicyDocument);
            var permissions = (await iam.GetRolePolicyAsync(CredentialPlan.DefaultRoleName, "s3-access")).PolicyDocument;
            Assert.Contains("\"s3:*\"", permissions);
            Assert.DoesNotContain("iam:", permissions);
        }

        [Fact]
        public async Task A_module_role_that_does_not_trust_the_caller_is_extended_and_moto_then_lets_it_in()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("shared-role");
            await CreateModuleRoleAsync("arn:aws:iam::123456789012:user/someone-else");
            Moto.SetAuthEnforced(true); // moto checks trust policies of existing roles

            var credential = await CreateAsync(Temporary(TimeSpan.FromHours(1), "shared-role"), admin);

            Assert.Equal(RoleArn, credential.RoleArn);
            Assert.Contains("UpdateAssumeRolePolicy", Recorder.Calls.Select(c => c.Action));
            Moto.SetAuthEnforced(false);
            using var iam = Iam();
            var trust = (await iam.GetRoleAsync(CredentialPlan.DefaultRoleName)).AssumeRolePolicyDocument;
            Assert.True(TrustPolicies.Trusts(trust, "arn:aws:iam::123456789012:user/admin"));
            Assert.True(TrustPolicies.Trusts(trust, "arn:aws:iam::123456789012:user/someone-else"));
        }

        [Fact]
        public async Task A_failure_after_extending_the_trust_policy_restores_it()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("trust-rollback");
            await CreateModuleRoleAsync("arn:aws:iam::123456789012:user/someone-else");
            string before;
            using (var iam = Iam()) before = (await iam.GetRoleAsync(CredentialPlan.DefaultRoleName)).AssumeRolePolicyDocument;
            for (var i = 1; i < 500; i++) Recorder.FailNth("AssumeRole", i, Denied());

            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(Temporary(TimeSpan.FromHours(1), "trust-rollback"), admin));
            Assert.Equal("RoleNotAssumable", error.ErrorId);
            Assert.Contains("UpdateAssumeRolePolicy", Recorder.Calls.Select(c => c.Action));
            using var check = Iam();
            var after = (await check.GetRoleAsync(CredentialPlan.DefaultRoleName)).AssumeRolePolicyDocument;
            Assert.False(TrustPolicies.Trusts(after, "arn:aws:iam::123456789012:user/admin"));
            Assert.True(TrustPolicies.Trusts(after, "arn:aws:iam::123456789012:user/someone-else"));
        }

        [Fact]
        public async Task WhatIf_refuses_a_role_the_module_may_not_change()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("foreign-whatif");
            await CreateModuleRoleAsync("arn:aws:iam::123456789012:user/someone-else", managed: false);
            Host.IsWhatIf = true;
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(Temporary(TimeSpan.FromHours(1), "foreign-whatif"), admin));
            Assert.Equal("RoleDoesNotTrustCaller", error.ErrorId);
            Assert.DoesNotContain(Recorder.Calls, c => c.Action == "AssumeRole" || c.Action == "UpdateAssumeRolePolicy");
        }

        [Fact]
        public async Task A_role_not_made_by_the_module_is_never_changed()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("foreign-role");
            await CreateModuleRoleAsync("arn:aws:iam::123456789012:user/someone-else", managed: false);
            Moto.SetAuthEnforced(true);

            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(Temporary(TimeSpan.FromHours(1), "foreign-role"), admin));
            Assert.Equal("RoleDoesNotTrustCaller", error.ErrorId);
            Assert.DoesNotContain("UpdateAssumeRolePolicy", Recorder.Calls.Select(c => c.Action));
        }

        [Theory]
        [InlineData("PutRolePolicy")]
        [InlineData("AssumeRole")]
        public async Task A_failure_after_creating_the_role_removes_it(string failingAction)
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("role-failure");
            Recorder.FailNth("AssumeRole", 1, Denied());
            if (failingAction == "PutRolePolicy")
                Recorder.FailNth("PutRolePolicy", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.BadRequest, "MalformedPolicyDocument", "injected"));
            else
                for (var i = 2; i < 500; i++) Recorder.FailNth("AssumeRole", i, Denied());

            var error = await Assert.ThrowsAnyAsync<Exception>(() => CreateAsync(Temporary(TimeSpan.FromHours(1), "role-failure"), admin));
            if (failingAction == "AssumeRole")
                Assert.Equal("RoleNotAssumable", Assert.IsType<S3CredentialsException>(error).ErrorId);
            Assert.Equal("", await IamInventoryAsync("admin"));
        }

        [Fact]
        public async Task A_role_with_a_short_MaxSessionDuration_gives_an_error_that_says_how_to_fix_it()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("short-role");
            await CreateModuleRoleAsync("arn:aws:iam::123456789012:user/admin", maxSessionDuration: 3600);
            Recorder.FailNth("AssumeRole", 1, Denied());
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(Temporary(TimeSpan.FromHours(2), "short-role"), admin));
            Assert.Equal("RoleMaxSessionTooShort", error.ErrorId);
            Assert.Equal("Duration", error.ParameterName);
            Assert.Contains("(1h)", error.Message);
            Assert.Contains("--max-session-duration 43200", error.Message);

            Recorder.Clear();
            Recorder.FailNth("AssumeRole", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.BadRequest, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."));
            error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(Temporary(TimeSpan.FromHours(2), "short-role"), admin));
            Assert.Equal("RoleMaxSessionTooShort", error.ErrorId);
        }

        [Fact]
        public async Task Role_chaining_is_capped_at_one_hour_with_a_clear_error()
        {
            await CreateBucketsAsync("chained");
            using var sts = SetupSession().CreateStsClient();
            var assumed = (await sts.AssumeRoleAsync(new StsAssumeRoleRequest { RoleArn = "arn:aws:iam::123456789012:role/ops", RoleSessionName = "ops-session" })).Credentials;
            var roleSession = MotoSession(assumed.AccessKeyId, assumed.SecretAccessKey, assumed.SessionToken);
            using (var iam = Iam())
                await iam.CreateRoleAsync("ops", TrustPolicies.ForPrincipal("arn:aws:iam::123456789012:user/admin").ToJson());

            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(Temporary(TimeSpan.FromHours(2), "chained"), roleSession));
            Assert.Equal("RoleChainingLimit", error.ErrorId);
            Assert.DoesNotContain("AssumeRole", Recorder.Calls.Select(c => c.Action));

            var admin = await AdminSessionAsync();
            Recorder.Clear();
            Recorder.FailNth("AssumeRole", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.BadRequest, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."));
            error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(Temporary(TimeSpan.FromHours(2), "chained"), admin));
            Assert.Equal("RoleChainingLimit", error.ErrorId);
        }

        [Fact]
        public async Task A_custom_policy_names_every_bucket_in_one_session_policy()
        {
            await CreateBucketsAsync("first-bucket", "second-bucket", "third-bucket");
            await CreateAsync(new NewCredentialRequest
            {
                BucketNames = new[] { "first-bucket", "second-bucket", "third-bucket" },
                Duration = TimeSpan.FromMinutes(30),
                Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::$!BUCKET_NAME!$/*\"]}]}",
            }, await AdminSessionAsync());
            var policy = FormValue(Recorder.Calls.Single(c => c.Action == "AssumeRole").Body, "Policy");
            Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[" +
                "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::first-bucket/*\"]}," +
                "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::second-bucket/*\"]}," +
                "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::third-bucket/*\"]}]}", policy);
        }

        [Fact]
        public async Task A_federation_token_needs_no_role()
        {
            await CreateBucketsAsync("federated");
            var credential = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "federated" }, Duration = TimeSpan.FromHours(36), Method = TemporaryCredentialMethod.FederationToken }, await AdminSessionAsync());
            Assert.Equal(new[] { "HeadBucket", "GetFederationToken" }, Recorder.Calls.Select(c => c.Action));
            var call = Recorder.Calls.Single(c => c.Action == "GetFederationToken");
            Assert.Equal("129600", FormValue(call.Body, "DurationSeconds"));
            Assert.InRange(FormValue(call.Body, "Name").Length, 2, 32);
            Assert.Equal("FederationToken", credential.Method);
            Assert.False(string.IsNullOrEmpty(credential.SessionToken));
        }

        [Fact]
        public async Task A_federation_token_with_temporary_caller_credentials_is_refused_before_any_call()
        {
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(
                new NewCredentialRequest { BucketNames = new[] { "anything" }, Duration = TimeSpan.FromHours(1), Method = TemporaryCredentialMethod.FederationToken },
                MotoSession("ASIAIOSFODNN7EXAMPLE", TestSecretKey, "token-of-a-session")));
            Assert.Equal("FederationTokenNeedsPermanentCredentials", error.ErrorId);
            Assert.Empty(Recorder.Calls);
        }

        [Fact]
        public async Task WhatIf_reads_role_and_buckets_and_assumes_nothing()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("plan-temporary");
            Host.IsWhatIf = true;
            Assert.Null(await CreateAsync(Temporary(TimeSpan.FromHours(1), "plan-temporary"), admin));
            Assert.Equal(new[] { "GetCallerIdentity", "GetRole", "HeadBucket" }, Recorder.Calls.Select(c => c.Action).OrderBy(a => a));
            Assert.Contains(Host.Confirmations, c => c.Target == CredentialPlan.DefaultRoleName && c.Action.StartsWith("Create IAM role") && c.Action.Contains("trusting only arn:aws:iam::123456789012:user/admin"));
            Assert.Contains(Host.Confirmations, c => c.Action.StartsWith("Assume role for 1h as 's3.read-write.plan-temporary' with session policy {"));
            Assert.Equal("", await IamInventoryAsync("admin"));
        }

        [Fact]
        public async Task A_module_role_found_without_its_s3_access_policy_is_repaired_when_the_role_is_read()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("repair");
            using (var iam = Iam())
                await iam.CreateRoleAsync(CredentialPlan.DefaultRoleName, TrustPolicies.ForPrincipal("arn:aws:iam::123456789012:user/admin").ToJson(), null, 43200,
                    CredentialPlan.ManagedPath, new[] { new IamTag(CredentialPlan.ManagedTagKey, "true") });

            Host.IsWhatIf = true;
            Assert.Null(await CreateAsync(Temporary(TimeSpan.FromHours(1), "repair"), admin));
            Assert.Contains((CredentialPlan.DefaultRoleName, "Put inline policy 's3-access' (S3 only) on the role"), Host.Confirmations);
            using (var iam = Iam())
                Assert.Empty((await iam.ListRolePoliciesAsync(CredentialPlan.DefaultRoleName)).Items);

            Host.IsWhatIf = false;
            Recorder.Clear();
            // AssumeRole refused (as AWS refuses a role that does not trust the caller yet): the role is read, and repaired.
            Recorder.FailNth("AssumeRole", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "not authorized to perform: sts:AssumeRole"));
            Assert.NotNull(await CreateAsync(Temporary(TimeSpan.FromHours(1), "repair"), admin));

            Assert.Equal(new[] { "GetRole", "GetRolePolicy", "PutRolePolicy", "AssumeRole" }, Recorder.Calls.Select(c => c.Action).SkipWhile(a => a != "GetRole"));
            Assert.Contains(Host.Warnings, w => w.Contains("has no 's3-access' policy"));
            using (var iam = Iam())
                Assert.Equal(new[] { "s3-access" }, (await iam.ListRolePoliciesAsync(CredentialPlan.DefaultRoleName)).Items);
        }

        [Fact]
        public async Task WhatIf_of_a_first_temporary_run_shows_the_steps_the_real_run_asks_about()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("first-temporary");
            Host.IsWhatIf = true;
            Assert.Null(await CreateAsync(Temporary(TimeSpan.FromHours(1), "first-temporary"), admin));
            var shown = Host.Confirmations.ToList();
            Host.Confirmations.Clear();
            Host.IsWhatIf = false;
            // moto assumes roles that do not exist: refuse the first AssumeRole as AWS would.
            Recorder.FailNth("AssumeRole", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "not authorized to perform: sts:AssumeRole"));
            Assert.NotNull(await CreateAsync(Temporary(TimeSpan.FromHours(1), "first-temporary"), admin));

            // A real run tries AssumeRole first (asked first) and makes the role only when refused; -WhatIf shows the role first.
            Assert.Equal(2, shown.Count);
            Assert.Equal(shown.OrderBy(c => c.Action), Host.Confirmations.OrderBy(c => c.Action));
        }
    }
}

namespace S3Credentials.Tests.NewCredential
{
    public sealed class TrustPoliciesTests
    {
        [Fact]
        public void AddPrincipal_extends_the_existing_statement()
        {
            var trust = TrustPolicies.ForPrincipal("arn:aws:iam::123456789012:user/a").ToJson();
            var extended = TrustPolicies.AddPrincipal(trust, "arn:aws:iam::123456789012:user/b");
            Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::123456789012:user/a\",\"arn:aws:iam::123456789012:user/b\"]},\"Action\":[\"sts:AssumeRole\"]}]}", extended);
            Assert.True(TrustPolicies.Trusts(extended, "arn:aws:iam::123456789012:user/a"));
            Assert.True(TrustPolicies.Trusts(extended, "arn:aws:iam::123456789012:user/b"));
            Assert.False(TrustPolicies.Trusts(extended, "arn:aws:iam::123456789012:user/c"));
        }

        [Fact]
        public void A_conditional_or_service_statement_is_not_counted_as_trust_and_gets_a_new_statement()
        {
            const string trust = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}}";
            Assert.False(TrustPolicies.Trusts(trust, "arn:aws:iam::123456789012:user/a"));
            var extended = TrustPolicies.AddPrincipal(trust, "arn:aws:iam::123456789012:user/a");
            Assert.True(TrustPolicies.Trusts(extended, "arn:aws:iam::123456789012:user/a"));
            Assert.Contains("ec2.amazonaws.com", extended);
        }
    }
}
