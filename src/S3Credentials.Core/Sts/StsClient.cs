using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.SharedInterfaces;
using S3Credentials.Core.AwsProtocol;

namespace S3Credentials.Core.Sts
{
    /// <summary>
    /// STS over AWSSDK.Core's pipeline, as a Query-protocol client. It is also the <see cref="ICoreAmazonSTS"/> AWSSDK.Core
    /// asks for role and web-identity credentials (see Credentials/OwnSdkClients.cs), with the same parameters and the
    /// same errors as the SDK's own AmazonSecurityTokenServiceClient.
    /// </summary>
    public sealed class StsClient : QueryServiceClient, IStsClient, ICoreAmazonSTS
    {
        private static readonly IServiceMetadata Metadata = new OwnServiceMetadata(StsClientConfig.Definition.ServiceId);

        public StsClient(AWSCredentials credentials, StsClientConfig config) : base(credentials, config) { }

        protected override IServiceMetadata ServiceMetadata => Metadata;

        protected override AmazonServiceException CreateException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
            => new StsServiceException(message, innerException, errorType, errorCode, requestId, statusCode);

        // ---- IStsClient ----

        public async Task<StsCallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default)
        {
            var result = await SendAsync("GetCallerIdentity", Params(), cancellationToken).ConfigureAwait(false);
            return new StsCallerIdentity { Account = result.Text("Account"), Arn = result.Text("Arn"), UserId = result.Text("UserId") };
        }

        public async Task<StsAssumedRole> AssumeRoleAsync(StsAssumeRoleRequest request, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var parameters = Params("RoleArn", request.RoleArn, "RoleSessionName", request.RoleSessionName,
                "DurationSeconds", Number(request.DurationSeconds), "Policy", request.Policy, "ExternalId", request.ExternalId,
                "SerialNumber", request.SerialNumber, "TokenCode", request.TokenCode, "SourceIdentity", request.SourceIdentity);
            AddMembers(parameters, "PolicyArns", request.PolicyArns, "arn");
            AddMembers(parameters, "Tags", request.Tags);
            AddMembers(parameters, "TransitiveTagKeys", request.TransitiveTagKeys);
            return ReadAssumedRole(await SendAsync("AssumeRole", parameters, cancellationToken).ConfigureAwait(false));
        }

        public async Task<StsAssumedRole> AssumeRoleWithWebIdentityAsync(StsWebIdentityRequest request, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var parameters = Params("RoleArn", request.RoleArn, "RoleSessionName", request.RoleSessionName,
                "WebIdentityToken", request.WebIdentityToken, "ProviderId", request.ProviderId,
                "DurationSeconds", Number(request.DurationSeconds), "Policy", request.Policy);
            AddMembers(parameters, "PolicyArns", request.PolicyArns, "arn");
            return ReadAssumedRole(await SendAsync("AssumeRoleWithWebIdentity", parameters, cancellationToken, unsigned: true).ConfigureAwait(false));
        }

        public async Task<StsFederationToken> GetFederationTokenAsync(string name, string policy, int? durationSeconds, CancellationToken cancellationToken = default)
        {
            var result = await SendAsync("GetFederationToken", Params("Name", name, "Policy", policy, "DurationSeconds", Number(durationSeconds)), cancellationToken).ConfigureAwait(false);
            var user = result.Child("FederatedUser");
            return new StsFederationToken
            {
                Credentials = ReadCredentials(result.Child("Credentials")),
                FederatedUserArn = user.Text("Arn"),
                FederatedUserId = user.Text("FederatedUserId"),
                PackedPolicySize = ReadInt(result.Text("PackedPolicySize")),
            };
        }

        // ---- ICoreAmazonSTS: what AWSSDK.Core calls for AssumeRoleAWSCredentials and AssumeRoleWithWebIdentityCredentials ----

        AssumeRoleImmutableCredentials ICoreAmazonSTS.CredentialsFromAssumeRoleAuthentication(string roleArn, string roleSessionName, AssumeRoleAWSCredentialsOptions options)
            => ((ICoreAmazonSTS)this).CredentialsFromAssumeRoleAuthenticationAsync(roleArn, roleSessionName, options).GetAwaiter().GetResult();

        async Task<AssumeRoleImmutableCredentials> ICoreAmazonSTS.CredentialsFromAssumeRoleAuthenticationAsync(string roleArn, string roleSessionName, AssumeRoleAWSCredentialsOptions options)
        {
            var request = new StsAssumeRoleRequest { RoleArn = roleArn, RoleSessionName = roleSessionName };
            if (options != null)
            {
                request.ExternalId = options.ExternalId;
                request.SerialNumber = options.MfaSerialNumber;
                request.TokenCode = options.MfaTokenCode; // asks MfaTokenCodeCallback when there is one
                request.Policy = options.Policy;
                request.SourceIdentity = options.SourceIdentity;
                request.DurationSeconds = options.DurationSeconds;
                if (options.Tags != null && options.Tags.Count > 0) request.Tags = options.Tags;
                if (options.TransitiveTagKeys != null && options.TransitiveTagKeys.Count > 0) request.TransitiveTagKeys = options.TransitiveTagKeys;
            }
            return ToCore(await WrapAsync(roleArn, AssumeRoleAsync(request)).ConfigureAwait(false));
        }

        AssumeRoleImmutableCredentials ICoreAmazonSTS.CredentialsFromAssumeRoleWithWebIdentityAuthentication(string webIdentityToken, string roleArn, string roleSessionName, AssumeRoleWithWebIdentityCredentialsOptions options)
            => ((ICoreAmazonSTS)this).CredentialsFromAssumeRoleWithWebIdentityAuthenticationAsync(webIdentityToken, roleArn, roleSessionName, options).GetAwaiter().GetResult();

        async Task<AssumeRoleImmutableCredentials> ICoreAmazonSTS.CredentialsFromAssumeRoleWithWebIdentityAuthenticationAsync(string webIdentityToken, string roleArn, string roleSessionName, AssumeRoleWithWebIdentityCredentialsOptions options)
        {
            var request = new StsWebIdentityRequest { WebIdentityToken = webIdentityToken, RoleArn = roleArn, RoleSessionName = roleSessionName };
            if (options != null)
            {
                request.ProviderId = options.ProviderId;
                request.PolicyArns = options.PolicyArns;
                request.Policy = options.Policy;
                request.DurationSeconds = options.DurationSeconds;
            }
            return ToCore(await WrapAsync(roleArn, AssumeRoleWithWebIdentityAsync(request)).ConfigureAwait(false));
        }

        SAMLImmutableCredentials ICoreAmazonSTS.CredentialsFromSAMLAuthentication(string endpoint, string authenticationType, string roleARN, TimeSpan credentialDuration, ICredentials userCredential)
            => throw SamlNotSupported();

        Task<SAMLImmutableCredentials> ICoreAmazonSTS.CredentialsFromSAMLAuthenticationAsync(string endpoint, string authenticationType, string roleARN, TimeSpan credentialDuration, ICredentials userCredential)
            => throw SamlNotSupported();

        private static NotSupportedException SamlNotSupported()
            => new NotSupportedException("SAML (ADFS) profiles are not supported by S3Credentials: use a role, SSO, web-identity or credential_process profile.");

        /// <summary>As the SDK's client does: a failed AssumeRole for credentials is an AmazonClientException naming the role, holding STS's error.</summary>
        private static async Task<StsAssumedRole> WrapAsync(string roleArn, Task<StsAssumedRole> call)
        {
            try
            {
                return await call.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                throw new AmazonClientException("Error calling AssumeRole for role " + roleArn, e);
            }
        }

        private static AssumeRoleImmutableCredentials ToCore(StsAssumedRole role)
            => new AssumeRoleImmutableCredentials(role.Credentials.AccessKeyId, role.Credentials.SecretAccessKey, role.Credentials.SessionToken, role.Credentials.Expiration);

        // ---- Reading and writing ----

        private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

        private static StsAssumedRole ReadAssumedRole(XElement result)
        {
            var user = result.Child("AssumedRoleUser");
            return new StsAssumedRole
            {
                Credentials = ReadCredentials(result.Child("Credentials")),
                AssumedRoleArn = user.Text("Arn"),
                AssumedRoleId = user.Text("AssumedRoleId"),
                PackedPolicySize = ReadInt(result.Text("PackedPolicySize")),
                SourceIdentity = result.Text("SourceIdentity"),
            };
        }

        private static StsCredentials ReadCredentials(XElement credentials)
        {
            if (credentials == null)
                throw new AmazonClientException("STS answered without credentials.");
            return new StsCredentials
            {
                AccessKeyId = credentials.Text("AccessKeyId"),
                SecretAccessKey = credentials.Text("SecretAccessKey"),
                SessionToken = credentials.Text("SessionToken"),
                Expiration = XmlElements.ParseDate(credentials.Text("Expiration")),
            };
        }

        private static int? ReadInt(string value)
            => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : (int?)null;
    }

    /// <summary>An error STS answered with: ErrorCode (such as AccessDenied or InvalidClientTokenId), RequestId and StatusCode come from the response.</summary>
    public sealed class StsServiceException : AmazonServiceException
    {
        public StsServiceException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
            : base(message, innerException, errorType, errorCode, requestId, statusCode) { }
    }
}
