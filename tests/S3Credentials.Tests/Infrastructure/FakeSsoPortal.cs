using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// The AWS IAM Identity Center (SSO) portal's GetRoleCredentials, which the SDK calls to turn an SSO profile and its
    /// cached access token into keys, faked in-process on a <see cref="FakeHttpEndpoint"/> (moto does not emulate it).
    /// GET /federation/credentials?account_id=...&amp;role_name=... with the token in the x-amz-sso_bearer_token header is
    /// answered like AWS: 200 and {"roleCredentials": {accessKeyId, secretAccessKey, sessionToken, expiration (epoch
    /// milliseconds)}} when the token is <see cref="AccessToken"/>, 401 UnauthorizedException otherwise (the code in the
    /// x-amzn-ErrorType header, as AWS sends it; every answer has the x-amzn-RequestId <see cref="RequestId"/>). Every
    /// request is recorded. The module's SSO client finds it through AWS_ENDPOINT_URL_SSO = <see cref="Url"/>.
    /// </summary>
    public sealed class FakeSsoPortal : IDisposable
    {
        public const string BearerTokenHeader = "x-amz-sso_bearer_token";
        private readonly FakeHttpEndpoint _endpoint;

        public FakeSsoPortal()
        {
            _endpoint = new FakeHttpEndpoint(Answer);
        }

        /// <summary>The access token the portal accepts (as written to the SSO token cache).</summary>
        public string AccessToken { get; } = "sso-access-token-" + Guid.NewGuid().ToString("N");
        /// <summary>The role credentials the portal hands out: key-shaped, so moto accepts them while auth mode is off.</summary>
        public string AccessKeyId { get; } = "ASIASSO" + Guid.NewGuid().ToString("N").Substring(0, 13).ToUpperInvariant();
        public string SecretAccessKey { get; } = "sso-secret-" + Guid.NewGuid().ToString("N");
        public string SessionToken { get; } = "sso-session-token-" + Guid.NewGuid().ToString("N");
        public DateTime Expiration { get; } = DateTime.UtcNow.AddHours(1);
        /// <summary>The request id every answer carries.</summary>
        public string RequestId { get; } = Guid.NewGuid().ToString();

        /// <summary>The value of AWS_ENDPOINT_URL_SSO.</summary>
        public string Url => _endpoint.BaseUrl;
        public IReadOnlyList<FakeHttpRequest> Requests => _endpoint.Requests;

        /// <summary>
        /// Writes the token cache entry the SDK reads for an SSO profile, as the AWS CLI's "aws sso login" leaves it:
        /// HOME/.aws/sso/cache/(lower-case hex SHA-1 of the sso-session name, or of the start URL for a legacy profile).json.
        /// Without <paramref name="refreshWith"/> it holds no refresh token, so the SDK uses it as it is until it expires
        /// and never calls SSO OIDC; with it, it also holds that fake's refresh token, client id and secret and when the
        /// client registration expires (in 30 days), as "aws sso login" leaves it for an sso-session profile.
        /// </summary>
        public string WriteCachedToken(string home, string sessionNameOrStartUrl, string startUrl, string ssoRegion, DateTime expiresAt, string accessToken = null,
            FakeSsoOidc refreshWith = null)
        {
            var folder = Path.Combine(home, ".aws", "sso", "cache");
            Directory.CreateDirectory(folder);
            var hash = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(sessionNameOrStartUrl))).ToLowerInvariant();
            var path = Path.Combine(folder, hash + ".json");
            var entry = new Dictionary<string, string>
            {
                ["accessToken"] = accessToken ?? AccessToken,
                ["expiresAt"] = Timestamp(expiresAt),
                ["region"] = ssoRegion,
                ["startUrl"] = startUrl,
            };
            if (refreshWith != null)
            {
                entry["refreshToken"] = refreshWith.RefreshToken;
                entry["clientId"] = refreshWith.ClientId;
                entry["clientSecret"] = refreshWith.ClientSecret;
                entry["registrationExpiresAt"] = Timestamp(DateTime.UtcNow.AddDays(30));
            }
            File.WriteAllText(path, JsonSerializer.Serialize(entry));
            return path;
        }

        private static string Timestamp(DateTime time)
            => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        private FakeHttpResponse Answer(FakeHttpRequest request)
        {
            if (request.Method != "GET" || request.Path != "/federation/credentials"
                || !request.Query.ContainsKey("account_id") || !request.Query.ContainsKey("role_name"))
                return Error(400, "InvalidRequestException", "not a GetRoleCredentials request");
            if (request.Headers.GetValueOrDefault(BearerTokenHeader) != AccessToken)
                return Error(401, "UnauthorizedException", "Session token not found or invalid");
            return new FakeHttpResponse(200, JsonSerializer.Serialize(new
            {
                roleCredentials = new
                {
                    accessKeyId = AccessKeyId,
                    secretAccessKey = SecretAccessKey,
                    sessionToken = SessionToken,
                    expiration = new DateTimeOffset(Expiration).ToUnixTimeMilliseconds(),
                },
            }), RequestIdHeader());
        }

        private FakeHttpResponse Error(int status, string type, string message)
        {
            var headers = RequestIdHeader();
            headers["x-amzn-ErrorType"] = type + ":http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/";
            return new FakeHttpResponse(status, JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message }), headers);
        }

        private Dictionary<string, string> RequestIdHeader() => new Dictionary<string, string> { ["x-amzn-RequestId"] = RequestId };

        public void Dispose() => _endpoint.Dispose();
    }
}
