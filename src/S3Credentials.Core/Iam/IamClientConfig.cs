using System;
using System.Collections.Generic;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Util.Internal;
using S3Credentials.Core.Credentials;

namespace S3Credentials.Core.Iam
{
    /// <summary>
    /// ClientConfig for IAM (Query protocol, API 2010-05-08). IAM is global: the region only chooses the
    /// partition's endpoint and signing region. ServiceId "IAM" makes AWS_ENDPOINT_URL_IAM work.
    /// </summary>
    public sealed class IamClientConfig : ClientConfig
    {
        private static readonly string UserAgentString = InternalSDKUtils.BuildUserAgentString("IAM", "1.0.0");
        private static readonly IamEndpointResolver EndpointResolver = new IamEndpointResolver();

        public IamClientConfig() : this(AwsPartition.Aws) { }

        public IamClientConfig(AwsPartition partition)
            : base(new DefaultConfigurationProvider(IamDefaultConfiguration.GetAllConfigurations()))
        {
            base.ServiceId = "IAM";
            AuthenticationServiceName = "iam";
            EndpointProvider = new IamEndpointProvider();
            Partition = partition ?? AwsPartition.Aws;
            RegionEndpoint = RegionEndpoint.GetBySystemName(Partition.IamSigningRegion);
        }

        /// <summary>
        /// The partition whose IAM this client talks to. Kept apart from RegionEndpoint because the SDK clears
        /// RegionEndpoint when ServiceURL is set, and requests must still be signed for the partition's IAM region.
        /// </summary>
        public AwsPartition Partition { get; }

        public override string RegionEndpointServiceName => "iam";
        public override string ServiceVersion => "2010-05-08";
        public override string UserAgent => UserAgentString;

        /// <summary>The base class insists on a region or ServiceURL; IAM needs neither.</summary>
        public override void Validate() { }

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
        {
            // Same shape as the generated AmazonSecurityTokenServiceConfig.
            var requestContext = new RequestContext(false)
            {
                ClientConfig = this,
                OriginalRequest = parameters.Request,
                Request = new DefaultRequest(parameters.Request, ServiceId) { AlternateEndpoint = parameters.AlternateEndpoint },
            };
            return EndpointResolver.GetEndpoint(new Amazon.Runtime.Internal.ExecutionContext(requestContext, null));
        }
    }

    /// <summary>The same values as every generated *DefaultConfiguration of the SDK.</summary>
    internal static class IamDefaultConfiguration
    {
        private static DefaultConfiguration Make(DefaultConfigurationMode mode, double connectMilliseconds) => new DefaultConfiguration
        {
            Name = mode,
            RetryMode = RequestRetryMode.Standard,
            S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
            ConnectTimeout = TimeSpan.FromMilliseconds(connectMilliseconds),
            TlsNegotiationTimeout = TimeSpan.FromMilliseconds(connectMilliseconds),
            TimeToFirstByteTimeout = null,
            HttpRequestTimeout = null,
        };

        public static IEnumerable<IDefaultConfiguration> GetAllConfigurations() => new IDefaultConfiguration[]
        {
            Make(DefaultConfigurationMode.Standard, 3100),
            Make(DefaultConfigurationMode.InRegion, 1100),
            Make(DefaultConfigurationMode.CrossRegion, 3100),
            Make(DefaultConfigurationMode.Mobile, 30000),
            Make(DefaultConfigurationMode.Auto, 1100),
        };
    }
}
