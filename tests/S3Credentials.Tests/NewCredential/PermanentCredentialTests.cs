using System;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3.Model;
using S3Credentials.Core;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    public sealed class PermanentCredentialTests : NewCredentialTestBase
    {
        public PermanentCredentialTests(MotoServer moto) : base(moto) { }

        [Theory]
        [InlineData(AccessLevel.ReadWrite, "s3.read-write.photos")]
        [InlineData(AccessLevel.ReadOnly, "s3.read-only.photos")]
        [InlineData(AccessLevel.WriteOnly, "s3.write-only.photos")]
        public async Task Creates_a_user_with_one_inline_policy_per_bucket_and_a_working_key(AccessLevel access, string expectedName)
        {
            await CreateBucketsAsync("photos");
            var credential = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "photos" }, Access = access });

            Assert.Equal("Permanent", credential.Kind);
            Assert.Equal(expectedName, credential.UserName);
            Assert.Equal(access.ToString(), credential.Access);
            Assert.Equal(new[] { "photos" }, credential.BucketName);
            Assert.Matches("^AKIA", credential.AccessKeyId);
            Assert.False(string.IsNullOrEmpty(credential.SecretAccessKey));
            Assert.Null(credential.SessionToken);
            Assert.Null(credential.Expiration);

            using var iam = Iam();
            var user = await iam.GetUserAsync(expectedName);
            Assert.Equal("/s3credentials/", user.Path);
            Assert.Contains(user.Tags, t => t.Key == CredentialPlan.ManagedTagKey && t.Value == "true");
            var policy = await iam.GetUserPolicyAsync(expectedName, expectedName);
            Assert.Equal(S3AccessPolicies.PermanentUserPolicy("photos", access, Array.Empty<string>(), null, S3Credentials.Core.Aws.AwsPartition.Aws).ToJson(), Compact(policy.PolicyDocument));
            Assert.Equal(credential.AccessKeyId, (await iam.ListAccessKeysAsync(expectedName)).Items.Single().AccessKeyId);
            var boundary = access == AccessLevel.ReadOnly ? "AmazonS3ReadOnlyAccess" : "AmazonS3FullAccess";
            Assert.Contains("PermissionsBoundary=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2F" + boundary, Recorder.Calls.Single(c => c.Action == "CreateUser").Body);
        }

        [Fact]
        public async Task Several_buckets_and_prefixes_give_one_policy_per_bucket_with_all_prefixes()
        {
            await CreateBucketsAsync("alpha", "beta");
            var credential = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "alpha", "beta" }, Access = AccessLevel.ReadOnly, Prefixes = new[] { "in/", "out/" } });
            Assert.Equal("s3.read-only.alpha,beta", credential.UserName);
            Assert.Equal(new[] { "in/", "out/" }, credential.Prefix);
            using var iam = Iam();
            Assert.Equal(new[] { "s3.read-only.alpha", "s3.read-only.beta" }, (await iam.ListUserPoliciesAsync(credential.UserName)).Items.OrderBy(n => n));
            var document = (await iam.GetUserPolicyAsync(credential.UserName, "s3.read-only.beta")).PolicyDocument;
            Assert.Contains("\"s3:prefix\":[\"in/*\",\"out/*\"]", Compact(document));
            Assert.Contains("\"arn:aws:s3:::beta/in/*\",\"arn:aws:s3:::beta/out/*\"", Compact(document));
        }

        [Fact]
        public async Task New_user_on_an_existing_bucket_takes_four_calls_and_the_checks_run_concurrently()
        {
            await CreateBucketsAsync("logs");
            Recorder.Clear();
            await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "logs" }, NoWait = true });
            Assert.Equal(new[] { "HeadBucket", "CreateUser", "PutUserPolicy", "CreateAccessKey" }, Recorder.Calls.Select(c => c.Action));

            await CreateBucketsAsync("bucket-1", "bucket-2", "bucket-3", "bucket-4");
            Recorder.Clear();
            await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "bucket-1", "bucket-2", "bucket-3", "bucket-4" }, NoWait = true });
            var counts = Recorder.CountsByAction();
            Assert.Equal(4, counts["HeadBucket"]);
            Assert.Equal(1, counts["CreateUser"]);
            Assert.Equal(4, counts["PutUserPolicy"]);
            Assert.Equal(1, counts["CreateAccessKey"]);
            Assert.Equal(10, Recorder.Calls.Count);
            Assert.True(Recorder.MaxInFlight > 1, "the bucket checks and policy writes should overlap");
        }

        [Fact]
        public async Task Waits_until_S3_recognises_the_new_key()
        {
            await CreateBucketsAsync("fresh");
            Recorder.FailNth("ListObjectsV2", 1, _ => S3Error(HttpStatusCode.Forbidden, "InvalidAccessKeyId"));
            Recorder.FailNth("ListObjectsV2", 2, _ => S3Error(HttpStatusCode.Forbidden, "InvalidAccessKeyId"));
            var credential = await CreateAsync(Request("fresh"));
            var probes = Recorder.Calls.Where(c => c.Action == "ListObjectsV2").ToList();
            Assert.Equal(3, probes.Count);
            Assert.All(probes, p => Assert.StartsWith(credential.AccessKeyId + "/", p.CredentialScope));
            Assert.Equal(2, Host.VerboseMessages.Count(m => m.Contains("does not recognise the new key yet")));
            Assert.Empty(Host.Warnings);
        }

        [Fact]
        public async Task An_AccessDenied_probe_means_the_key_is_live()
        {
            await CreateBucketsAsync("drop");
            Recorder.FailNth("ListObjectsV2", 1, _ => S3Error(HttpStatusCode.Forbidden, "AccessDenied"));
            await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "drop" }, Access = AccessLevel.WriteOnly });
            Assert.Equal(1, Recorder.Count("ListObjectsV2"));
        }

        [Fact]
        public async Task A_key_never_recognised_is_returned_with_a_warning()
        {
            await CreateBucketsAsync("slow");
            for (var i = 1; i <= 1000; i++)
                Recorder.FailNth("ListObjectsV2", i, _ => S3Error(HttpStatusCode.Forbidden, "InvalidAccessKeyId"));
            var operation = Operation();
            operation.KeyTiming = new S3Credentials.Core.Operations.PropagationTiming(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(200));
            var credential = await operation.RunAsync(Request("slow"), CancellationToken.None);
            Assert.NotNull(credential);
            Assert.Contains(Host.Warnings, w => w.Contains("did not recognise the new key " + credential.AccessKeyId));
        }

        [Fact]
        public async Task Existing_user_is_reused_and_given_the_policy()
        {
            await CreateBucketsAsync("shared");
            using (var iam = Iam()) await iam.CreateUserAsync("alice");
            var credential = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "shared" }, UserName = "alice", NoWait = true });
            Assert.Equal("alice", credential.UserName);
            using var check = Iam();
            Assert.Equal(new[] { "s3.read-write.shared" }, (await check.ListUserPoliciesAsync("alice")).Items);
            Assert.Contains("User 'alice' exists: adding to it.", Host.VerboseMessages);
        }

        [Fact]
        public async Task A_user_with_two_keys_gets_a_clear_error_naming_them_and_nothing_changes()
        {
            await CreateBucketsAsync("full");
            string[] keys;
            using (var iam = Iam())
            {
                await iam.CreateUserAsync("bob");
                keys = new[] { (await iam.CreateAccessKeyAsync("bob")).AccessKeyId, (await iam.CreateAccessKeyAsync("bob")).AccessKeyId };
            }
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(new NewCredentialRequest { BucketNames = new[] { "full" }, UserName = "bob" }));
            Assert.Equal("UserHasTwoAccessKeys", error.ErrorId);
            Assert.Equal(FailureKind.LimitsExceeded, error.Kind);
            Assert.All(keys, k => Assert.Contains(k, error.Message));
            // The way out is this module's commands, not another module's (AWS.Tools' Remove-IAMAccessKey).
            Assert.Contains("Update-S3Credential -UserName 'bob' -AccessKeyId ID", error.Message);
            Assert.DoesNotContain("IAMAccessKey", error.Message);
            Assert.DoesNotContain(Recorder.Calls, c => c.Action == "PutUserPolicy" || c.Action == "CreateAccessKey");
            using var check = Iam();
            Assert.Empty((await check.ListUserPoliciesAsync("bob")).Items);
        }

        [Theory]
        [InlineData("CreateUser")]
        [InlineData("PutUserPolicy")]
        [InlineData("CreateAccessKey")]
        public async Task A_failing_IAM_step_leaves_nothing_behind(string failingAction)
        {
            await CreateBucketsAsync("bucket-c1", "bucket-c2");
            Recorder.FailNth(failingAction, failingAction == "PutUserPolicy" ? 2 : 1,
                _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "injected failure of " + failingAction));
            var error = await Assert.ThrowsAsync<IamServiceException>(() => CreateAsync(Request("bucket-c1", "bucket-c2")));
            Assert.Contains("injected failure of " + failingAction, error.Message);
            Assert.Equal("", await IamInventoryAsync());
        }

        [Fact]
        public async Task An_unexpected_answer_while_waiting_keeps_the_working_key_with_a_warning()
        {
            await CreateBucketsAsync("wait-bucket");
            Recorder.FailNth("ListObjectsV2", 1, _ => S3Error(HttpStatusCode.MovedPermanently, "PermanentRedirect"));
            var credential = await CreateAsync(Request("wait-bucket"));
            Assert.NotNull(credential);
            Assert.Contains(Host.Warnings, w => w.Contains("Could not confirm that S3 recognises the new key") && w.Contains("PermanentRedirect"));
            Assert.Contains("key s3.read-write.wait-bucket/" + credential.AccessKeyId, await IamInventoryAsync());
        }

        [Fact]
        public async Task Cancellation_while_waiting_for_the_key_removes_key_policy_and_user()
        {
            await CreateBucketsAsync("wait-bucket");
            using var cancel = new CancellationTokenSource();
            Recorder.FailNth("ListObjectsV2", 1, _ => { cancel.Cancel(); throw new OperationCanceledException(cancel.Token); });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Operation().RunAsync(Request("wait-bucket"), cancel.Token));
            Assert.Equal("", await IamInventoryAsync());
            Assert.Contains(Host.VerboseMessages, m => m.StartsWith("Rolled back: access key"));
            Assert.Contains(Host.VerboseMessages, m => m == "Rolled back: user 's3.read-write.wait-bucket'.");
        }

        [Fact]
        public async Task A_user_the_module_did_not_make_is_reused_with_a_warning_and_without_tags()
        {
            await CreateBucketsAsync("foreign-user");
            using (var iam = Iam()) await iam.CreateUserAsync("dora");
            await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "foreign-user" }, UserName = "dora", Tags = new System.Collections.Generic.Dictionary<string, string> { ["team"] = "data" }, NoWait = true });
            Assert.Contains(Host.Warnings, w => w.Contains("User 'dora' was not made by this module"));
            Assert.Contains(Host.Warnings, w => w.Contains("-Tag is not applied"));
            Assert.DoesNotContain(Recorder.Calls, c => c.Action == "TagUser");
        }

        [Fact]
        public async Task The_inline_policies_a_user_already_has_count_toward_the_limit()
        {
            await CreateBucketsAsync("crowded");
            var big = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[" +
                string.Join(",", Enumerable.Range(0, 70).Select(i => $"\"arn:aws:s3:::crowded/folder-{i:D2}/*\"")) + "]}]}";
            using (var iam = Iam())
            {
                await iam.CreateUserAsync("erin");
                await iam.PutUserPolicyAsync("erin", "existing", big);
            }
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(new NewCredentialRequest { BucketNames = new[] { "crowded" }, UserName = "erin" }));
            Assert.Equal("InlinePoliciesTooLarge", error.ErrorId);
            Assert.Equal("UserName", error.ParameterName);
            Assert.DoesNotContain(Recorder.Calls, c => c.Action == "PutUserPolicy" || c.Action == "CreateAccessKey");
        }

        [Fact]
        public async Task WhatIf_shows_the_error_a_real_run_would_hit_on_a_user_with_two_keys()
        {
            await CreateBucketsAsync("full-whatif");
            using (var iam = Iam())
            {
                await iam.CreateUserAsync("frank");
                await iam.CreateAccessKeyAsync("frank");
                await iam.CreateAccessKeyAsync("frank");
            }
            Host.IsWhatIf = true;
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(new NewCredentialRequest { BucketNames = new[] { "full-whatif" }, UserName = "frank" }));
            Assert.Equal("UserHasTwoAccessKeys", error.ErrorId);
        }

        [Fact]
        public async Task Statements_alone_make_a_custom_user_without_the_default_boundary()
        {
            await CreateBucketsAsync("with-extra");
            var credential = await CreateAsync(new NewCredentialRequest
            {
                BucketNames = new[] { "with-extra" },
                Statements = new[] { "{\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"*\"}" },
                NoWait = true,
            });
            Assert.Equal("s3.custom.with-extra", credential.UserName);
            Assert.Equal("Custom", credential.Access);
            using var iam = Iam();
            var document = (await iam.GetUserPolicyAsync(credential.UserName, "s3.custom.with-extra")).PolicyDocument;
            Assert.Contains("s3:PutObject", document);
            Assert.Contains("s3:ListAllMyBuckets", document);
        }

        [Fact]
        public async Task Cancellation_in_the_middle_rolls_back()
        {
            await CreateBucketsAsync("stop");
            using var cancel = new CancellationTokenSource();
            Recorder.FailNth("CreateAccessKey", 1, _ => { cancel.Cancel(); throw new OperationCanceledException(cancel.Token); });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Operation().RunAsync(Request("stop"), cancel.Token));
            Assert.Equal("", await IamInventoryAsync());
        }

        [Fact]
        public async Task On_an_existing_user_a_failure_restores_the_policy_it_overwrote_and_keeps_the_user()
        {
            await CreateBucketsAsync("keep");
            const string before = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::keep/old/*\"]}]}";
            using (var iam = Iam())
            {
                await iam.CreateUserAsync("carol");
                await iam.PutUserPolicyAsync("carol", "s3.read-write.keep", before);
            }
            Recorder.FailNth("CreateAccessKey", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "no"));
            await Assert.ThrowsAsync<IamServiceException>(() => CreateAsync(new NewCredentialRequest { BucketNames = new[] { "keep" }, UserName = "carol" }));
            using var check = Iam();
            Assert.Equal("carol", (await check.GetUserAsync("carol")).UserName);
            Assert.Equal(before, Compact((await check.GetUserPolicyAsync("carol", "s3.read-write.keep")).PolicyDocument));
        }

        [Fact]
        public async Task Declining_the_key_at_Confirm_undoes_the_user_and_policy()
        {
            await CreateBucketsAsync("ask");
            Host.Answer = (target, action) => !action.StartsWith("Create access key", StringComparison.Ordinal);
            var credential = await CreateAsync(Request("ask"));
            Assert.Null(credential);
            Assert.Equal("", await IamInventoryAsync());
            Assert.Contains(Host.Warnings, w => w.Contains("declined"));
        }

        [Fact]
        public async Task WhatIf_reads_the_real_state_shows_the_plan_and_changes_nothing()
        {
            await CreateBucketsAsync("plan");
            using (var iam = Iam()) await iam.CreateUserAsync("s3.read-only.plan");
            Host.IsWhatIf = true;
            var credential = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "plan", "new-bucket" }, Access = AccessLevel.ReadOnly, CreateBucket = true, UserName = "s3.read-only.plan" });
            Assert.Null(credential);
            // Only reads: the user, its keys and policies (a real run would check them), and the buckets.
            Assert.Equal(new[] { "GetUser", "HeadBucket", "HeadBucket", "ListAccessKeys", "ListUserPolicies" }, Recorder.Calls.Select(c => c.Action).OrderBy(a => a));
            Assert.Contains(("new-bucket", "Create S3 bucket in us-east-1"), Host.Confirmations);
            Assert.Contains(("s3.read-only.plan", "Reuse the existing IAM user"), Host.Confirmations);
            Assert.Contains(Host.Confirmations, c => c.Action.StartsWith("Put inline policy 's3.read-only.plan' for bucket 'plan': {\"Version\""));
            Assert.Contains(("s3.read-only.plan", "Create access key and wait until S3 recognises it"), Host.Confirmations);
            Assert.Equal("user s3.read-only.plan", await IamInventoryAsync());
        }

        [Fact]
        public async Task WhatIf_shows_the_steps_a_real_run_asks_about_with_the_exact_policy()
        {
            await CreateBucketsAsync("same-steps");
            Host.IsWhatIf = true;
            Assert.Null(await CreateAsync(Request("same-steps")));
            var shown = Host.Confirmations.ToList();
            Host.Confirmations.Clear();
            Host.IsWhatIf = false;
            Assert.NotNull(await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "same-steps" }, NoWait = false }));
            var asked = Host.Confirmations.ToList();

            Assert.Equal(shown.Select(c => c.Target), asked.Select(c => c.Target));
            Assert.Equal(3, shown.Count);
            // The user step's question names both outcomes, since a real run learns whether the user exists by trying.
            Assert.Equal(shown[0].Action + ", or reuse the existing IAM user", asked[0].Action);
            Assert.Equal(shown.Skip(1), asked.Skip(1));
            var document = JsonDocument.Parse(shown[1].Action.Substring(shown[1].Action.IndexOf(": {", StringComparison.Ordinal) + 2));
            Assert.Equal("arn:aws:s3:::same-steps", document.RootElement.GetProperty("Statement")[0].GetProperty("Resource")[0].GetString());
        }

        [Fact]
        public async Task Missing_bucket_is_an_error_unless_CreateBucket()
        {
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(Request("nowhere")));
            Assert.Equal("BucketNotFound", error.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, error.Kind);
            Assert.Contains("-CreateBucket", error.Message);
            Assert.Equal(new[] { "HeadBucket" }, Recorder.Calls.Select(c => c.Action));

            var credential = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "nowhere" }, CreateBucket = true, BucketRegion = "eu-west-1", NoWait = true });
            Assert.NotNull(credential);
            Assert.Contains("<LocationConstraint>eu-west-1</LocationConstraint>", Recorder.Calls.Single(c => c.Action == "CreateBucket").Body);
        }

        [Fact]
        public async Task A_forbidden_bucket_is_not_reported_as_missing()
        {
            Recorder.FailNth("HeadBucket", 1, _ => Status(HttpStatusCode.Forbidden));
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(new NewCredentialRequest { BucketNames = new[] { "someone-elses" }, CreateBucket = true }));
            Assert.Equal("BucketAccessDenied", error.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, error.Kind);
            Assert.DoesNotContain(Recorder.Calls, c => c.Action == "CreateBucket" || c.Action == "CreateUser");
        }

        [Fact]
        public async Task Public_and_Website_apply_to_created_buckets_and_are_an_error_on_existing_ones()
        {
            await CreateBucketsAsync("existing");
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(new NewCredentialRequest { BucketNames = new[] { "existing", "brand-new" }, CreateBucket = true, Public = true }));
            Assert.Equal("ExistingBucketNotChanged", error.ErrorId);
            Assert.Equal(new[] { "HeadBucket", "HeadBucket" }, Recorder.Calls.Select(c => c.Action));

            await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "brand-new" }, CreateBucket = true, Public = true, Website = true, NoWait = true });
            using var s3 = SetupSession().CreateS3Client();
            var policy = await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = "brand-new" });
            Assert.Contains("AllowAllGetObject", policy.Policy);
            var website = await s3.GetBucketWebsiteAsync(new GetBucketWebsiteRequest { BucketName = "brand-new" });
            Assert.Equal("index.html", website.WebsiteConfiguration.IndexDocumentSuffix);
        }

        [Fact]
        public async Task A_failure_after_creating_a_bucket_removes_the_bucket_too()
        {
            Recorder.FailNth("CreateUser", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "no"));
            await Assert.ThrowsAsync<IamServiceException>(() => CreateAsync(new NewCredentialRequest { BucketNames = new[] { "temporary-bucket" }, CreateBucket = true }));
            using var s3 = SetupSession().CreateS3Client();
            Assert.Empty((await s3.ListBucketsAsync()).Buckets ?? new System.Collections.Generic.List<S3Bucket>());
        }

        [Fact]
        public async Task Custom_policy_and_statements_are_written_per_bucket()
        {
            await CreateBucketsAsync("one", "two");
            var credential = await CreateAsync(new NewCredentialRequest
            {
                BucketNames = new[] { "one", "two" },
                Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject*\"],\"Resource\":[\"arn:aws:s3:::$!BUCKET_NAME!$/*\"]}]}",
                Statements = new[] { "{\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"*\"}" },
                NoWait = true,
            });
            Assert.Equal("Custom", credential.Access);
            Assert.Equal("s3.custom.one,two", credential.UserName);
            using var iam = Iam();
            var two = Compact((await iam.GetUserPolicyAsync(credential.UserName, "s3.custom.two")).PolicyDocument);
            Assert.Contains("arn:aws:s3:::two/*", two);
            Assert.DoesNotContain("one", two);
            Assert.Contains("s3:ListAllMyBuckets", two);
            Assert.DoesNotContain("PermissionsBoundary", Recorder.Calls.Single(c => c.Action == "CreateUser").Body);
        }

        private static string Compact(string json)
        {
            using var document = JsonDocument.Parse(json);
            return S3Credentials.Core.Policies.PolicyJson.Write(w => document.RootElement.WriteTo(w), indented: false);
        }
    }
}
