using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    /// <summary>
    /// Every policy document the module sends is compact JSON (no whitespace outside strings), whatever layout the user
    /// wrote it in: Ceph RGW refuses a policy with spaces when they reach it form-encoded as '+', and compact JSON leaves
    /// more of IAM's packed-size budget. Checked on the requests as sent: PutUserPolicy, CreateRole's trust policy,
    /// PutRolePolicy, UpdateAssumeRolePolicy, AssumeRole's and GetFederationToken's Policy, and the bucket policy of -Public.
    /// </summary>
    public sealed class PolicyOnTheWireTests : NewCredentialTestBase
    {
        /// <summary>A user's policy laid out with spaces, line breaks and tabs (and a space inside a string, which stays).</summary>
        private const string IndentedPolicy = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n\t\"Sid\": \"Read only\",\n      \"Effect\": \"Allow\",\n      \"Action\": [ \"s3:GetObject\" ],\n      \"Resource\": \"arn:aws:s3:::$!BUCKET_NAME!$/*\"\n    }\n  ]\n}\n";

        public PolicyOnTheWireTests(MotoServer moto) : base(moto) { }

        private static void AssertCompact(string json, string what)
        {
            Assert.False(string.IsNullOrEmpty(json), what + " is missing");
            Assert.True(PolicyJson.CompactLength(json) == json.Length, $"{what} is not compact: {json}");
        }

        private string Sent(string action, string parameter) => FormValue(Recorder.Calls.Single(c => c.Action == action).Body, parameter);

        [Fact]
        public async Task A_users_indented_policy_is_sent_to_PutUserPolicy_compact_with_its_strings_unchanged()
        {
            await CreateBucketsAsync("reports");

            await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "reports" }, Policy = IndentedPolicy, NoWait = true });

            var sent = Sent("PutUserPolicy", "PolicyDocument");
            AssertCompact(sent, "PutUserPolicy's PolicyDocument");
            Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Read only\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":\"arn:aws:s3:::reports/*\"}]}", sent);
        }

        [Fact]
        public async Task A_first_temporary_credential_sends_the_trust_policy_the_role_policy_and_the_session_policy_compact()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("reports");
            Recorder.FailNth("AssumeRole", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "not authorized to perform: sts:AssumeRole"));

            await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "reports" }, Duration = TimeSpan.FromMinutes(15), Statements = new[] { "{ \"Effect\" : \"Deny\",\n \"Action\" : \"s3:DeleteObject\", \"Resource\" : \"*\" }" } }, admin);

            AssertCompact(Sent("CreateRole", "AssumeRolePolicyDocument"), "CreateRole's AssumeRolePolicyDocument");
            AssertCompact(Sent("PutRolePolicy", "PolicyDocument"), "PutRolePolicy's PolicyDocument");
            foreach (var assume in Recorder.Calls.Where(c => c.Action == "AssumeRole"))
                AssertCompact(FormValue(assume.Body, "Policy"), "AssumeRole's Policy");
        }

        [Fact]
        public async Task A_trust_policy_written_indented_by_someone_else_is_sent_back_compact_when_the_caller_is_added()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("reports");
            using (var iam = Iam())
                await iam.CreateRoleAsync(CredentialPlan.DefaultRoleName,
                    "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ { \"Effect\": \"Allow\", \"Principal\": { \"AWS\": \"arn:aws:iam::123456789012:user/other\" }, \"Action\": \"sts:AssumeRole\" } ]\n}",
                    null, 43200, CredentialPlan.ManagedPath, new[] { new S3Credentials.Core.Iam.IamTag(CredentialPlan.ManagedTagKey, "true") });
            Recorder.FailNth("AssumeRole", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "not authorized to perform: sts:AssumeRole"));

            await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "reports" }, Duration = TimeSpan.FromMinutes(15) }, admin);

            var sent = Sent("UpdateAssumeRolePolicy", "PolicyDocument");
            AssertCompact(sent, "UpdateAssumeRolePolicy's PolicyDocument");
            Assert.Contains("arn:aws:iam::123456789012:user/admin", sent);
        }

        [Fact]
        public async Task A_federation_token_is_asked_for_with_a_compact_session_policy()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("reports");

            await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "reports" }, Duration = TimeSpan.FromMinutes(15), Method = TemporaryCredentialMethod.FederationToken, Policy = IndentedPolicy }, admin);

            AssertCompact(Sent("GetFederationToken", "Policy"), "GetFederationToken's Policy");
        }

        [Fact]
        public async Task A_public_buckets_policy_is_sent_compact()
        {
            await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "site-bucket" }, CreateBucket = true, Public = true, NoWait = true });

            var put = Recorder.Calls.Single(c => c.Action == "PutBucketPolicy");
            AssertCompact(put.Body, "PutBucketPolicy's body");
            Assert.Equal(S3AccessPolicies.PublicReadBucketPolicy("site-bucket", S3Credentials.Core.Aws.AwsPartition.Aws).ToJson(), put.Body);
        }
    }
}
