using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using S3Credentials.Core;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Sso;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Credentials
{
    /// <summary>
    /// SSO (IAM Identity Center) profiles end to end: the profile and a cached access token, as "aws sso login" leaves
    /// them, are turned into role credentials by the fake SSO portal (<see cref="FakeSsoPortal"/>), and those
    /// credentials sign the STS call moto answers. What the portal was asked, and which key signed the call, show the
    /// SSO credentials were the ones used. The same in a process where another AWSSDK.SSO was loaded first:
    /// Module/CoexistenceTests.cs.
    /// </summary>
    public sealed class SsoProfileTests : MotoTestBase
    {
        private const string StartUrl = "https://corp.awsapps.com/start";
        private const string SsoRegion = "eu-west-1";
        private readonly FakeSsoPortal _portal = new FakeSsoPortal();

        public SsoProfileTests(MotoServer moto) : base(moto)
        {
            // The SDK's SSO client honours the SDK's endpoint variable, as its STS client does. SSO OIDC (refreshing a
            // token, or a new login) is pointed at the portal too, where any such call would be recorded and refused.
            Environment.Set("AWS_ENDPOINT_URL_SSO", _portal.Url);
            Environment.Set("AWS_ENDPOINT_URL_SSO_OIDC", _portal.Url);
        }

        public override void Dispose()
        {
            _portal.Dispose();
            base.Dispose();
        }

        [Fact]
        public async Task An_sso_session_profile_gets_role_credentials_from_the_portal_and_signs_with_them()
        {
            WriteDevProfile();
            _portal.WriteCachedToken(EnvironmentScope.RunHome, "corp", StartUrl, SsoRegion, DateTime.UtcNow.AddHours(1));

            var identity = await CallerIdentityOf("dev");

            AssertThePortalWasAsked("111122223333", "S3Admin");
            AssertTheCallWasSignedWithThePortalsKeys(identity);
            Assert.Equal("Profile", identity.CredentialSource);
            Assert.Equal("dev", identity.ProfileName);
            Assert.Equal("us-west-2", identity.Region);
        }

        [Fact]
        public async Task A_legacy_sso_profile_finds_its_token_by_start_url()
        {
            Environment.WriteConfig($"[profile legacy]\nsso_start_url = {StartUrl}\nsso_region = {SsoRegion}\nsso_account_id = 444455556666\nsso_role_name = ReadOnly\n");
            _portal.WriteCachedToken(EnvironmentScope.RunHome, StartUrl, StartUrl, SsoRegion, DateTime.UtcNow.AddHours(1));

            var identity = await CallerIdentityOf("legacy");

            AssertThePortalWasAsked("444455556666", "ReadOnly");
            AssertTheCallWasSignedWithThePortalsKeys(identity);
        }

        [Fact]
        public async Task An_expired_cached_token_fails_saying_so_without_asking_the_portal_or_starting_a_login()
        {
            WriteDevProfile();
            _portal.WriteCachedToken(EnvironmentScope.RunHome, "corp", StartUrl, SsoRegion, DateTime.UtcNow.AddHours(-1));

            var description = await FailureOf("dev");

            Assert.Equal("AwsClientError", description.ErrorId);
            Assert.Equal("SSO Token has expired and can not be refreshed", description.Message);
            Assert.DoesNotContain(_portal.AccessToken, description.Message);
            Assert.Empty(_portal.Requests);
        }

        [Fact]
        public async Task Without_a_cached_token_it_fails_saying_so_without_starting_a_login()
        {
            WriteDevProfile();

            var description = await FailureOf("dev");

            Assert.Equal("AwsClientError", description.ErrorId);
            Assert.Equal("No valid SSO Token could be found.", description.Message);
            Assert.Empty(_portal.Requests);
        }

        [Fact]
        public async Task A_token_the_portal_does_not_accept_fails_with_its_error_code_and_request_id_saying_to_sign_in_again_without_the_token()
        {
            WriteDevProfile();
            var staleToken = "stale-sso-access-token-" + Guid.NewGuid().ToString("N");
            _portal.WriteCachedToken(EnvironmentScope.RunHome, "corp", StartUrl, SsoRegion, DateTime.UtcNow.AddHours(1), staleToken);

            var error = await Assert.ThrowsAnyAsync<Exception>(() => CallerIdentityOf("dev"));

            var portalError = Assert.IsType<SsoPortalException>(error);
            Assert.Equal("UnauthorizedException", portalError.ErrorCode);
            Assert.Equal(HttpStatusCode.Unauthorized, portalError.StatusCode);
            Assert.Equal(_portal.RequestId, portalError.RequestId);
            var description = ErrorDescription.Describe(error);
            Assert.Equal("Aws.UnauthorizedException", description.ErrorId);
            Assert.Equal(FailureKind.AuthenticationError, description.Kind);
            Assert.Contains("role 'S3Admin' in account 111122223333", description.Message);
            Assert.Contains("Session token not found or invalid", description.Message);
            Assert.Contains("aws sso login", description.Message);
            Assert.Contains(_portal.RequestId, description.Message);
            Assert.DoesNotContain(staleToken, error.ToString());
            Assert.Equal(staleToken, Assert.Single(_portal.Requests).Headers.GetValueOrDefault(FakeSsoPortal.BearerTokenHeader));
            Assert.Empty(Recorder.Calls);
        }

        [Fact]
        public async Task An_expired_token_with_a_refresh_token_is_refreshed_through_SSO_OIDC_and_the_new_token_gets_the_role_credentials()
        {
            using var oidc = new FakeSsoOidc(newAccessToken: _portal.AccessToken);
            Environment.Set("AWS_ENDPOINT_URL_SSO_OIDC", oidc.Url);
            WriteDevProfile();
            var expiredToken = "expired-sso-access-token-" + Guid.NewGuid().ToString("N");
            var cacheFile = _portal.WriteCachedToken(EnvironmentScope.RunHome, "corp", StartUrl, SsoRegion, DateTime.UtcNow.AddHours(-1), expiredToken, refreshWith: oidc);
            var before = DateTime.UtcNow;

            var identity = await CallerIdentityOf("dev");

            // CreateToken: unsigned, with exactly what the SDK's own client sends for a refresh.
            var refresh = Assert.Single(oidc.Requests);
            Assert.Equal("POST", refresh.Method);
            Assert.Equal("/token", refresh.Path);
            Assert.False(refresh.Headers.ContainsKey("authorization"), "A refresh is not signed.");
            Assert.StartsWith("application/json", refresh.Headers.GetValueOrDefault("content-type"));
            using (var body = JsonDocument.Parse(refresh.Body))
            {
                var members = body.RootElement.EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetString());
                Assert.Equal(new Dictionary<string, string>
                {
                    ["clientId"] = oidc.ClientId,
                    ["clientSecret"] = oidc.ClientSecret,
                    ["grantType"] = "refresh_token",
                    ["refreshToken"] = oidc.RefreshToken,
                }, members);
            }
            // The new token got the role credentials, and those signed the call.
            AssertThePortalWasAsked("111122223333", "S3Admin");
            AssertTheCallWasSignedWithThePortalsKeys(identity);
            // The SDK saved the refreshed token where "aws sso login" keeps it: the new access and refresh token, expiring
            // expiresIn seconds after the refresh; the client registration kept.
            using var saved = JsonDocument.Parse(File.ReadAllText(cacheFile));
            string Saved(string name) => saved.RootElement.GetProperty(name).GetString();
            Assert.Equal(_portal.AccessToken, Saved("accessToken"));
            Assert.Equal(oidc.NewRefreshToken, Saved("refreshToken"));
            Assert.Equal(oidc.ClientId, Saved("clientId"));
            Assert.Equal(oidc.ClientSecret, Saved("clientSecret"));
            Assert.Equal(StartUrl, Saved("startUrl"));
            Assert.Equal(SsoRegion, Saved("region"));
            var expiresAt = DateTime.Parse(Saved("expiresAt"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            Assert.InRange(expiresAt, before.AddSeconds(FakeSsoOidc.ExpiresIn - 60), DateTime.UtcNow.AddSeconds(FakeSsoOidc.ExpiresIn + 60));
        }

        [Fact]
        public async Task A_refresh_SSO_OIDC_refuses_fails_saying_the_token_expired_with_the_OAuth_error_and_no_secret_in_any_message()
        {
            using var oidc = new FakeSsoOidc(newAccessToken: _portal.AccessToken) { Refuse = true };
            Environment.Set("AWS_ENDPOINT_URL_SSO_OIDC", oidc.Url);
            WriteDevProfile();
            var expiredToken = "expired-sso-access-token-" + Guid.NewGuid().ToString("N");
            _portal.WriteCachedToken(EnvironmentScope.RunHome, "corp", StartUrl, SsoRegion, DateTime.UtcNow.AddHours(-1), expiredToken, refreshWith: oidc);

            var error = await Assert.ThrowsAnyAsync<Exception>(() => CallerIdentityOf("dev"));

            Assert.Single(oidc.Requests);
            var description = ErrorDescription.Describe(error);
            Assert.Equal("AwsClientError", description.ErrorId);
            Assert.Equal("SSO Token has expired and failed to refresh", description.Message);
            var oidcError = Assert.IsType<SsoOidcException>(error.InnerException);
            Assert.Equal("invalid_grant", oidcError.ErrorCode);
            Assert.Equal("Invalid refresh token provided", oidcError.Message);
            Assert.Equal(HttpStatusCode.BadRequest, oidcError.StatusCode);
            foreach (var secret in new[] { expiredToken, oidc.RefreshToken, oidc.ClientSecret, oidc.NewAccessToken })
                Assert.DoesNotContain(secret, error.ToString());
            Assert.Empty(_portal.Requests);
            Assert.Empty(Recorder.Calls);
        }

        /// <summary>An sso-session style profile, as "aws configure sso" writes it; its token is cached under the session's name.</summary>
        private void WriteDevProfile()
            => Environment.WriteConfig("[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = S3Admin\nregion = us-west-2\n\n" +
                                       $"[sso-session corp]\nsso_start_url = {StartUrl}\nsso_region = {SsoRegion}\nsso_registration_scopes = sso:account:access\n");

        /// <summary>The profile resolves (the token is read only when keys are needed); the first call fails, as a cmdlet reports it.</summary>
        private async Task<ErrorDescription> FailureOf(string profileName)
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => CallerIdentityOf(profileName));
            Assert.Empty(Recorder.Calls);
            return ErrorDescription.Describe(error);
        }

        private async Task<S3Credentials.Core.Models.CallerIdentity> CallerIdentityOf(string profileName)
        {
            var session = SessionResolver.Resolve(new SessionOptions { ProfileName = profileName, StsEndpointUrl = Moto.Endpoint, HttpClientFactory = Recorder });
            Assert.IsType<SSOAWSCredentials>(session.Credentials);
            return await CallerIdentityOperation.GetAsync(session, CancellationToken.None);
        }

        private void AssertThePortalWasAsked(string accountId, string roleName)
        {
            var request = Assert.Single(_portal.Requests);
            Assert.Equal("/federation/credentials", request.Path);
            Assert.Equal(accountId, request.Query["account_id"]);
            Assert.Equal(roleName, request.Query["role_name"]);
            Assert.Equal(_portal.AccessToken, request.Headers.GetValueOrDefault(FakeSsoPortal.BearerTokenHeader));
        }

        private void AssertTheCallWasSignedWithThePortalsKeys(S3Credentials.Core.Models.CallerIdentity identity)
        {
            Assert.Equal(_portal.AccessKeyId, identity.AccessKeyId);
            var call = Assert.Single(Recorder.Calls, c => c.Action == "GetCallerIdentity");
            Assert.StartsWith(_portal.AccessKeyId + "/", call.CredentialScope);
            Assert.Equal($"arn:aws:sts::{MotoServer.AccountId}:user/moto", identity.Arn);
        }
    }
}
