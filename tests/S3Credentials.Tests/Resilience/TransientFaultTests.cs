using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;
using Xunit.Abstractions;

namespace S3Credentials.Tests.Resilience
{
    /// <summary>
    /// Every operation against moto while 20 % of request attempts (pseudo-random, fixed seed) are answered with throttling
    /// (IAM/STS "Throttling" 400, S3 "SlowDown" 503) or a dropped connection, relying on the SDK's own retries (standard
    /// mode, 3 attempts). Faults never take the last attempt of a call (see <see cref="RandomFaults"/>: at this rate
    /// 0.8 % of calls would otherwise fail outright, which only says 3 attempts are too few for 20 % loss); the last test
    /// shows what happens when they do.
    /// The operations must give the same results as without faults, and leave exactly what they should in IAM and S3.
    /// </summary>
    public sealed class TransientFaultTests : NewCredentialTestBase
    {
        private const int Seed = 20260;
        private const double Rate = 0.2;
        private const string Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::b/*\"]}]}";
        private const string ManagedArn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";

        private readonly ITestOutputHelper _output;

        public TransientFaultTests(MotoServer moto, ITestOutputHelper output) : base(moto) => _output = output;

        private void InjectFaults(double rate = Rate) => Recorder.RandomFaults = new RandomFaults(rate, Seed);

        /// <summary>
        /// Random faults of both kinds were injected, each call that met one was sent again, and every call's last attempt
        /// reached moto (or was a deliberate FailNth refusal, which is not retried).
        /// </summary>
        private void AssertFaultsWereRetried(int atLeast = 1)
        {
            var calls = Recorder.Calls;
            var injected = Recorder.InjectedCalls;
            _output.WriteLine($"{injected.Count} of {calls.Count} requests answered by an injected fault: " +
                string.Join(", ", injected.GroupBy(c => c.Injected).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}")));
            Assert.True(injected.Count >= atLeast, $"expected at least {atLeast} injected faults, got {injected.Count} of {calls.Count} requests");
            Assert.Contains(injected, c => c.Injected == "Dropped");
            Assert.Contains(injected, c => c.Injected == "Throttling" || c.Injected == "SlowDown");
            foreach (var call in calls.Where(c => c.InvocationId != null).GroupBy(c => c.InvocationId))
            {
                var last = call.OrderBy(c => c.Attempt).Last();
                Assert.True(last.Injected == null || last.Injected == "FailNth", $"{last.Action} ended with an injected {last.Injected}");
                Assert.Equal(Enumerable.Range(1, call.Count()), call.Select(c => c.Attempt).OrderBy(a => a));
            }
        }

        private async Task CreateRoleAsync(string trustedArn)
        {
            using var iam = Iam();
            await iam.CreateRoleAsync(CredentialPlan.DefaultRoleName, TrustPolicies.ForPrincipal(trustedArn).ToJson(), null, 43200, CredentialPlan.ManagedPath,
                new[] { new IamTag(CredentialPlan.ManagedTagKey, "true") });
            await iam.PutRolePolicyAsync(CredentialPlan.DefaultRoleName, "s3-access", S3AccessPolicies.RolePermissionsPolicy(Core.Aws.AwsPartition.Aws).ToJson());
        }

        /// <summary>The calls that are not idempotent, which the module sends without the SDK's automatic retry.</summary>
        private static readonly string[] SentOnce = { "CreateAccessKey", "CreateUser", "CreateRole" };

        [Theory]
        [InlineData(RandomFaults.Kind.Throttled)]
        [InlineData(RandomFaults.Kind.Dropped)]
        public async Task The_sdk_retries_each_fault_on_iam_sts_and_s3(RandomFaults.Kind kind)
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("every-call");
            await CreateRoleAsync("arn:aws:iam::123456789012:user/admin");
            // Every call's first attempt fails, its second goes through. CreateAccessKey and CreateUser are left alone: they
            // are not idempotent and are sent without the SDK's retry (the module reads the state back after an unclear
            // answer and only then sends again; LostResponseTests and When_faults_outlast_the_retries cover that).
            Recorder.RandomFaults = new RandomFaults(1.0, Seed) { MaxFaultsPerCall = 1, Kinds = new[] { kind }, Filter = r => !SentOnce.Contains(r.Action) };

            var permanent = await CreateAsync(Request("every-call"), admin);
            var temporary = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "every-call" }, Duration = TimeSpan.FromHours(1) }, admin);

            Assert.StartsWith("AKIA", permanent.AccessKeyId);
            Assert.StartsWith("ASIA", temporary.AccessKeyId);
            var calls = Recorder.Calls;
            Assert.Equal(new[] { "HeadBucket", "PutUserPolicy", "ListObjectsV2", "HeadBucket", "AssumeRole" },
                calls.Where(c => c.Attempt == 2).Select(c => c.Action));
            // CreateAccessKey and CreateUser are not idempotent: each is sent without the SDK's retry (see LostResponseTests),
            // so each has one attempt and no fault.
            foreach (var action in new[] { "CreateUser", "CreateAccessKey" })
            {
                var once = Assert.Single(calls, c => c.Action == action);
                Assert.Equal((1, 1), (once.Attempt, once.MaxAttempts));
            }
            Assert.Equal(new[] { "s3", "iam", "sts" }, calls.Select(c => c.Service).Distinct());
            var expected = kind == RandomFaults.Kind.Dropped ? new[] { "Dropped" } : new[] { "SlowDown", "Throttling" };
            Assert.Equal(expected, calls.Where(c => c.Attempt == 1 && !SentOnce.Contains(c.Action)).Select(c => c.Injected).Distinct().OrderBy(n => n));
            Assert.All(calls.Where(c => c.Attempt == 2), c => Assert.Null(c.Injected));
            Assert.All(calls.Where(c => !SentOnce.Contains(c.Action)), c => Assert.Equal(3, c.MaxAttempts)); // the SDK's default standard mode
            Assert.Empty(Host.Warnings);
            Assert.Equal($"user {permanent.UserName}\npolicy {permanent.UserName}/{S3AccessPolicies.InlinePolicyName(AccessLevel.ReadWrite, "every-call", false)}\nkey {permanent.UserName}/{permanent.AccessKeyId}\nrole {CredentialPlan.DefaultRoleName}\nrolepolicy {CredentialPlan.DefaultRoleName}/s3-access",
                await IamInventoryAsync("admin"));
        }

        [Fact]
        public async Task New_permanent_credentials_are_made_whole_and_once()
        {
            var admin = await AdminSessionAsync();
            var buckets = Enumerable.Range(0, 8).Select(i => $"permanent-{i:D2}").ToArray();
            await CreateBucketsAsync(buckets);
            InjectFaults();

            var credentials = new List<S3Credential>();
            for (var i = 0; i < 4; i++)
                credentials.Add(await CreateAsync(Request(buckets[2 * i], buckets[2 * i + 1]), admin)); // and wait until S3 knows the key

            AssertFaultsWereRetried(atLeast: 4);
            Assert.Empty(Host.Warnings);
            var expected = credentials.SelectMany(c => new[]
            {
                "user " + c.UserName,
                $"policy {c.UserName}/{S3AccessPolicies.InlinePolicyName(AccessLevel.ReadWrite, c.BucketName[0], false)}",
                $"policy {c.UserName}/{S3AccessPolicies.InlinePolicyName(AccessLevel.ReadWrite, c.BucketName[1], false)}",
                $"key {c.UserName}/{c.AccessKeyId}",
            });
            Assert.Equal(expected.OrderBy(l => l, StringComparer.Ordinal), (await IamInventoryAsync("admin")).Split('\n').OrderBy(l => l, StringComparer.Ordinal));
            Assert.Equal(4, Recorder.Calls.Count(c => c.Action == "CreateAccessKey" && c.Injected == null)); // no second key
        }

        [Fact]
        public async Task Temporary_credentials_come_with_the_role_present_and_on_the_first_run()
        {
            var admin = await AdminSessionAsync();
            var buckets = Enumerable.Range(0, 5).Select(i => $"temporary-{i:D2}").ToArray();
            await CreateBucketsAsync(buckets);
            InjectFaults();
            // First run: AWS refuses AssumeRole on the missing role (moto does not); then the role is made and assumed.
            Recorder.FailNth("AssumeRole", 1, _ => RecordingHttpClientFactory.QueryError(System.Net.HttpStatusCode.Forbidden, "AccessDenied", "not authorized to perform: sts:AssumeRole"));

            var credentials = new List<S3Credential>();
            foreach (var bucket in buckets)
                credentials.Add(await CreateAsync(new NewCredentialRequest { BucketNames = new[] { bucket }, Access = AccessLevel.ReadOnly, Duration = TimeSpan.FromHours(1) }, admin));

            AssertFaultsWereRetried(atLeast: 2);
            Assert.All(credentials, c =>
            {
                Assert.StartsWith("ASIA", c.AccessKeyId);
                Assert.Equal("arn:aws:iam::123456789012:role/s3credentials/" + CredentialPlan.DefaultRoleName, c.RoleArn);
            });
            Assert.Equal(buckets, credentials.Select(c => c.BucketName.Single()));
            Assert.Equal(1, Recorder.Calls.Count(c => c.Action == "CreateRole" && c.Injected == null));
            Assert.Equal($"role {CredentialPlan.DefaultRoleName}\nrolepolicy {CredentialPlan.DefaultRoleName}/s3-access", await IamInventoryAsync("admin"));
        }

        private async Task CreateUsersAndRolesAsync(int users, int roles)
        {
            using var iam = Iam();
            await BoundedConcurrency.MapAsync(Enumerable.Range(0, users).ToList(), 8, async (i, ct) =>
            {
                var name = $"user-{i:D3}";
                await iam.CreateUserAsync(name, cancellationToken: ct);
                await iam.CreateAccessKeyAsync(name, ct);
                for (var p = 0; p < 2; p++)
                    await iam.PutUserPolicyAsync(name, $"policy-{p}", Policy.Replace("b/*", $"b/{name}/{p}/*"), ct);
                if (i % 10 == 0)
                    await iam.AttachUserPolicyAsync(name, ManagedArn, ct);
                return 0;
            }, null, "setup", CancellationToken.None);
            await BoundedConcurrency.MapAsync(Enumerable.Range(0, roles).ToList(), 8, async (i, ct) =>
            {
                var name = $"role-{i:D3}";
                await iam.CreateRoleAsync(name, TrustPolicies.ForPrincipal("arn:aws:iam::123456789012:user/a").ToJson(), cancellationToken: ct);
                await iam.PutRolePolicyAsync(name, "inline", Policy, ct);
                if (i % 10 == 0)
                    await iam.AttachRolePolicyAsync(name, ManagedArn, ct);
                return 0;
            }, null, "setup", CancellationToken.None);
        }

        /// <summary>Values and errors of a bulk result, as JSON, to compare a run with faults against one without.</summary>
        private static string Describe<TOutput>(IReadOnlyList<ItemResult<string, TOutput>> results)
            => JsonSerializer.Serialize(results.Select(r => new { r.Input, Value = (object)r.Value, Error = r.Error?.Message }));

        [Fact]
        public async Task Users_policies_and_roles_read_the_same_as_without_faults()
        {
            await CreateUsersAndRolesAsync(40, 12);
            async Task<string[]> ReadAll() => new[]
            {
                Describe(await IamInspection.GetUsersAsync(MotoSession(), Array.Empty<string>(), false, 8, Host, CancellationToken.None, includeAccessKeyCount: true)),
                Describe(await IamInspection.GetUserPoliciesAsync(MotoSession(), Array.Empty<string>(), 8, Host, CancellationToken.None)),
                Describe(await IamInspection.GetRolesAsync(MotoSession(), Array.Empty<string>(), true, 8, Host, CancellationToken.None)),
            };
            var clean = await ReadAll();
            Assert.Empty(Recorder.InjectedCalls);
            Assert.Contains("\"AccessKeyCount\":1", clean[0]);
            Assert.Contains("user-039/1/*", clean[1]);
            Assert.Contains(ManagedArn, clean[2]);
            Assert.DoesNotContain("\"Error\":\"", string.Concat(clean));

            Recorder.Reset();
            InjectFaults();
            var faulted = await ReadAll();

            AssertFaultsWereRetried(atLeast: 10);
            Assert.Equal(clean, faulted);
        }

        [Fact]
        public async Task Removing_users_removes_everything_they_had()
        {
            await CreateUsersAndRolesAsync(12, 0);
            InjectFaults();

            var names = Enumerable.Range(0, 12).Select(i => $"user-{i:D3}").ToList();
            var results = await RemoveUserOperation.RunAsync(MotoSession(), names, 8, Host, CancellationToken.None);

            AssertFaultsWereRetried(atLeast: 10);
            Assert.Equal(names, results.Select(r => r.Input));
            Assert.All(results, r => Assert.Null(r.Error));
            Assert.All(results, r => Assert.Equal((1, 2, r.Input.EndsWith("0", StringComparison.Ordinal) ? 1 : 0), (r.Value.AccessKeysDeleted, r.Value.InlinePoliciesDeleted, r.Value.PoliciesDetached)));
            Assert.Equal("", await IamInventoryAsync());
        }

        [Theory]
        [InlineData("DeleteAccessKey")]
        [InlineData("DeleteUserPolicy")]
        [InlineData("DetachUserPolicy")]
        [InlineData("DeleteUser")]
        public async Task A_lost_answer_to_a_removal_is_no_failure_the_user_is_removed_and_said_so(string action)
        {
            // The removal is done but its answer is lost; the SDK's retry then hears NoSuchEntity. Gone is what was wanted:
            // the command must report the user removed, not "not found", and leave nothing of it.
            await CreateUsersAndRolesAsync(2, 0);
            Recorder.Reset();
            Recorder.LoseResponseOfNth(action, 1);

            var results = await RemoveUserOperation.RunAsync(MotoSession(), new[] { "user-000", "user-001" }, 1, Host, CancellationToken.None);

            Assert.All(results, r => Assert.Null(r.Error));
            Assert.Equal(new[] { (1, 2, 1), (1, 2, 0) }, results.Select(r => (r.Value.AccessKeysDeleted, r.Value.InlinePoliciesDeleted, r.Value.PoliciesDetached)));
            Assert.True(Recorder.Count(action) > (action == "DeleteAccessKey" || action == "DeleteUser" ? 2 : action == "DeleteUserPolicy" ? 4 : 1),
                $"The lost {action} was not sent again: {string.Join(", ", Recorder.Calls.Select(c => c.Action))}");
            Assert.Equal("", await IamInventoryAsync());
        }

        [Fact]
        public async Task Test_S3Credential_tells_allowed_from_denied_however_often_S3_slows_down()
        {
            await CreateBucketsAsync("probed");
            using (var s3 = SetupSession().CreateS3Client())
                await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = "probed", Key = "in/existing.txt", ContentBody = "x" });
            var readOnly = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "probed" }, Access = AccessLevel.ReadOnly, NoWait = true });
            var readWrite = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "probed" }, NoWait = true });
            Moto.SetAuthEnforced(true);
            Recorder.Reset();
            InjectFaults();

            var outcomes = new List<string>();
            for (var i = 0; i < 3; i++)
                foreach (var credential in new[] { readOnly, readWrite })
                {
                    var results = await CredentialTestOperation.RunAsync(MotoSession(credential.AccessKeyId, credential.SecretAccessKey), "probed", "in/", true, Host, CancellationToken.None);
                    outcomes.Add(string.Join(",", results.Select(r => r.Action + "=" + r.Result)));
                }

            AssertFaultsWereRetried(atLeast: 4);
            Assert.Equal(Enumerable.Repeat(new[] { "List=Allowed,Read=Allowed,Write=Denied,Delete=Denied", "List=Allowed,Read=Allowed,Write=Allowed,Delete=Allowed" }, 3).SelectMany(x => x), outcomes);
            Moto.SetAuthEnforced(false);
            using (var s3 = SetupSession().CreateS3Client())
                Assert.Equal(new[] { "in/existing.txt" }, (await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = "probed" })).S3Objects.Select(o => o.Key));
        }

        [Fact]
        public async Task When_faults_outlast_the_retries_the_error_surfaces_and_nothing_is_left()
        {
            await CreateBucketsAsync("outlasted");
            // Every attempt of CreateAccessKey is throttled, the SDK's last one included.
            Recorder.RandomFaults = new RandomFaults(1.0, Seed) { MaxFaultsPerCall = int.MaxValue, Kinds = new[] { RandomFaults.Kind.Throttled }, Filter = r => r.Action == "CreateAccessKey" };

            var error = await Assert.ThrowsAsync<IamServiceException>(() => CreateAsync(Request("outlasted")));

            Assert.Equal("Throttling", error.ErrorCode);
            Assert.Equal(3, Recorder.Count("CreateAccessKey"));
            Assert.Contains("DeleteUser", Recorder.Calls.Select(c => c.Action));
            Assert.Equal("", await IamInventoryAsync());
        }
    }
}
