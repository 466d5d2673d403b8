using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Credentials;
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
    /// Every request that changes state, of every state-changing operation, × five faults (500 on every attempt, one 500,
    /// throttling, a dropped connection, the change made and its answer lost), every read × 500 on every attempt, and some
    /// runs with two faults: each run either succeeds with the
    /// state wanted (exactly one working key, the user with its policy, the role with its policy, the user gone) or fails
    /// leaving the account as it was (Remove-S3User: or names the user it left partly removed). Prints the table of counts.
    /// </summary>
    public sealed partial class FaultMatrixTests : NewCredentialTestBase
    {
        private readonly ITestOutputHelper _output;

        public FaultMatrixTests(MotoServer moto, ITestOutputHelper output) : base(moto) => _output = output;

        public enum FaultKind { EveryAttempt500, One500, Throttling, Dropped, AnswerLost }

        private sealed class Scenario
        {
            public string Name;
            public Func<Task> Setup;
            /// <summary>Runs the operation on a session whose requests go through the given recorder, stopped by the token.</summary>
            public Func<AwsSession, CancellationToken, Task<object>> Run;
            /// <summary>Null when the state is the one wanted after success; otherwise what is wrong.</summary>
            public Func<object, Task<string>> Wanted;
            /// <summary>Faults that make the scenario what it is (moto assumes roles that do not exist: AWS refuses the first AssumeRole).</summary>
            public Action<RecordingHttpClientFactory> Shape;
            /// <summary>Remove-S3User cannot put back what it removed: a failure naming the user left is clean too.</summary>
            public bool PartialFailureNamed;
        }

        private static HttpResponseMessage Fault(HttpRequestMessage request, string service, FaultKind kind)
        {
            var s3 = service == "s3";
            switch (kind)
            {
                case FaultKind.Throttling:
                    return s3 ? S3Error((HttpStatusCode)503, "SlowDown") : RecordingHttpClientFactory.QueryError(HttpStatusCode.BadRequest, "Throttling", "Rate exceeded");
                case FaultKind.Dropped:
                    throw RandomFaults.DroppedConnection();
                default:
                    return s3 ? S3Error(HttpStatusCode.InternalServerError, "InternalError") : RecordingHttpClientFactory.QueryError(HttpStatusCode.InternalServerError, "ServiceFailure", "injected");
            }
        }

        private static void Arm(RecordingHttpClientFactory recorder, string service, string action, int nth, FaultKind kind)
        {
            if (kind == FaultKind.AnswerLost)
                recorder.LoseResponseOfNth(action, nth);
            else if (kind == FaultKind.EveryAttempt500)
                for (var n = nth; n < nth + 12; n++)
                    recorder.FailNth(action, n, r => Fault(r, service, kind));
            else
                recorder.FailNth(action, nth, r => Fault(r, service, kind));
        }

        private async Task<string> SnapshotAsync()
        {
            using var iam = Iam();
            var lines = new List<string>();
            foreach (var user in await IamPager.CollectAsync((m, ct) => iam.ListUsersAsync(m, cancellationToken: ct)))
            {
                lines.Add("user " + user.UserName);
                lines.AddRange((await iam.ListUserPoliciesAsync(user.UserName)).Items.Select(p => $"policy {user.UserName}/{p}"));
                lines.AddRange((await iam.ListAccessKeysAsync(user.UserName)).Items.Select(k => $"key {user.UserName}/{k.AccessKeyId} {k.Status}"));
            }
            foreach (var role in await IamPager.CollectAsync((m, ct) => iam.ListRolesAsync(m, cancellationToken: ct)))
            {
                lines.Add("role " + role.RoleName);
                lines.AddRange((await iam.ListRolePoliciesAsync(role.RoleName)).Items.Select(p => $"rolepolicy {role.RoleName}/{p}"));
            }
            using var s3 = SetupSession().CreateS3Client();
            lines.AddRange((await s3.ListBucketsAsync()).Buckets?.Select(b => "bucket " + b.BucketName) ?? Enumerable.Empty<string>());
            return string.Join("\n", lines);
        }

        private (string Key, string Secret) _caller = (TestAccessKey, TestSecretKey);

        private AwsSession SessionWith(RecordingHttpClientFactory recorder)
        {
            var options = MotoOptions(_caller.Key, _caller.Secret);
            options.HttpClientFactory = recorder;
            return SessionResolver.Resolve(options);
        }

        private NewCredentialOperation New(AwsSession session) => new NewCredentialOperation(session, Host) { KeyTiming = Quick, RoleTiming = Quick, KeyRetryDelay = TimeSpan.FromMilliseconds(5) };

        private async Task<string> UserHasOnlyAsync(string user, IEnumerable<string> policies, IEnumerable<string> keys)
        {
            using var iam = Iam();
            var hasPolicies = (await iam.ListUserPoliciesAsync(user)).Items.OrderBy(p => p);
            var hasKeys = (await iam.ListAccessKeysAsync(user)).Items.Where(k => k.Status == "Active").Select(k => k.AccessKeyId).OrderBy(k => k);
            var problems = new List<string>();
            if (!hasPolicies.SequenceEqual(policies.OrderBy(p => p))) problems.Add("policies " + string.Join(",", hasPolicies));
            if (!hasKeys.SequenceEqual(keys.OrderBy(k => k))) problems.Add("active keys " + string.Join(",", hasKeys));
            return problems.Count == 0 ? null : string.Join("; ", problems);
        }

        private IEnumerable<Scenario> Scenarios()
        {
            string existingKey = null;
            yield return new Scenario
            {
                Name = "permanent, new user",
                Setup = () => CreateBucketsAsync("matrix"),
                Run = async (s, ct) => await New(s).RunAsync(new NewCredentialRequest { BucketNames = new[] { "matrix" }, UserName = "fresh", NoWait = true }, ct),
                Wanted = async r => await UserHasOnlyAsync("fresh", new[] { "s3.read-write.matrix" }, new[] { ((S3Credential)r).AccessKeyId }),
            };
            yield return new Scenario
            {
                Name = "permanent, existing user",
                Setup = async () =>
                {
                    await CreateBucketsAsync("matrix");
                    using var iam = Iam();
                    await iam.CreateUserAsync("existing");
                    existingKey = (await iam.CreateAccessKeyAsync("existing")).AccessKeyId;
                },
                Run = async (s, ct) => await New(s).RunAsync(new NewCredentialRequest { BucketNames = new[] { "matrix" }, UserName = "existing", NoWait = true }, ct),
                Wanted = async r => await UserHasOnlyAsync("existing", new[] { "s3.read-write.matrix" }, new[] { existingKey, ((S3Credential)r).AccessKeyId }),
            };
            yield return new Scenario
            {
                Name = "permanent, -CreateBucket",
                Setup = () => Task.CompletedTask,
                Run = async (s, ct) => await New(s).RunAsync(new NewCredentialRequest { BucketNames = new[] { "matrix-new" }, UserName = "bucketeer", CreateBucket = true, NoWait = true }, ct),
                Wanted = async r =>
                {
                    var user = await UserHasOnlyAsync("bucketeer", new[] { "s3.read-write.matrix-new" }, new[] { ((S3Credential)r).AccessKeyId });
                    return user ?? ((await SnapshotAsync()).Contains("bucket matrix-new") ? null : "no bucket");
                },
            };
            yield return new Scenario
            {
                Name = "temporary, first run",
                Setup = async () =>
                {
                    await CreateBucketsAsync("matrix");
                    using var iam = Iam();
                    await iam.CreateUserAsync("admin");
                    await iam.PutUserPolicyAsync("admin", "everything", AllowEverything);
                    var key = await iam.CreateAccessKeyAsync("admin");
                    _caller = (key.AccessKeyId, key.SecretAccessKey);
                },
                Shape = r => r.FailNth("AssumeRole", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "not authorized to perform: sts:AssumeRole")),
                Run = async (s, ct) => await New(s).RunAsync(new NewCredentialRequest { BucketNames = new[] { "matrix" }, Duration = TimeSpan.FromHours(1) }, ct),
                Wanted = async r =>
                {
                    using var iam = Iam();
                    var policies = (await iam.ListRolePoliciesAsync(CredentialPlan.DefaultRoleName)).Items;
                    return policies.SequenceEqual(new[] { "s3-access" }) && ((S3Credential)r).SessionToken != null ? null : "role policies " + string.Join(",", policies);
                },
            };
            yield return new Scenario
            {
                Name = "Update-S3Credential",
                Setup = async () =>
                {
                    using var iam = Iam();
                    await iam.CreateUserAsync("rotated");
                    existingKey = (await iam.CreateAccessKeyAsync("rotated")).AccessKeyId;
                },
                Run = async (s, ct) => await new RotateKeyOperation(s, Host) { KeyTiming = Quick, KeyRetryDelay = TimeSpan.FromMilliseconds(5) }.RunAsync("rotated", null, false, true, ct),
                Wanted = async r =>
                {
                    using var iam = Iam();
                    var keys = (await iam.ListAccessKeysAsync("rotated")).Items.Select(k => k.AccessKeyId + " " + k.Status).ToList();
                    // The old key's deletion failing is only a warning: it is left inactive, and the new key works.
                    return keys.Contains(((S3Credential)r).AccessKeyId + " Active") && keys.All(k => k.StartsWith(((S3Credential)r).AccessKeyId) || k == existingKey + " Inactive") ? null : "keys " + string.Join(",", keys);
                },
            };
            yield return new Scenario
            {
                Name = "Remove-S3User",
                Setup = async () =>
                {
                    using var iam = Iam();
                    await iam.CreateUserAsync("removed");
                    await iam.CreateAccessKeyAsync("removed");
                    await iam.PutUserPolicyAsync("removed", "inline", AllowEverything);
                    await iam.CreateUserAsync("kept");
                },
                Run = async (s, ct) =>
                {
                    var results = await RemoveUserOperation.RunAsync(s, new[] { "removed" }, 4, Host, ct);
                    var result = results.Single();
                    if (result.Error != null) throw result.Error;
                    return result.Value;
                },
                Wanted = async r => (await SnapshotAsync()) == "user kept" ? null : "left: " + await SnapshotAsync(),
                PartialFailureNamed = true,
            };
        }

        private sealed class Tally
        {
            public int Tried, Succeeded, CleanFailures, Leftovers;
            public readonly List<string> Problems = new List<string>();
        }

        /// <summary>A fresh account set up for the scenario: its snapshot, and a recorder with <paramref name="arm"/>'s faults and then the scenario's own.</summary>
        private async Task<(string Before, RecordingHttpClientFactory Recorder)> PrepareAsync(Scenario scenario, Action<RecordingHttpClientFactory> arm)
        {
            Moto.Reset();
            Host.Warnings.Clear();
            _caller = (TestAccessKey, TestSecretKey);
            await scenario.Setup();
            var before = await SnapshotAsync();
            var recorder = new RecordingHttpClientFactory();
            arm?.Invoke(recorder);
            scenario.Shape?.Invoke(recorder);
            return (before, recorder);
        }

        /// <summary>Runs the scenario's operation: its result, or what it threw.</summary>
        private async Task<(object Result, Exception Error)> RunAsync(Scenario scenario, RecordingHttpClientFactory recorder, CancellationToken cancellationToken)
        {
            try { return (await scenario.Run(SessionWith(recorder), cancellationToken), null); }
            catch (Exception e) { return (null, e); }
        }

        /// <summary>One run: returns the requests it made without faults (to find the steps), and judges the outcome.</summary>
        private async Task<IReadOnlyList<RecordedCall>> RunOnceAsync(Scenario scenario, Tally tally, string label, Action<RecordingHttpClientFactory> arm)
        {
            var (before, recorder) = await PrepareAsync(scenario, arm);
            var (result, error) = await RunAsync(scenario, recorder, CancellationToken.None);
            if (arm == null)
            {
                Assert.True(error == null, $"{scenario.Name} without faults: {error}");
                return recorder.Calls;
            }
            tally.Tried++;
            if (error == null)
            {
                var wrong = await scenario.Wanted(result);
                if (wrong == null) tally.Succeeded++;
                else { tally.Leftovers++; tally.Problems.Add($"{label}: succeeded, but {wrong}"); }
            }
            else
            {
                var after = await SnapshotAsync();
                var named = scenario.PartialFailureNamed && error is Core.S3CredentialsException own && own.ErrorId == "UserPartlyRemoved";
                if (after == before || named) tally.CleanFailures++;
                else { tally.Leftovers++; tally.Problems.Add($"{label}: failed ({error.GetType().Name}: {error.Message}) and left\n{after}\ninstead of\n{before}"); }
            }
            return recorder.Calls;
        }

        /// <summary>Each request of a clean run, in order, by its action and its number among the calls of that action.</summary>
        private static List<(string Service, string Action, int Nth)> Steps(IReadOnlyList<RecordedCall> calls)
            => calls.Where(c => c.Attempt == 1).Select(c => (c.Service, c.Action, Nth: calls.Take(calls.ToList().IndexOf(c) + 1).Count(x => x.Action == c.Action))).Distinct().ToList();

        private static bool IsRead(string action)
            => action.StartsWith("Get", StringComparison.Ordinal) || action.StartsWith("List", StringComparison.Ordinal) || action.StartsWith("Head", StringComparison.Ordinal);

        [Fact]
        public async Task Every_request_of_every_operation_under_each_fault_ends_in_the_state_wanted_or_the_state_before()
        {
            var table = new List<string> { "| operation | requests (changes) | tried | succeeded | clean failures | leftovers |", "|---|---|---|---|---|---|" };
            var total = new Tally();
            foreach (var scenario in Scenarios())
            {
                var tally = new Tally();
                var calls = await RunOnceAsync(scenario, tally, "clean", null);
                var steps = Steps(calls);
                foreach (var step in steps)
                    // A read changes nothing: it fails alone (500 on every attempt); a change meets every fault.
                    foreach (var kind in IsRead(step.Action) ? new[] { FaultKind.EveryAttempt500 } : (FaultKind[])Enum.GetValues(typeof(FaultKind)))
                        await RunOnceAsync(scenario, tally, $"{scenario.Name} / {step.Action} #{step.Nth} / {kind}", r => Arm(r, step.Service, step.Action, step.Nth, kind));
                table.Add($"| {scenario.Name} | {steps.Count} ({steps.Count(st => !IsRead(st.Action))}) | {tally.Tried} | {tally.Succeeded} | {tally.CleanFailures} | {tally.Leftovers} |");
                total.Tried += tally.Tried; total.Succeeded += tally.Succeeded; total.CleanFailures += tally.CleanFailures; total.Leftovers += tally.Leftovers;
                total.Problems.AddRange(tally.Problems);
            }

            // Two faults in one run.
            var two = new Tally();
            var scenarios = Scenarios().ToList();
            var pairs = new (int Scenario, string Service1, string Action1, FaultKind Kind1, string Service2, string Action2, FaultKind Kind2)[]
            {
                (0, "iam", "CreateUser", FaultKind.AnswerLost, "iam", "CreateAccessKey", FaultKind.EveryAttempt500),
                (0, "iam", "CreateAccessKey", FaultKind.AnswerLost, "iam", "ListAccessKeys", FaultKind.One500),
                (0, "iam", "PutUserPolicy", FaultKind.AnswerLost, "iam", "CreateAccessKey", FaultKind.EveryAttempt500),
                (2, "s3", "CreateBucket", FaultKind.AnswerLost, "iam", "PutUserPolicy", FaultKind.EveryAttempt500),
                (3, "iam", "CreateRole", FaultKind.AnswerLost, "iam", "PutRolePolicy", FaultKind.EveryAttempt500),
                (4, "iam", "CreateAccessKey", FaultKind.AnswerLost, "iam", "UpdateAccessKey", FaultKind.EveryAttempt500),
                (5, "iam", "DeleteAccessKey", FaultKind.AnswerLost, "iam", "DeleteUserPolicy", FaultKind.AnswerLost),
            };
            foreach (var pair in pairs)
                await RunOnceAsync(scenarios[pair.Scenario], two, $"{scenarios[pair.Scenario].Name} / {pair.Action1} {pair.Kind1} + {pair.Action2} {pair.Kind2}", r =>
                {
                    Arm(r, pair.Service1, pair.Action1, 1, pair.Kind1);
                    Arm(r, pair.Service2, pair.Action2, 1, pair.Kind2);
                });
            table.Add($"| two faults in one run | - | {two.Tried} | {two.Succeeded} | {two.CleanFailures} | {two.Leftovers} |");
            table.Add($"| **all** | - | {total.Tried + two.Tried} | {total.Succeeded + two.Succeeded} | {total.CleanFailures + two.CleanFailures} | {total.Leftovers + two.Leftovers} |");
            total.Problems.AddRange(two.Problems);

            foreach (var line in table) _output.WriteLine(line);
            foreach (var problem in total.Problems) _output.WriteLine(problem);
            Assert.True(total.Problems.Count == 0, string.Join("\n\n", total.Problems));
            Assert.True(total.Tried > 100, $"only {total.Tried} runs");
        }
    }
}
