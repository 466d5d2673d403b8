using System;
using System.Collections.Generic;
using System.Text.Json;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// IAM Identity Center's OIDC service (SSO OIDC), as far as refreshing an access token goes, faked in-process on a
    /// <see cref="FakeHttpEndpoint"/>: POST /token with the JSON {clientId, clientSecret, grantType: "refresh_token",
    /// refreshToken} is answered 200 {accessToken: <see cref="NewAccessToken"/>, expiresIn: <see cref="ExpiresIn"/>,
    /// refreshToken: <see cref="NewRefreshToken"/>, tokenType: "Bearer"} when client id, secret and refresh token are
    /// this fake's (and it does not <see cref="Refuse"/>), else 400 OAuth-style {error: "invalid_grant",
    /// error_description}. Every request is recorded. Found through AWS_ENDPOINT_URL_SSO_OIDC = <see cref="Url"/>.
    /// </summary>
    public sealed class FakeSsoOidc : IDisposable
    {
        public const int ExpiresIn = 3600;
        private readonly FakeHttpEndpoint _endpoint;

        /// <param name="newAccessToken">The access token a refresh hands out (the portal's, so that it is accepted there).</param>
        public FakeSsoOidc(string newAccessToken)
        {
            NewAccessToken = newAccessToken ?? throw new ArgumentNullException(nameof(newAccessToken));
            _endpoint = new FakeHttpEndpoint(Answer);
        }

        public string ClientId { get; } = "sso-client-id-" + Guid.NewGuid().ToString("N");
        public string ClientSecret { get; } = "sso-client-secret-" + Guid.NewGuid().ToString("N");
        public string RefreshToken { get; } = "sso-refresh-token-" + Guid.NewGuid().ToString("N");
        public string NewAccessToken { get; }
        public string NewRefreshToken { get; } = "sso-refresh-token-2-" + Guid.NewGuid().ToString("N");

        /// <summary>When true, every refresh is refused (invalid_grant), as for a revoked or expired refresh token.</summary>
        public bool Refuse { get; set; }

        /// <summary>The value of AWS_ENDPOINT_URL_SSO_OIDC.</summary>
        public string Url => _endpoint.BaseUrl;
        public IReadOnlyList<FakeHttpRequest> Requests => _endpoint.Requests;

        private FakeHttpResponse Answer(FakeHttpRequest request)
        {
            if (request.Method != "POST" || request.Path != "/token")
                return Error("invalid_request", "not a CreateToken request");
            using var body = JsonDocument.Parse(request.Body);
            string Member(string name) => body.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
            if (Refuse || Member("grantType") != "refresh_token" || Member("clientId") != ClientId
                || Member("clientSecret") != ClientSecret || Member("refreshToken") != RefreshToken)
                return Error("invalid_grant", "Invalid refresh token provided");
            return new FakeHttpResponse(200, JsonSerializer.Serialize(new
            {
                accessToken = NewAccessToken,
                expiresIn = ExpiresIn,
                refreshToken = NewRefreshToken,
                tokenType = "Bearer",
            }));
        }

        private static FakeHttpResponse Error(string error, string description)
            => new FakeHttpResponse(400, JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }));

        public void Dispose() => _endpoint.Dispose();
    }
}
