using System;
using System.Collections.Generic;
using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Util.Internal;

namespace S3Credentials.Core.AwsProtocol
{
    /// <summary>
    /// The ClientConfig of a service described by a <see cref="ServiceDefinition"/>: the same settings the SDK's generated
    /// configs make (ServiceId, signing name, defaults, endpoint provider), so endpoint overrides (AWS_ENDPOINT_URL_&lt;ID&gt;,
    /// ServiceURL), retries, proxies and HTTP client factories work as for any SDK client.
    /// </summary>
    public class OwnServiceConfig : ClientConfig
    {
        private readonly OwnEndpointResolver _endpointResolver = new OwnEndpointResolver();
        private readonly string _userAgent;

        public OwnServiceConfig(ServiceDefinition service, string region)
            : base(new DefaultConfigurationProvider(StandardDefaults.All))
        {
            Service = service ?? throw new ArgumentNullException(nameof(service));
            if (string.IsNullOrEmpty(region)) throw new ArgumentException("A region is needed.", nameof(region));
            base.ServiceId = service.ServiceId;
            AuthenticationServiceName = service.SigningName;
            EndpointProvider = new OwnEndpointProvider(service);
            _userAgent = InternalSDKUtils.BuildUserAgentString(service.ServiceId, "1.0.0");
            Region = region;
            RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        /// <summary>A config for <paramref name="service"/> in <paramref name="region"/>, through <paramref name="proxy"/> when one is given.</summary>
        public static OwnServiceConfig For(ServiceDefinition service, string region, IWebProxy proxy)
        {
            var config = new OwnServiceConfig(service, region);
            if (proxy != null) config.SetWebProxy(proxy);
            return config;
        }

        public ServiceDefinition Service { get; }

        /// <summary>The total time of one call over all its attempts (<see cref="RequestPolicy.TotalTimeCap"/>; shorter in tests).</summary>
        internal TimeSpan TotalTimeCap { get; set; } = RequestPolicy.TotalTimeCap;

        /// <summary>
        /// The region requests go to and are signed for (unless AuthenticationRegion says otherwise). Kept apart from
        /// RegionEndpoint because the SDK clears RegionEndpoint when ServiceURL is set.
        /// </summary>
        public string Region { get; }

        public override string RegionEndpointServiceName => Service.SigningName;
        public override string ServiceVersion => Service.ApiVersion;
        public override string UserAgent => _userAgent;

        /// <summary>The base class insists on a RegionEndpoint or ServiceURL; <see cref="Region"/> always stands in.</summary>
        public override void Validate() { }

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
        {
            // Same shape as the SDK's generated configs.
            var requestContext = new RequestContext(false)
            {
                ClientConfig = this,
                OriginalRequest = parameters.Request,
                Request = new DefaultRequest(parameters.Request, ServiceId) { AlternateEndpoint = parameters.AlternateEndpoint },
            };
            return _endpointResolver.GetEndpoint(new Amazon.Runtime.Internal.ExecutionContext(requestContext, null));
        }
    }

    /// <summary>The same values as every generated *DefaultConfiguration of the SDK.</summary>
    internal static class StandardDefaults
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

        public static IEnumerable<IDefaultConfiguration> All => new IDefaultConfiguration[]
        {
            Make(DefaultConfigurationMode.Standard, 3100),
            Make(DefaultConfigurationMode.InRegion, 1100),
            Make(DefaultConfigurationMode.CrossRegion, 3100),
            Make(DefaultConfigurationMode.Mobile, 30000),
            Make(DefaultConfigurationMode.Auto, 1100),
        };
    }
}
