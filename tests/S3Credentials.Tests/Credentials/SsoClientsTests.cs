using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;
using S3Credentials.Core.Sso;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Credentials
{
    /// <summary>
    /// The module's own SSO portal and SSO OIDC clients, which replace AWSSDK.SSO and AWSSDK.SSOOIDC (SSO profiles end to
    /// end: SsoProfileTests): how they read the services' errors, that they never start a sign-in, and that
    /// S3Credentials.Core needs neither assembly.
    /// </summary>
    [Collection(MotoCollection.Name)]
    public sealed class SsoClientsTests : IDisposable
    {
        private readonly EnvironmentScope _env = new EnvironmentScope();

        public void Dispose() => _env.Dispose();

        [Fact]
        public async Task An_error_whose_code_is_only_in_the_bodys_type_keeps_the_code_after_the_hash_and_the_message()
        {
            using var endpoint = new FakeHttpEndpoint(_ => new FakeHttpResponse(400,
                "{\"__type\":\"com.amazonaws.switchboard.portal#InvalidRequestException\",\"Message\":\"The account id is not valid\"}",
                new Dictionary<string, string> { ["x-amzn-RequestId"] = "request-1" }));
            _env.Set("AWS_ENDPOINT_URL_SSO", endpoint.BaseUrl);
            using var client = new SsoPortalClient("eu-west-1");

            var error = await Assert.ThrowsAsync<SsoPortalException>(() => client.CredentialsFromSsoAccessTokenAsync("not-an-account", "Reader", "a-token", null));

            Assert.Equal("InvalidRequestException", error.ErrorCode);
            Assert.Equal("The account id is not valid", error.Message);
            Assert.Equal("request-1", error.RequestId);
            Assert.Equal(ErrorType.Sender, error.ErrorType);
            Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
            var request = Assert.Single(endpoint.Requests);
            Assert.Equal("GET", request.Method);
            Assert.Equal("not-an-account", request.Query["account_id"]);
            Assert.Equal("2019-06-10", request.Headers.GetValueOrDefault("x-amz-api-version"));
        }

        [Fact]
        public async Task An_error_answer_that_is_not_JSON_fails_with_its_status_and_without_the_body()
        {
            using var endpoint = new FakeHttpEndpoint(_ => (403, "<html>blocked by a proxy: a-token</html>"));
            _env.Set("AWS_ENDPOINT_URL_SSO", endpoint.BaseUrl);
            using var client = new SsoPortalClient("eu-west-1");

            var error = await Assert.ThrowsAsync<SsoPortalException>(() => client.CredentialsFromSsoAccessTokenAsync("111122223333", "Reader", "a-token", null));

            Assert.Null(error.ErrorCode);
            Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
            Assert.Equal("The service answered HTTP 403 (Forbidden).", error.Message);
            Assert.DoesNotContain("a-token", error.ToString());
        }

        [Fact]
        public async Task The_portals_role_credentials_are_SSO_credentials_expiring_when_it_says_with_the_account_id()
        {
            using var portal = new FakeSsoPortal();
            _env.Set("AWS_ENDPOINT_URL_SSO", portal.Url);
            using var client = new SsoPortalClient("eu-west-1");

            var credentials = await ((ICoreAmazonSSO)client).CredentialsFromSsoAccessTokenAsync("111122223333", "Reader", portal.AccessToken, null);

            var sso = Assert.IsType<SSOImmutableCredentials>(credentials);
            Assert.Equal((portal.AccessKeyId, portal.SecretAccessKey, portal.SessionToken), (sso.AccessKey, sso.SecretKey, sso.Token));
            Assert.Equal("111122223333", sso.AccountId);
            Assert.InRange(sso.Expiration, portal.Expiration.AddMilliseconds(-1), portal.Expiration.AddMilliseconds(1));
            // As AmazonSSOClient: additional properties name members of the request; an unknown one is an error, sent nowhere.
            await Assert.ThrowsAsync<ArgumentException>(() =>
                client.CredentialsFromSsoAccessTokenAsync("111122223333", "Reader", portal.AccessToken, new Dictionary<string, object> { ["NoSuchMember"] = "x" }));
            Assert.Single(portal.Requests);
        }

        [Fact]
        public async Task A_new_sign_in_fails_at_once_telling_to_sign_in_with_the_AWS_CLI()
        {
            using var oidc = new FakeSsoOidc("unused");
            _env.Set("AWS_ENDPOINT_URL_SSO_OIDC", oidc.Url);
            using var client = new SsoOidcClient("eu-west-1");
            var request = new GetSsoTokenRequest { ClientName = "tool", StartUrl = "https://corp.awsapps.com/start", SsoVerificationCallback = _ => { } };

            var first = await Assert.ThrowsAsync<AmazonClientException>(() => ((ICoreAmazonSSOOIDC)client).GetSsoTokenAsync(request));
            var second = await Assert.ThrowsAsync<AmazonClientException>(() => ((ICoreAmazonSSOOIDC_V2)client).GetSsoTokenAsync(request, CancellationToken.None));

            Assert.Contains("aws sso login --profile", first.Message);
            Assert.Contains("https://corp.awsapps.com/start", first.Message);
            Assert.Equal(first.Message, second.Message);
            Assert.Empty(oidc.Requests);
        }
    }
}
