using System;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using S3Credentials.Core.Aws;
using S3Credentials.Core.AwsProtocol;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Sts;

namespace S3Credentials.Core.Credentials
{
    /// <summary>
    /// The resolved credentials, region, partition and endpoints of one command, and the factory of its AWS clients.
    /// Made only by <see cref="SessionResolver"/>. It never exposes the secret in a string.
    /// </summary>
    public sealed class AwsSession
    {
        internal AwsSession() { }

        public AWSCredentials Credentials { get; internal set; }
        public CredentialSource CredentialSource { get; internal set; }
        /// <summary>The Expiration that -Credential's object or -AuthFile's JSON gave (UTC), when they gave one.</summary>
        public DateTime? CredentialExpiration { get; internal set; }
        /// <summary>The profile the credentials came from, when they came from a profile.</summary>
        public string ProfileName { get; internal set; }
        /// <summary>The auth file the credentials came from, when they came from one.</summary>
        public string AuthFile { get; internal set; }
        public string Region { get; internal set; }
        /// <summary>Where the region came from: Parameter, Environment:AWS_REGION, Profile:NAME or Default.</summary>
        public string RegionSource { get; internal set; }
        public AwsPartition Partition => AwsPartition.ForRegion(Region);
        public string S3EndpointUrl { get; internal set; }
        public string IamEndpointUrl { get; internal set; }
        public string StsEndpointUrl { get; internal set; }
        internal HttpClientFactory HttpClientFactory { get; set; }
        /// <summary>The total time of one request over all its attempts, for every client made here (shorter in tests).</summary>
        internal TimeSpan TotalTimeCap { get; set; } = RequestPolicy.TotalTimeCap;
        /// <summary>The module session's caches this command reads and fills (<see cref="SessionOptions.State"/>).</summary>
        public S3CredentialsState State { get; internal set; } = new S3CredentialsState();

        /// <summary>Describes where the credentials came from, for output and verbose messages (never a secret).</summary>
        public string DescribeCredentialSource()
        {
            switch (CredentialSource)
            {
                case CredentialSource.Profile: return "profile '" + ProfileName + "'";
                case CredentialSource.AuthFile: return "auth file '" + AuthFile + "'";
                case CredentialSource.Parameters: return "-AccessKey/-SecretKey parameters";
                case CredentialSource.CredentialObject: return "-Credential parameter";
                case CredentialSource.Environment: return "environment variables";
                case CredentialSource.ShellDefault: return "AWS.Tools shell default ($StoredAWSCredentials)";
                default: return CredentialSource.ToString();
            }
        }

        /// <summary>
        /// The credentials' keys and when they stop working (UTC), when that is known: the Expiration of -Credential's
        /// object or -AuthFile's JSON, else the SDK's own for credentials it refreshes (role, SSO, web identity, container,
        /// instance profile), read after fetching them. Null for permanent keys and for temporary keys given without one.
        /// </summary>
        public async Task<(ImmutableCredentials Keys, DateTime? Expiration)> GetCredentialsWithExpirationAsync()
        {
            var keys = await Credentials.GetCredentialsAsync().ConfigureAwait(false);
            var expiration = CredentialExpiration ?? Credentials.Expiration?.ToUniversalTime();
            return (keys, expiration);
        }

        /// <summary>An S3 client for this session, or for other credentials (such as a key just made) with the same endpoints.</summary>
        public IAmazonS3 CreateS3Client(AWSCredentials credentials = null, string region = null)
        {
            var config = new AmazonS3Config();
            var signingRegion = region ?? Region;
            if (S3EndpointUrl != null)
            {
                config.ServiceURL = S3EndpointUrl;
                config.AuthenticationRegion = signingRegion;
                // S3-compatible stores and emulators rarely serve virtual-hosted bucket names.
                config.ForcePathStyle = true;
                // The SDK's default, a CRC32 checksum sent as a trailer of an aws-chunked upload, is AWS's newest form:
                // stores that predate it refuse every PutObject (Ceph RGW 16: 400 XAmzContentSHA256Mismatch). At a
                // store's endpoint, checksums only where the operation requires one, unless the variables say otherwise.
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_REQUEST_CHECKSUM_CALCULATION")))
                    config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_RESPONSE_CHECKSUM_VALIDATION")))
                    config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
            }
            else
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(signingRegion);
            }
            Customize(config);
            return new CappedS3Client(credentials ?? Credentials, config, TotalTimeCap);
        }

        /// <summary>An STS client for this session, or for other credentials (such as a key just made) with the same endpoints.</summary>
        public IStsClient CreateStsClient(AWSCredentials credentials = null) => CreateOwnStsClient(credentials);

        /// <summary>The same client, as the class that also serves AWSSDK.Core's role and web-identity credentials.</summary>
        internal StsClient CreateOwnStsClient(AWSCredentials credentials = null)
        {
            var config = new StsClientConfig(Region);
            if (StsEndpointUrl != null)
                config.ServiceURL = StsEndpointUrl; // still signed for the session's region
            Customize(config);
            return new StsClient(credentials ?? Credentials, config);
        }

        /// <param name="maxErrorRetry">
        /// 0 for calls that are not idempotent: one attempt (<see cref="RequestPolicy"/>);
        /// otherwise (null) the module's one retry policy.
        /// </param>
        public IIamClient CreateIamClient(int? maxErrorRetry = null)
        {
            var config = new IamClientConfig(Partition);
            if (IamEndpointUrl != null)
                config.ServiceURL = IamEndpointUrl; // still signed for the partition's IAM region (IamEndpointProvider)
            Customize(config, onceOnly: maxErrorRetry == 0);
            return new IamClient(Credentials, config);
        }

        private void Customize(ClientConfig config, bool onceOnly = false)
        {
            if (HttpClientFactory != null)
            {
                config.HttpClientFactory = HttpClientFactory;
            }
            RequestPolicy.Apply(config, onceOnly);
            if (config is OwnServiceConfig own)
                own.TotalTimeCap = TotalTimeCap;
        }

        /// <summary>The SDK's S3 client with <see cref="RequestPolicy"/>'s total time cap on every request (TotalTimeCapHandler).</summary>
        private sealed class CappedS3Client : AmazonS3Client
        {
            private readonly TimeSpan _cap;

            public CappedS3Client(AWSCredentials credentials, AmazonS3Config config, TimeSpan cap) : base(credentials, config) => _cap = cap;

            protected override void CustomizeRuntimePipeline(Amazon.Runtime.Internal.RuntimePipeline pipeline)
            {
                base.CustomizeRuntimePipeline(pipeline);
                // Built by the base constructor, before _cap is set: read at each call.
                TotalTimeCapHandler.AddTo(pipeline, () => _cap);
            }
        }
    }
}
