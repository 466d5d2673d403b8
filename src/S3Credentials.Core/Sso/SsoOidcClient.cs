using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.SharedInterfaces;
using Amazon.Util;
using S3Credentials.Core.Aws;
using S3Credentials.Core.AwsProtocol;

namespace S3Credentials.Core.Sso
{
    /// <summary>
    /// IAM Identity Center's OIDC API (SSO OIDC, REST-JSON, API 2019-06-10) on AWSSDK.Core's pipeline, in place of
    /// AWSSDK.SSOOIDC's AmazonSSOOIDCClient, for what AWSSDK.Core's SSO token manager asks of it (ICoreAmazonSSOOIDC):
    /// refreshing a cached access token with its refresh token, as the AWS CLI leaves it for sso-session profiles.
    /// A new sign-in (device authorization, which needs a person at a browser) is not done here: see
    /// <see cref="GetSsoTokenAsync(GetSsoTokenRequest)"/>. Every call is unsigned. ServiceId "SSO OIDC" makes
    /// AWS_ENDPOINT_URL_SSO_OIDC work.
    /// </summary>
    public sealed class SsoOidcClient : RestJsonServiceClient, ICoreAmazonSSOOIDC, ICoreAmazonSSOOIDC_V2
    {
        /// <summary>The OIDC endpoint for a region: https://oidc.REGION.DNS-SUFFIX.</summary>
        public static readonly ServiceDefinition Definition = new ServiceDefinition("SSO OIDC", "sso-oauth", "2019-06-10",
            region => "https://oidc." + region + "." + AwsPartition.ForRegion(region).DnsSuffix);

        private static readonly IServiceMetadata Metadata = new OwnServiceMetadata(Definition.ServiceId);

        /// <summary>A client for SSO OIDC in <paramref name="region"/> (the SSO region), through <paramref name="proxy"/> when given.</summary>
        public SsoOidcClient(string region, IWebProxy proxy = null) : this(OwnServiceConfig.For(Definition, region, proxy)) { }

        public SsoOidcClient(OwnServiceConfig config) : base(new AnonymousAWSCredentials(), config) { }

        protected override IServiceMetadata ServiceMetadata => Metadata;

        /// <summary>
        /// CreateToken with grant type refresh_token. As AmazonSSOOIDCClient does: the new access token, expiring
        /// expiresIn seconds from now, and the refresh token the answer holds (null when it holds none); region,
        /// client id and secret, their registration's expiry and the start URL carried over from
        /// <paramref name="previousResponse"/>.
        /// </summary>
        public async Task<GetSsoTokenResponse> RefreshTokenAsync(GetSsoTokenResponse previousResponse)
        {
            if (previousResponse == null) throw new ArgumentNullException(nameof(previousResponse));
            var body = new Dictionary<string, string>
            {
                ["clientId"] = previousResponse.ClientId,
                ["clientSecret"] = previousResponse.ClientSecret,
                ["grantType"] = "refresh_token",
                ["refreshToken"] = previousResponse.RefreshToken,
            };
            var answer = await SendAsync("POST", "/token", null, null, body, true, CancellationToken.None).ConfigureAwait(false);
            var accessToken = answer.Text("accessToken");
            var expiresIn = answer.Int64("expiresIn");
            if (string.IsNullOrEmpty(accessToken) || expiresIn == null)
                throw new AmazonClientException("SSO OIDC's answer to refreshing the SSO access token holds no accessToken or no expiresIn.");
            return new GetSsoTokenResponse
            {
                AccessToken = accessToken,
#pragma warning disable CS0618 // CorrectedUtcNow is obsolete; AmazonSSOOIDCClient uses it here, for the SDK's clock-skew correction.
                ExpiresAt = AWSSDKUtils.CorrectedUtcNow.AddSeconds(expiresIn.Value),
#pragma warning restore CS0618
                RefreshToken = answer.Text("refreshToken"),
                Region = previousResponse.Region,
                RegistrationExpiresAt = previousResponse.RegistrationExpiresAt,
                ClientId = previousResponse.ClientId,
                ClientSecret = previousResponse.ClientSecret,
                StartUrl = previousResponse.StartUrl,
            };
        }

        /// <summary>
        /// A new sign-in. AWSSDK.Core's token manager asks for one only when the credentials' options say
        /// SupportsGettingNewToken (with a callback that shows the user a code); SSO credentials made from a profile never
        /// do, so this module never starts one. It fails at once, without a network call, telling the user to sign in
        /// with the AWS CLI.
        /// </summary>
        public Task<GetSsoTokenResponse> GetSsoTokenAsync(GetSsoTokenRequest request)
            => GetSsoTokenAsync(request, CancellationToken.None);

        /// <inheritdoc cref="GetSsoTokenAsync(GetSsoTokenRequest)"/>
        public Task<GetSsoTokenResponse> GetSsoTokenAsync(GetSsoTokenRequest request, CancellationToken cancellationToken)
        {
            var startUrl = string.IsNullOrEmpty(request?.StartUrl) ? "" : $" ({request.StartUrl})";
            throw new AmazonClientException(
                $"S3Credentials does not sign in to IAM Identity Center{startUrl} itself. Sign in with the AWS CLI " +
                "('aws sso login --profile NAME', or 'aws sso login --sso-session NAME'), then run the command again.");
        }

        protected override AmazonServiceException CreateException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
            => new SsoOidcException(message, innerException, errorType, errorCode, requestId, statusCode);
    }

    /// <summary>
    /// An error SSO OIDC answered with: ErrorCode (such as InvalidGrantException when a refresh token is no longer
    /// valid), RequestId and StatusCode come from the answer.
    /// </summary>
    public sealed class SsoOidcException : AmazonServiceException
    {
        public SsoOidcException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
            : base(message, innerException, errorType, errorCode, requestId, statusCode) { }
    }
}
