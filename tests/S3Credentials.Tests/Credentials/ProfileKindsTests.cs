using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Operations;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Credentials
{
    /// <summary>Role, credential_process and SSO profiles resolve through the SDK, end to end against moto where moto can.</summary>
    public sealed class ProfileKindsTests : MotoTestBase
    {
        public ProfileKindsTests(MotoServer moto) : base(moto) { }

        [Fact]
        public async Task A_role_profile_assumes_the_role_through_its_source_profile()
        {
            Environment.WriteCredentials($"[base]\naws_access_key_id = {TestAccessKey}\naws_secret_access_key = {TestSecretKey}\n");
            Environment.WriteConfig("[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin-role\nsource_profile = base\nrole_session_name = s3cred-test\nregion = eu-west-1\n");
            // The role is assumed through the session's STS client, so -StsEndpointUrl is enough (OwnSdkClientsTests);
            // the SDK's endpoint variable, as a user would set it, must not get in its way.
            Environment.Set("AWS_ENDPOINT_URL_STS", Moto.Endpoint);

            var session = SessionResolver.Resolve(new SessionOptions { ProfileName = "admin", StsEndpointUrl = Moto.Endpoint, HttpClientFactory = Recorder });
            Assert.Equal(CredentialSource.Profile, session.CredentialSource);
            Assert.Equal("eu-west-1", session.Region);
            Assert.IsAssignableFrom<AssumeRoleAWSCredentials>(session.Credentials);

            var identity = await CallerIdentityOperation.GetAsync(session, CancellationToken.None);
            Assert.Equal("arn:aws:sts::123456789012:assumed-role/admin-role/s3cred-test", identity.Arn);
            Assert.StartsWith("ASIA", identity.AccessKeyId);
            Assert.Equal("admin", identity.ProfileName);
        }

        [Fact]
        public async Task A_credential_process_profile_runs_the_process()
        {
            var script = Environment.WriteFile("creds.sh",
                "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESS000000001\", \"SecretAccessKey\": \"" + TestSecretKey + "\"}'\n");
            Environment.WriteConfig($"[profile proc]\ncredential_process = /bin/sh \"{script}\"\n");

            var session = SessionResolver.Resolve(new SessionOptions { ProfileName = "proc", StsEndpointUrl = Moto.Endpoint, HttpClientFactory = Recorder });
            Assert.IsType<ProcessAWSCredentials>(session.Credentials);
            var identity = await CallerIdentityOperation.GetAsync(session, CancellationToken.None);
            Assert.Equal("AKIAPROCESS000000001", identity.AccessKeyId);
            Assert.Equal("123456789012", identity.Account);
        }

        [Fact]
        public void An_SSO_profile_resolves_to_SSO_credentials()
        {
            Environment.WriteConfig("[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = S3Admin\nregion = us-west-2\n\n" +
                                    "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n");
            var session = SessionResolver.Resolve(new SessionOptions { ProfileName = "sso" });
            Assert.IsType<SSOAWSCredentials>(session.Credentials);
            Assert.Equal("us-west-2", session.Region);
        }

        [Fact]
        public async Task Caller_identity_reports_account_arn_and_sources()
        {
            var identity = await CallerIdentityOperation.GetAsync(MotoSession(region: "eu-central-1"), CancellationToken.None);
            Assert.Equal("123456789012", identity.Account);
            Assert.StartsWith("arn:aws:", identity.Arn);
            Assert.False(string.IsNullOrEmpty(identity.UserId));
            Assert.Equal("Parameters", identity.CredentialSource);
            Assert.Equal(TestAccessKey, identity.AccessKeyId);
            Assert.Equal("eu-central-1", identity.Region);
            Assert.Equal("Parameter", identity.RegionSource);
            Assert.Equal("aws", identity.Partition);
            Assert.Equal(1, Recorder.Count("GetCallerIdentity"));
            Assert.Contains("/eu-central-1/sts/aws4_request", Recorder.Calls[0].CredentialScope);
        }

        [Fact]
        public async Task Caller_identity_of_a_moto_user_in_auth_mode()
        {
            using var iam = MotoSession().CreateIamClient();
            await iam.CreateUserAsync("auditor");
            var key = await iam.CreateAccessKeyAsync("auditor");
            Moto.SetAuthEnforced(true);

            var identity = await CallerIdentityOperation.GetAsync(MotoSession(key.AccessKeyId, key.SecretAccessKey), CancellationToken.None);
            Assert.Equal("arn:aws:iam::123456789012:user/auditor", identity.Arn);

            var refused = await Assert.ThrowsAsync<S3Credentials.Core.Sts.StsServiceException>(
                () => CallerIdentityOperation.GetAsync(MotoSession("AKIAUNKNOWN000000001", TestSecretKey), CancellationToken.None));
            var description = S3Credentials.Core.ErrorDescription.Describe(refused);
            Assert.Equal("Aws.InvalidClientTokenId", description.ErrorId);
            Assert.Equal(S3Credentials.Core.FailureKind.AuthenticationError, description.Kind);
            Assert.Contains("AWS error InvalidClientTokenId, HTTP 403", description.Message);
            Assert.DoesNotContain(TestSecretKey, description.Message);
        }
    }
}
