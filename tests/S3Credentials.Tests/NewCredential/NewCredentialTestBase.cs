using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Tests.Infrastructure;

namespace S3Credentials.Tests.NewCredential
{
    public abstract class NewCredentialTestBase : MotoTestBase
    {
        protected const string AllowEverything = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

        protected NewCredentialTestBase(MotoServer moto) : base(moto) { }

        protected RecordingOperationHost Host { get; } = new RecordingOperationHost();

        /// <summary>
        /// Fast propagation timing so retries are exercised without slowing the suite: a failure path that waits out
        /// the whole timeout (a role STS never accepts) costs one second, not the real minute.
        /// </summary>
        protected static readonly PropagationTiming Quick = new PropagationTiming(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1));

        protected NewCredentialOperation Operation(AwsSession session = null)
            => new NewCredentialOperation(session ?? MotoSession(), Host) { KeyTiming = Quick, RoleTiming = Quick };

        protected Task<S3Credential> CreateAsync(NewCredentialRequest request, AwsSession session = null)
            => Operation(session).RunAsync(request, CancellationToken.None);

        /// <summary>One parameter of a recorded Query request's form body, decoded.</summary>
        protected static string FormValue(string body, string name)
            => body.Split('&').Select(p => p.Split('=', 2)).Where(p => Uri.UnescapeDataString(p[0]) == name).Select(p => Uri.UnescapeDataString(p[1].Replace('+', ' '))).Single();

        protected static NewCredentialRequest Request(params string[] buckets) => new NewCredentialRequest { BucketNames = buckets };

        /// <summary>A session for setting up and inspecting state: its calls are not recorded.</summary>
        protected AwsSession SetupSession()
        {
            var options = MotoOptions();
            options.HttpClientFactory = null;
            return SessionResolver.Resolve(options);
        }

        protected async Task CreateBucketsAsync(params string[] names)
        {
            using var s3 = SetupSession().CreateS3Client();
            foreach (var name in names)
                await s3.PutBucketAsync(new PutBucketRequest { BucketName = name });
        }

        /// <summary>A user with every permission and a moto-issued key (whose id encodes the account, as AWS's do).</summary>
        protected async Task<AwsSession> AdminSessionAsync(string name = "admin")
        {
            using var iam = SetupSession().CreateIamClient();
            await iam.CreateUserAsync(name);
            await iam.PutUserPolicyAsync(name, "everything", AllowEverything);
            var key = await iam.CreateAccessKeyAsync(name);
            return MotoSession(key.AccessKeyId, key.SecretAccessKey);
        }

        protected IIamClient Iam() => SetupSession().CreateIamClient();

        /// <summary>The module's role as New-S3Credential makes it, trusting <paramref name="trustedArn"/> (moto in auth mode lets AssumeRole "assume" a role that does not exist).</summary>
        protected async Task CreateModuleRoleAsync(string trustedArn, int maxSessionDuration = 43200, bool managed = true)
        {
            using var iam = Iam();
            await iam.CreateRoleAsync(CredentialPlan.DefaultRoleName, TrustPolicies.ForPrincipal(trustedArn).ToJson(), null, maxSessionDuration, CredentialPlan.ManagedPath,
                managed ? new[] { new IamTag(CredentialPlan.ManagedTagKey, "true") } : null);
            await iam.PutRolePolicyAsync(CredentialPlan.DefaultRoleName, "s3-access", Core.Policies.S3AccessPolicies.RolePermissionsPolicy(AwsPartition.Aws).ToJson());
        }

        /// <summary>Everything IAM holds besides the given users: asserts nothing was left behind.</summary>
        protected async Task<string> IamInventoryAsync(params string[] ignoredUsers)
        {
            using var iam = Iam();
            var lines = new List<string>();
            foreach (var user in await IamPager.CollectAsync((m, ct) => iam.ListUsersAsync(m, cancellationToken: ct)))
            {
                if (ignoredUsers.Contains(user.UserName)) continue;
                lines.Add("user " + user.UserName);
                lines.AddRange((await iam.ListUserPoliciesAsync(user.UserName)).Items.Select(p => $"policy {user.UserName}/{p}"));
                lines.AddRange((await iam.ListAccessKeysAsync(user.UserName)).Items.Select(k => $"key {user.UserName}/{k.AccessKeyId}"));
            }
            foreach (var role in await IamPager.CollectAsync((m, ct) => iam.ListRolesAsync(m, cancellationToken: ct)))
            {
                lines.Add("role " + role.RoleName);
                lines.AddRange((await iam.ListRolePoliciesAsync(role.RoleName)).Items.Select(p => $"rolepolicy {role.RoleName}/{p}"));
            }
            return string.Join("\n", lines);
        }

        protected static HttpResponseMessage S3Error(HttpStatusCode status, string code)
            => new HttpResponseMessage(status)
            {
                Content = new StringContent($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>injected {code}</Message><RequestId>injected</RequestId></Error>", Encoding.UTF8, "application/xml"),
            };

        protected static HttpResponseMessage Status(HttpStatusCode status) => new HttpResponseMessage(status) { Content = new ByteArrayContent(Array.Empty<byte>()) };

        /// <summary>The admin calls (not the new key's probes) in order.</summary>
        protected IReadOnlyList<string> AdminActions(string newKeyId = null)
            => Recorder.Calls.Where(c => newKeyId == null || c.CredentialScope == null || !c.CredentialScope.StartsWith(newKeyId, StringComparison.Ordinal)).Select(c => c.Action).ToList();
    }
}
