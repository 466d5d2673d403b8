using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;

namespace S3Credentials.Bench
{
    /// <summary>
    /// One thing to measure: how to set moto up for it (not timed, no added latency), how to run it (timed), how many
    /// AWS calls it must make, and the fewest round trips any run could take at a given concurrency.
    /// </summary>
    internal sealed class Scenario
    {
        public string Name { get; init; }
        /// <summary>Many independent items: the 1.5× target applies.</summary>
        public bool Bulk { get; init; }
        public int ExpectedCalls { get; init; }
        /// <summary>The critical path in words, as the table shows it.</summary>
        public string CriticalPath { get; init; }
        /// <summary>Round trips (each one added latency) the fastest possible run needs with this many requests in flight.</summary>
        public Func<int, int> LowerBoundRoundTrips { get; init; }
        public Func<BenchContext, Task<object>> SetUpAsync { get; init; }
        /// <summary>Runs the operation with this concurrency limit and throws when the result is wrong.</summary>
        public Func<BenchContext, object, int, Task> RunAsync { get; init; }
        /// <summary>Changes nothing in moto, so one set-up serves every run.</summary>
        public bool ReadOnly { get; init; }
        /// <summary>Set when the scenario cannot run in this tree (then it is reported, not measured).</summary>
        public string NotRun { get; init; }
        /// <summary>A note printed under the table.</summary>
        public string Note { get; init; }
        /// <summary>The s3-credentials 0.17 command doing the same (without --endpoint-url), given the set-up's state; null when it has none.</summary>
        public Func<object, string[]> PeerCommand { get; init; }
        /// <summary>Skip the one-call-at-a-time run (thousands of round trips).</summary>
        public bool NoSequentialRun { get; init; }
        /// <summary>The operation's own default limit (-ThrottleLimit), used unless --concurrency is given.</summary>
        public int DefaultLimit { get; init; } = BoundedConcurrency.DefaultLimit;
    }

    internal static class Scenarios
    {
        private const string Bucket = "bench-bucket";
        private const string AllowEverything = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
        private const string UserPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::b/*\"]}]}";
        public const int PolicyUsers = 100;
        public const int ListedUsers = 1000;
        public const int PoliciesPerUser = 2;
        public const int RemovedUsers = 20;

        private static int Ceiling(int calls, int concurrency) => (calls + concurrency - 1) / concurrency;

        public static IReadOnlyList<Scenario> All(string repoRoot) => new[]
        {
            // HeadBucket -> CreateUser -> PutUserPolicy -> CreateAccessKey. Each depends on the one before by the operation's
            // contract: buckets are checked before anything is changed (a missing bucket must not cost a user made and deleted),
            // the policy and key need the user, and the key comes after the policies (-Confirm asks step by step; no key is
            // issued for a user whose policy failed). Data dependencies alone would allow 2 round trips
            // (HeadBucket with CreateUser, then PutUserPolicy with CreateAccessKey); the bound does not count that as slack.
            new Scenario
            {
                Name = "New-S3Credential permanent, existing bucket, new user, -NoWait",
                ExpectedCalls = 4,
                CriticalPath = "4 in sequence: HeadBucket → CreateUser → PutUserPolicy → CreateAccessKey",
                LowerBoundRoundTrips = _ => 4,
                SetUpAsync = async context => { await context.CreateBucketAsync(Bucket); return null; },
                RunAsync = (context, _, limit) => NewPermanentAsync(context, noWait: true),
            },
            // As above, then one S3 listing with the new key, which needs the key: 5 in sequence. moto knows a key at once;
            // AWS takes 5-15 s, which the operation waits out by design (not modelled here).
            new Scenario
            {
                Name = "New-S3Credential permanent, existing bucket, new user, waits for the key",
                ExpectedCalls = 5,
                CriticalPath = "5 in sequence: the 4 above → ListObjectsV2 with the new key",
                LowerBoundRoundTrips = _ => 5,
                SetUpAsync = async context => { await context.CreateBucketAsync(Bucket); return null; },
                RunAsync = (context, _, limit) => NewPermanentAsync(context, noWait: false),
                Note = "moto recognises a new key at once; on AWS the wait for S3 to accept it (usually 5–15 s) dominates and is not modelled.",
            },
            // HeadBucket -> AssumeRole: buckets are checked before credentials are issued (and -Confirm asks for the AssumeRole
            // after the check). The account comes from the moto-issued key id, so no GetCallerIdentity. Data alone would allow 1
            // round trip (AssumeRole beside HeadBucket, its credentials dropped if the check fails).
            new Scenario
            {
                Name = "New-S3Credential temporary, role present",
                ExpectedCalls = 2,
                CriticalPath = "2 in sequence: HeadBucket → AssumeRole",
                LowerBoundRoundTrips = _ => 2,
                SetUpAsync = async context =>
                {
                    var admin = await context.CreateAdminAsync();
                    await context.CreateBucketAsync(Bucket);
                    using var iam = context.SetupSession().CreateIamClient();
                    await iam.CreateRoleAsync(CredentialPlan.DefaultRoleName, TrustPolicies.ForPrincipal($"arn:aws:iam::{Moto.MotoProcess.AccountId}:user/admin").ToJson(), null, 43200,
                        CredentialPlan.ManagedPath, new[] { new IamTag(CredentialPlan.ManagedTagKey, "true") });
                    await iam.PutRolePolicyAsync(CredentialPlan.DefaultRoleName, "s3-access", S3AccessPolicies.RolePermissionsPolicy(AwsPartition.Aws).ToJson());
                    return admin;
                },
                RunAsync = (context, admin, limit) => NewTemporaryAsync(context, (string[])admin),
            },
            // HeadBucket -> AssumeRole (refused) -> GetCallerIdentity -> GetRole (missing) -> CreateRole -> PutRolePolicy -> AssumeRole.
            // GetCallerIdentity (needed for the trust principal) and GetRole do not depend on each other, so the critical path
            // is 6: HeadBucket -> AssumeRole -> {GetCallerIdentity, GetRole} -> CreateRole -> PutRolePolicy -> AssumeRole
            // (the role's permissions are in place before credentials are handed out). The operation sends those two one
            // after the other: 7.
            new Scenario
            {
                Name = "New-S3Credential temporary, first run (role missing)",
                ExpectedCalls = 7,
                CriticalPath = "6: HeadBucket → AssumeRole (refused) → GetCallerIdentity ∥ GetRole → CreateRole → PutRolePolicy → AssumeRole",
                LowerBoundRoundTrips = _ => 6,
                SetUpAsync = async context =>
                {
                    var admin = await context.CreateAdminAsync();
                    await context.CreateBucketAsync(Bucket);
                    return admin;
                },
                RunAsync = (context, admin, limit) =>
                {
                    // AWS refuses AssumeRole on a role that does not exist; moto (without auth mode) would accept it.
                    context.Factory.FailNth("AssumeRole", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "not authorized to perform: sts:AssumeRole"));
                    return NewTemporaryAsync(context, (string[])admin);
                },
                Note = "The first AssumeRole's refusal is injected (moto accepts AssumeRole on a missing role) and costs a round trip like any call. " +
                       "moto accepts the new role at once; AWS refuses it for ~10 s until IAM has propagated it, which the operation waits out (not modelled). " +
                       "The operation asks GetCallerIdentity and GetRole one after the other, one round trip more than the critical path (once per account: later runs find the role).",
            },
            // 1,000 users, a third with a key: GetAccountAuthorizationDetails (users with their tags; one page in moto, 10 on AWS)
            // is all Get-S3User reads by default. Bound: 1.
            UserListing(includeAccessKeyCount: false),
            // -IncludeAccessKeyCount: then ListAccessKeys per user for its key count. The account read names the users, so it
            // comes first; the 1,000 others are independent. Bound: 1 + ceil(1000 / concurrency).
            UserListing(includeAccessKeyCount: true),
            // Inline documents and attachments come with GetAccountAuthorizationDetails: one call (AWS: one per 100 users), no
            // managed policy attached. Bound: 1.
            new Scenario
            {
                Name = $"Get-S3UserPolicy: {PolicyUsers} users × {PoliciesPerUser} inline policies",
                Bulk = true,
                ReadOnly = true,
                ExpectedCalls = 1,
                CriticalPath = "GetAccountAuthorizationDetails (users with their inline documents)",
                LowerBoundRoundTrips = c => 1,
                PeerCommand = _ => new[] { "list-user-policies" },
                SetUpAsync = async context =>
                {
                    using var iam = context.SetupSession().CreateIamClient();
                    await BoundedConcurrency.MapAsync(Enumerable.Range(0, PolicyUsers).ToList(), 8, async (i, ct) =>
                    {
                        var name = $"user-{i:D3}";
                        await iam.CreateUserAsync(name, cancellationToken: ct);
                        for (var p = 0; p < PoliciesPerUser; p++)
                            await iam.PutUserPolicyAsync(name, $"policy-{p}", UserPolicy.Replace("b/*", $"b/{name}/{p}/*"), ct);
                        return 0;
                    }, null, "setup", CancellationToken.None);
                    return null;
                },
                RunAsync = async (context, _, limit) =>
                {
                    var results = await IamInspection.GetUserPoliciesAsync(context.Session(), Array.Empty<string>(), limit, context.Host, CancellationToken.None);
                    Check(results.Count == PolicyUsers && results.All(r => r.Error == null) && results.Sum(r => r.Value.Count) == PolicyUsers * PoliciesPerUser,
                        "Get-S3UserPolicy did not return every policy of every user");
                },
            },
            // Per user (one access key and one inline policy, as New-S3Credential leaves them), three rounds: ListAccessKeys,
            // ListUserPolicies, ListAttachedUserPolicies and ListGroupsForUser together; DeleteAccessKey, DeleteUserPolicy and
            // DeleteLoginProfile (none) together; DeleteUser. 8 calls, 160 in all, no listing first (the names are given), every
            // call of every user under one bound on requests in flight. Bound: max(3, ceil(160 / concurrency)).
            new Scenario
            {
                Name = $"Remove-S3User: {RemovedUsers} users with a key and a policy each",
                Bulk = true,
                ExpectedCalls = RemovedUsers * 8,
                CriticalPath = $"{RemovedUsers * 8} calls ÷ concurrency (per user 3 rounds: 4 listings ∥, then 3 removals ∥, then DeleteUser)",
                LowerBoundRoundTrips = c => Math.Max(3, Ceiling(RemovedUsers * 8, c)),
                SetUpAsync = async context =>
                {
                    using var iam = context.SetupSession().CreateIamClient();
                    var names = Enumerable.Range(0, RemovedUsers).Select(i => $"removed-{i:D2}").ToList();
                    await BoundedConcurrency.MapAsync(names, 8, async (name, ct) =>
                    {
                        await iam.CreateUserAsync(name, cancellationToken: ct);
                        await iam.CreateAccessKeyAsync(name, ct);
                        await iam.PutUserPolicyAsync(name, "s3.read-write." + name, UserPolicy, ct);
                        return 0;
                    }, null, "setup", CancellationToken.None);
                    return names;
                },
                PeerCommand = names => new[] { "delete-user" }.Concat((List<string>)names).ToArray(),
                RunAsync = async (context, names, limit) =>
                {
                    var results = await RemoveUserOperation.RunAsync(context.Session(), (List<string>)names, limit, context.Host, CancellationToken.None);
                    Check(results.Count == RemovedUsers && results.All(r => r.Error == null && r.Value.AccessKeysDeleted == 1 && r.Value.InlinePoliciesDeleted == 1),
                        "Remove-S3User did not remove every user with its key and policy");
                },
            },
            BucketDetails(DetailBuckets),
            BucketDetails(ScaledBuckets),
        };

        public const int DetailBuckets = 100;
        public const int ScaledBuckets = 500;

        /// <summary>
        /// Get-S3BucketDetail for n buckets without policies: ListBuckets, then per bucket GetBucketLocation (moto's ListBuckets
        /// gives no BucketRegion; AWS's does), GetBucketAcl, GetPublicAccessBlock, GetBucketWebsite, GetBucketPolicy and
        /// GetBucketCors, all six at once (they are independent; GetBucketPolicyStatus would follow a policy found), every
        /// request of every bucket under one bound of `limit` requests in flight. 1 + 6n calls. Bound: ListBuckets, then
        /// ceil(6n / limit) round trips.
        /// </summary>
        private static Scenario BucketDetails(int buckets) => new Scenario
        {
            Name = $"Get-S3BucketDetail: {buckets} buckets",
            Bulk = true,
            ReadOnly = true,
            ExpectedCalls = 1 + buckets * BucketReadsOnMoto,
            CriticalPath = $"ListBuckets, then {buckets * BucketReadsOnMoto:N0} calls ÷ limit (each bucket's {BucketReadsOnMoto} sent together)",
            LowerBoundRoundTrips = c => 1 + Ceiling(buckets * BucketReadsOnMoto, c),
            DefaultLimit = BucketDetailOperation.DefaultThrottleLimit,
            NoSequentialRun = buckets > DetailBuckets,
            PeerCommand = _ => new[] { "list-buckets", "--details" },
            SetUpAsync = async context =>
            {
                using var s3 = context.SetupSession().CreateS3Client();
                await BoundedConcurrency.MapAsync(Enumerable.Range(0, buckets).ToList(), 8, async (i, ct) =>
                {
                    await s3.PutBucketAsync(new Amazon.S3.Model.PutBucketRequest { BucketName = $"detail-{i:D3}" }, ct);
                    return 0;
                }, null, "setup", CancellationToken.None);
                return null;
            },
            RunAsync = async (context, _, limit) =>
            {
                var results = await BucketDetailOperation.RunAsync(context.Session(), Array.Empty<string>(), limit, context.Host, CancellationToken.None);
                Check(results.Count == buckets && results.All(r => r.Error == null), "Get-S3BucketDetail did not return every bucket");
            },
            Note = "-ThrottleLimit bounds the requests in flight, whichever buckets they are for; each bucket's calls are sent together.",
        };

        /// <summary>A bucket without a policy, on moto: GetBucketLocation (no BucketRegion in moto's ListBuckets) and the five reads every bucket gets.</summary>
        private const int BucketReadsOnMoto = BucketDetailOperation.RequestsPerBucket + 1;

        /// <summary>Get-S3User over 1,000 users, a third with a key: the account read alone, or with each user's ListAccessKeys.</summary>
        private static Scenario UserListing(bool includeAccessKeyCount) => new Scenario
        {
            Name = includeAccessKeyCount ? $"Get-S3User -IncludeAccessKeyCount: {ListedUsers:N0} users" : $"Get-S3User: {ListedUsers:N0} users",
            Bulk = true,
            ReadOnly = true,
            ExpectedCalls = includeAccessKeyCount ? 1 + ListedUsers : 1,
            CriticalPath = includeAccessKeyCount ? $"GetAccountAuthorizationDetails, then {ListedUsers:N0} ListAccessKeys ÷ concurrency" : "GetAccountAuthorizationDetails (users with their tags)",
            LowerBoundRoundTrips = c => includeAccessKeyCount ? 1 + Ceiling(ListedUsers, c) : 1,
            SetUpAsync = async context =>
            {
                using var iam = context.SetupSession().CreateIamClient();
                await BoundedConcurrency.MapAsync(Enumerable.Range(0, ListedUsers).ToList(), 8, async (i, ct) =>
                {
                    await iam.CreateUserAsync($"user-{i:D4}", cancellationToken: ct);
                    if (i % 3 == 0)
                        await iam.CreateAccessKeyAsync($"user-{i:D4}", ct);
                    return 0;
                }, null, "setup", CancellationToken.None);
                return null;
            },
            RunAsync = async (context, _, limit) =>
            {
                var results = await IamInspection.GetUsersAsync(context.Session(), Array.Empty<string>(), false, limit, context.Host, CancellationToken.None, includeAccessKeyCount);
                Check(results.Count == ListedUsers && results.All(r => r.Error == null)
                    && (includeAccessKeyCount ? results.Sum(r => r.Value.AccessKeyCount) == (ListedUsers + 2) / 3 : results.All(r => r.Value.AccessKeyCount == null)),
                    "Get-S3User did not return every user (with its key count when asked)");
            },
            PeerCommand = _ => new[] { "list-users" },
            Note = "s3-credentials' list-users shows ListUsers' fields only (no tags, no key count): one call.",
        };

        private static async Task NewPermanentAsync(BenchContext context, bool noWait)
        {
            var operation = new NewCredentialOperation(context.Session(), context.Host);
            var credential = await operation.RunAsync(new NewCredentialRequest { BucketNames = new[] { Bucket }, NoWait = noWait }, CancellationToken.None);
            Check(credential?.AccessKeyId?.StartsWith("AKIA", StringComparison.Ordinal) == true, "no access key");
        }

        private static async Task NewTemporaryAsync(BenchContext context, string[] adminKey)
        {
            var operation = new NewCredentialOperation(context.Session(adminKey[0], adminKey[1]), context.Host);
            var credential = await operation.RunAsync(new NewCredentialRequest { BucketNames = new[] { Bucket }, Duration = TimeSpan.FromHours(1) }, CancellationToken.None);
            Check(credential?.SessionToken != null, "no temporary credentials");
        }

        private static void Check(bool condition, string problem)
        {
            if (!condition) throw new InvalidOperationException(problem);
        }

        /// <summary>A user with every permission and a moto-issued key, whose id names the account as AWS's do.</summary>
        internal static async Task<string[]> CreateAdminAsync(this BenchContext context)
        {
            using var iam = context.SetupSession().CreateIamClient();
            await iam.CreateUserAsync("admin");
            await iam.PutUserPolicyAsync("admin", "everything", AllowEverything);
            var key = await iam.CreateAccessKeyAsync("admin");
            return new[] { key.AccessKeyId, key.SecretAccessKey };
        }
    }
}
