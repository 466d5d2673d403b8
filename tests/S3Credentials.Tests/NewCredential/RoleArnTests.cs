using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using S3Credentials.Core;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    /// <summary>New-S3Credential -RoleArn: a role named by ARN is assumed as it is; nothing is looked up or created.</summary>
    public sealed class RoleArnTests : NewCredentialTestBase
    {
        private const string PartnerRoleArn = "arn:aws:iam::123456789012:role/partners/partner-role";

        public RoleArnTests(MotoServer moto) : base(moto) { }

        private static NewCredentialRequest ByArn(string roleArn, params string[] buckets)
            => new NewCredentialRequest { BucketNames = buckets, Access = AccessLevel.ReadOnly, Duration = TimeSpan.FromMinutes(15), RoleArn = roleArn };

        private async Task CreatePartnerRoleAsync(string trusted)
        {
            using var iam = Iam();
            await iam.CreateRoleAsync("partner-role", TrustPolicies.ForPrincipal(trusted).ToJson(), path: "/partners/");
            await iam.PutRolePolicyAsync("partner-role", "s3", S3AccessPolicies.RolePermissionsPolicy(AwsPartition.Aws).ToJson());
        }

        [Fact]
        public async Task A_role_named_by_arn_is_assumed_after_the_bucket_check_without_asking_who_the_caller_is()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("reports");
            await CreatePartnerRoleAsync("arn:aws:iam::123456789012:user/admin");
            Moto.SetAuthEnforced(true); // moto checks the trust policy

            var credential = await CreateAsync(ByArn(PartnerRoleArn, "reports"), admin);

            Assert.Equal(new[] { "HeadBucket", "AssumeRole" }, Recorder.Calls.Select(c => c.Action).ToArray());
            Assert.Equal(PartnerRoleArn, credential.RoleArn);
            Assert.Equal("AssumeRole", credential.Method);
            Assert.Equal("s3.read-only.reports", credential.SessionName);
            Moto.SetAuthEnforced(false);
            using var iam = Iam();
            Assert.Equal(new[] { "partner-role" }, (await iam.ListRolesAsync()).Items.Select(r => r.RoleName).ToArray());
        }

        [Fact]
        public async Task A_role_named_by_arn_that_STS_refuses_is_an_error_naming_RoleArn_and_no_role_is_made()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("reports");
            await CreatePartnerRoleAsync("arn:aws:iam::123456789012:user/someone-else");
            Moto.SetAuthEnforced(true);

            var error = await ThrowsAsync<S3CredentialsException>(() => CreateAsync(ByArn(PartnerRoleArn, "reports"), admin));

            Assert.Equal("RoleNotAssumable", error.ErrorId);
            Assert.Equal("RoleArn", error.ParameterName);
            Assert.Contains(PartnerRoleArn, error.Message);
            Assert.Equal(new[] { "HeadBucket", "AssumeRole" }, Recorder.Calls.Select(c => c.Action).ToArray());
            Moto.SetAuthEnforced(false);
            using var iam = Iam();
            Assert.Equal(new[] { "partner-role" }, (await iam.ListRolesAsync()).Items.Select(r => r.RoleName).ToArray());
        }

        [Fact]
        public async Task WhatIf_with_a_role_arn_names_the_role_and_the_compact_session_policy_and_sends_nothing_after_the_bucket_check()
        {
            await CreateBucketsAsync("reports");
            Host.IsWhatIf = true;

            Assert.Null(await CreateAsync(ByArn(PartnerRoleArn, "reports")));

            Assert.Equal(new[] { "HeadBucket" }, Recorder.Calls.Select(c => c.Action).ToArray());
            var (target, action) = Assert.Single(Host.Confirmations);
            Assert.Equal(PartnerRoleArn, target);
            Assert.Contains(S3AccessPolicies.SessionPolicy(new[] { "reports" }, AccessLevel.ReadOnly, null, null, AwsPartition.Aws).ToJson(), action);
        }

        public static IEnumerable<object[]> BadRequests()
        {
            NewCredentialRequest With(Action<NewCredentialRequest> change) { var r = ByArn(PartnerRoleArn, "reports"); change(r); return r; }
            yield return new object[] { With(r => r.RoleArn = "partner-role"), "RoleArnInvalid", "RoleArn" };
            yield return new object[] { With(r => r.RoleArn = "arn:aws:iam::123456789012:user/admin"), "RoleArnInvalid", "RoleArn" };
            yield return new object[] { With(r => r.RoleArn = "arn:aws:iam::123456789012:role/"), "RoleArnInvalid", "RoleArn" };
            yield return new object[] { With(r => r.RoleArn = "arn:aws:iam::123456789012:role/bad name"), "RoleArnInvalid", "RoleArn" };
            yield return new object[] { With(r => r.RoleArn = "arn:aws-cn:iam::123456789012:role/x"), "RoleArnOtherPartition", "RoleArn" };
            yield return new object[] { With(r => r.RoleName = "other"), "RoleArnWithRoleName", "RoleArn" };
            yield return new object[] { With(r => r.Method = TemporaryCredentialMethod.FederationToken), "RoleArnWithFederationToken", "RoleArn" };
            yield return new object[] { With(r => r.Duration = null), "RoleArnWithoutDuration", "RoleArn" };
            yield return new object[] { With(r => r.Tags = new Dictionary<string, string> { ["team"] = "a" }), "TagWithRoleArn", "Tag" };
        }

        [Theory]
        [MemberData(nameof(BadRequests))]
        public async Task A_bad_role_arn_or_a_parameter_that_cannot_go_with_it_is_refused_before_any_call(NewCredentialRequest request, string errorId, string parameter)
        {
            var error = await ThrowsAsync<S3CredentialsException>(() => CreateAsync(request));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(parameter, error.ParameterName);
            Assert.Contains("-" + parameter, error.Message);
            Assert.Empty(Recorder.Calls);
        }

        [Fact]
        public void A_role_arn_without_a_12_digit_account_is_taken_only_when_STS_goes_to_an_endpoint_of_the_users()
        {
            foreach (var arn in new[] { "arn:aws:iam::12345:role/x", "arn:aws:iam::tenant_a:role/x" })
            {
                Assert.Equal("RoleArnInvalid", Assert.Throws<S3CredentialsException>(() => CredentialPlan.Create(ByArn(arn, "reports"), AwsPartition.Aws)).ErrorId);
                Assert.Equal(arn, CredentialPlan.Create(ByArn(arn, "reports"), AwsPartition.Aws, customStsEndpoint: true).RoleArn);
            }
            var request = ByArn("arn:aws:iam:::role/s3credentials/rgw-role", "reports");
            Assert.Equal("RoleArnInvalid", Assert.Throws<S3CredentialsException>(() => CredentialPlan.Create(request, AwsPartition.Aws)).ErrorId);
            var plan = CredentialPlan.Create(request, AwsPartition.Aws, customStsEndpoint: true);
            Assert.Equal("arn:aws:iam:::role/s3credentials/rgw-role", plan.RoleArn);
            Assert.Equal("rgw-role", plan.RoleName);
            Assert.Equal("arn:aws:iam:::role/s3credentials/rgw-role", CredentialPlan.Create(request, MotoSession()).RoleArn);
        }
    }
}
