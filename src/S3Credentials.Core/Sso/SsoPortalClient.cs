using System;
using System.Collections.Generic;
using System.Net;
using System.Text.Json;
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
    /// The IAM Identity Center (SSO) portal API (REST-JSON, API 2019-06-10) on AWSSDK.Core's pipeline, in place of
    /// AWSSDK.SSO's AmazonSSOClient: what AWSSDK.Core's SSOAWSCredentials asks of an SSO client (ICoreAmazonSSO: the
    /// role credentials for an access token) and what its token manager's logout asks (ICoreAmazonSSO_Logout). Every
    /// call is unsigned: the access token travels in the x-amz-sso_bearer_token header. ServiceId "SSO" makes
    /// AWS_ENDPOINT_URL_SSO (and a profile's sso endpoint_url) work.
    /// </summary>
    public sealed class SsoPortalClient : RestJsonServiceClient, ICoreAmazonSSO, ICoreAmazonSSO_Logout
    {
        /// <summary>The portal's endpoint for a region: https://portal.sso.REGION.DNS-SUFFIX.</summary>
        public static readonly ServiceDefinition Definition = new ServiceDefinition("SSO", "awsssoportal", "2019-06-10",
            region => "https://portal.sso." + region + "." + AwsPartition.ForRegion(region).DnsSuffix);

        internal const string BearerTokenHeader = "x-amz-sso_bearer_token";
        private static readonly IServiceMetadata Metadata = new OwnServiceMetadata(Definition.ServiceId);

        /// <summary>A client for the portal of <paramref name="region"/> (the SSO region), through <paramref name="proxy"/> when given.</summary>
        public SsoPortalClient(string region, IWebProxy proxy = null) : this(OwnServiceConfig.For(Definition, region, proxy)) { }

        public SsoPortalClient(OwnServiceConfig config) : base(new AnonymousAWSCredentials(), config) { }

        protected override IServiceMetadata ServiceMetadata => Metadata;

        /// <summary>
        /// GetRoleCredentials: the role's temporary keys for an access token, as SSOImmutableCredentials (AWSSDK.Core's
        /// SSOAWSCredentials accepts no other kind) expiring when the portal says (epoch milliseconds) and carrying the
        /// account id. <paramref name="additionalProperties"/> set members of the request by name, as AmazonSSOClient
        /// does (AccountId, RoleName, AccessToken; any other name is an error); AWSSDK.Core passes none.
        /// </summary>
        public async Task<ImmutableCredentials> CredentialsFromSsoAccessTokenAsync(string accountId, string roleName, string accessToken,
            IDictionary<string, object> additionalProperties)
        {
            if (additionalProperties != null)
            {
                foreach (var property in additionalProperties)
                {
                    switch (property.Key)
                    {
                        case "AccountId": accountId = (string)property.Value; break;
                        case "RoleName": roleName = (string)property.Value; break;
                        case "AccessToken": accessToken = (string)property.Value; break;
                        default: throw new ArgumentException($"Unable to find property {property.Key} on type GetRoleCredentialsRequest.", nameof(additionalProperties));
                    }
                }
            }

            var query = new Dictionary<string, string> { ["account_id"] = accountId, ["role_name"] = roleName };
            JsonElement answer;
            try
            {
                answer = await SendAsync("GET", "/federation/credentials", query, BearerToken(accessToken), null, true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (SsoPortalException e) when (e.ErrorCode == "UnauthorizedException")
            {
                throw new SsoPortalException(
                    $"The SSO portal did not accept the cached SSO access token for role '{roleName}' in account {accountId}: {e.Message.TrimEnd('.')}. " +
                    "Sign in again with 'aws sso login' for this profile (or its sso-session).",
                    e, e.ErrorType, e.ErrorCode, e.RequestId, e.StatusCode);
            }
            var role = answer.Member("roleCredentials");
            var accessKeyId = role.Text("accessKeyId");
            var secretAccessKey = role.Text("secretAccessKey");
            if (string.IsNullOrEmpty(accessKeyId) || string.IsNullOrEmpty(secretAccessKey))
                throw new AmazonClientException($"The SSO portal's answer to GetRoleCredentials for role '{roleName}' in account {accountId} holds no role credentials.");
            var expiration = AWSSDKUtils.ConvertFromUnixEpochMilliseconds(role.Int64("expiration") ?? 0);
            return new SSOImmutableCredentials(accessKeyId, secretAccessKey, role.Text("sessionToken"), expiration, accountId);
        }

        /// <summary>Logout: ends the portal session of an access token.</summary>
        public Task LogoutAsync(string accessToken, CancellationToken cancellationToken = default)
            => SendAsync("POST", "/logout", null, BearerToken(accessToken), null, true, cancellationToken);

        protected override AmazonServiceException CreateException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
            => new SsoPortalException(message, innerException, errorType, errorCode, requestId, statusCode);

        private static Dictionary<string, string> BearerToken(string accessToken)
            => new Dictionary<string, string> { [BearerTokenHeader] = accessToken };
    }

    /// <summary>
    /// An error the SSO portal answered with: ErrorCode (such as UnauthorizedException when the access token is not or no
    /// longer valid), RequestId and StatusCode come from the answer.
    /// </summary>
    public sealed class SsoPortalException : AmazonServiceException
    {
        public SsoPortalException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
            : base(message, innerException, errorType, errorCode, requestId, statusCode) { }
    }
}
