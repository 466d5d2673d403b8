using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.RuntimeDependencies;
using Amazon.SecurityToken;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Sso;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Credentials
{
    /// <summary>
    /// Role, web-identity and SSO credentials use this module's own STS/SSO/SSOOIDC clients, never the first assembly of
    /// that name in the process (see Module/CoexistenceTests for the same with another SDK loaded).
    /// </summary>
    public sealed class OwnSdkClientsTests : MotoTestBase
    {
        public OwnSdkClientsTests(MotoServer moto) : base(moto) { }

        [Fact]
        public async Task A_role_profile_chained_to_a_role_profile_assumes_both_roles_through_the_modules_STS_client()
        {
            Environment.WriteCredentials($"[base]\naws_access_key_id = {TestAccessKey}\naws_secret_access_key = {TestSecretKey}\n");
            Environment.WriteConfig(
                "[profile inner]\nrole_arn = arn:aws:iam::123456789012:role/inner-role\nsource_profile = base\nrole_session_name = inner\n\n" +
                "[profile outer]\nrole_arn = arn:aws:iam::123456789012:role/outer-role\nsource_profile = inner\nrole_session_name = outer\n" +
                "external_id = outer-external-id\n");
            // No AWS_ENDPOINT_URL_STS: the roles are assumed through the session's own STS client, so -StsEndpointUrl applies.
            var session = SessionResolver.Resolve(new SessionOptions { ProfileName = "outer", StsEndpointUrl = Moto.Endpoint, HttpClientFactory = Recorder });

            var outer = Assert.IsAssignableFrom<AssumeRoleAWSCredentials>(session.Credentials);
            var inner = Assert.IsAssignableFrom<AssumeRoleAWSCredentials>(outer.SourceCredentials);
            Assert.NotEqual(typeof(AssumeRoleAWSCredentials), outer.GetType());
            Assert.NotEqual(typeof(AssumeRoleAWSCredentials), inner.GetType());
            Assert.Equal("arn:aws:iam::123456789012:role/outer-role", outer.RoleArn);
            Assert.Equal("outer", outer.RoleSessionName);
            Assert.Equal("outer-external-id", outer.Options.ExternalId);
            Assert.Equal("arn:aws:iam::123456789012:role/inner-role", inner.RoleArn);

            var identity = await CallerIdentityOperation.GetAsync(session, CancellationToken.None);
            Assert.Equal("arn:aws:sts::123456789012:assumed-role/outer-role/outer", identity.Arn);
            var (keys, expiration) = await session.GetCredentialsWithExpirationAsync();
            Assert.StartsWith("ASIA", keys.AccessKey);
            Assert.True(expiration > DateTime.UtcNow, $"The assumed role's credentials expire at {expiration}.");
            Assert.Equal(2, Recorder.Count("AssumeRole"));
        }

        [Fact]
        public async Task Web_identity_credentials_assume_the_role_through_the_sessions_STS_client()
        {
            var token = Environment.WriteFile("web-identity-token", "a-web-identity-token");
            Environment.Set("AWS_WEB_IDENTITY_TOKEN_FILE", token).Set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web-role");

            var session = SessionResolver.Resolve(new SessionOptions { StsEndpointUrl = Moto.Endpoint, HttpClientFactory = Recorder });

            Assert.IsAssignableFrom<AssumeRoleWithWebIdentityCredentials>(session.Credentials);
            Assert.NotEqual(typeof(AssumeRoleWithWebIdentityCredentials), session.Credentials.GetType());
            var identity = await CallerIdentityOperation.GetAsync(session, CancellationToken.None);
            Assert.StartsWith("arn:aws:sts::123456789012:assumed-role/web-role/", identity.Arn);
            Assert.Equal(1, Recorder.Count("AssumeRoleWithWebIdentity"));
        }

        [Fact]
        public void Credentials_that_are_not_a_role_are_left_as_they_are()
        {
            var keys = new BasicAWSCredentials(TestAccessKey, TestSecretKey);
            Assert.Same(keys, OwnSdkClients.UseOwnStsClient(keys, _ => throw new InvalidOperationException("no STS client needed")));
            Assert.Null(OwnSdkClients.UseOwnStsClient(null, _ => throw new InvalidOperationException("no STS client needed")));
        }

        [Fact]
        public async Task Many_threads_registering_at_once_put_the_clients_into_the_SDKs_registry_exactly_once()
        {
            // Other tests of this process may have registered already (a profile read): either way the count ends at 1.
            using (var start = new ManualResetEventSlim(false))
            {
                var callers = new Task[16];
                for (var i = 0; i < callers.Length; i++)
                    callers[i] = Task.Factory.StartNew(() => { start.Wait(); OwnSdkClients.Register(); }, TaskCreationOptions.LongRunning);
                start.Set();
                await Task.WhenAll(callers);
            }
            OwnSdkClients.Register();

            Assert.Equal(1, OwnSdkClients.Registrations);
            var sso = GlobalRuntimeDependencyRegistry.Instance.GetInstance<object>(ServiceClientHelpers.SSO_ASSEMBLY_NAME, ServiceClientHelpers.SSO_SERVICE_CLASS_NAME,
                new CreateInstanceContext(new SSOClientContext { Region = RegionEndpoint.USEast1 }));
            Assert.IsType<SsoPortalClient>(sso);
        }

        [Fact]
        public void The_SDKs_registry_hands_out_the_modules_SSO_and_SSOOIDC_clients_and_no_STS_client()
        {
            OwnSdkClients.Register();
            var registry = GlobalRuntimeDependencyRegistry.Instance;

            var sso = registry.GetInstance<object>(ServiceClientHelpers.SSO_ASSEMBLY_NAME, ServiceClientHelpers.SSO_SERVICE_CLASS_NAME,
                new CreateInstanceContext(new SSOClientContext { Region = RegionEndpoint.USWest2 }));
            var oidc = registry.GetInstance<object>(ServiceClientHelpers.SSO_OIDC_ASSEMBLY_NAME, ServiceClientHelpers.SSO_OIDC_SERVICE_CLASS_NAME,
                new CreateInstanceContext(new SSOOIDCClientContext { Region = RegionEndpoint.APSoutheast2 }));
            // An STS client here would be used by every AssumeRoleAWSCredentials of this SDK copy, unsigned: there is none.
            var sts = registry.GetInstance<object>(ServiceClientHelpers.STS_ASSEMBLY_NAME, ServiceClientHelpers.STS_SERVICE_CLASS_NAME,
                new CreateInstanceContext(new SecurityTokenServiceClientContext { Action = SecurityTokenServiceClientContext.ActionContext.AssumeRoleAWSCredentials, Region = RegionEndpoint.EUWest1 }));

            Assert.Equal(RegionEndpoint.USWest2, Assert.IsType<SsoPortalClient>(sso).Config.RegionEndpoint);
            Assert.Equal(RegionEndpoint.APSoutheast2, Assert.IsType<SsoOidcClient>(oidc).Config.RegionEndpoint);
            Assert.Null(sts);
        }
    }
}
