using System;
using System.Collections.Generic;
using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace S3Credentials.Core.AwsProtocol
{
    /// <summary>What the endpoint resolver hands to the endpoint provider.</summary>
    public sealed class OwnEndpointParameters : EndpointParameters
    {
        public string Region { get => (string)this["Region"]; set => this["Region"] = value; }
        public string Endpoint { get => (string)this["Endpoint"]; set => this["Endpoint"] = value; }
        public string SigningRegion { get => (string)this["SigningRegion"]; set => this["SigningRegion"] = value; }
        /// <summary>An unsigned request (<see cref="OwnRequest.Unsigned"/>): its endpoint names no auth scheme.</summary>
        public bool Unsigned { get => this["Unsigned"] is bool unsigned && unsigned; set => this["Unsigned"] = value; }
        /// <summary>The client's UseFIPSEndpoint (AWS_USE_FIPS_ENDPOINT, a profile's use_fips_endpoint).</summary>
        public bool UseFIPS { get => this["UseFIPS"] is bool fips && fips; set => this["UseFIPS"] = value; }
        /// <summary>The client's UseDualstackEndpoint (AWS_USE_DUALSTACK_ENDPOINT, a profile's use_dualstack_endpoint).</summary>
        public bool UseDualStack { get => this["UseDualStack"] is bool dualStack && dualStack; set => this["UseDualStack"] = value; }
    }

    /// <summary>
    /// The service's endpoint for the region, or the configured ServiceURL. The signing region (the region unless
    /// AuthenticationRegion is set) travels in the endpoint's authSchemes attribute, as in the SDK's generated rules.
    /// An unsigned request's endpoint has no authSchemes: AWSSDK.Core rejects an endpoint whose auth schemes do not
    /// include the one chosen for the request (noAuth), as the SSO services' own rules name none.
    /// </summary>
    public sealed class OwnEndpointProvider : IEndpointProvider
    {
        private readonly ServiceDefinition _service;

        public OwnEndpointProvider(ServiceDefinition service)
        {
            _service = service ?? throw new ArgumentNullException(nameof(service));
        }

        public Endpoint ResolveEndpoint(EndpointParameters parameters)
        {
            if (parameters == null) throw new ArgumentNullException(nameof(parameters));
            var region = (string)parameters["Region"];
            var url = (string)parameters["Endpoint"];
            if (string.IsNullOrEmpty(url))
            {
                RefuseVariant(parameters, "UseFIPS", "FIPS", "AWS_USE_FIPS_ENDPOINT or use_fips_endpoint");
                RefuseVariant(parameters, "UseDualStack", "dual-stack", "AWS_USE_DUALSTACK_ENDPOINT or use_dualstack_endpoint");
                url = _service.DefaultEndpoint(region);
            }
            var signingRegion = (string)parameters["SigningRegion"];
            if (string.IsNullOrEmpty(signingRegion)) signingRegion = region;
            if (parameters["Unsigned"] is bool unsigned && unsigned) return new Endpoint(url, null, null);
            var attributes = "{\"authSchemes\":[{\"name\":\"sigv4\",\"signingName\":\"" + _service.SigningName + "\",\"signingRegion\":\"" + signingRegion + "\"}]}";
            return new Endpoint(url, attributes, null);
        }

        /// <summary>
        /// This provider knows only the standard endpoints. Sending a request asked to go to a FIPS or dual-stack endpoint
        /// to the standard one instead would be a silent downgrade: it is refused, before anything is sent.
        /// </summary>
        private void RefuseVariant(EndpointParameters parameters, string name, string variant, string settings)
        {
            if (parameters[name] is bool asked && asked)
                throw new AmazonClientException(
                    $"{settings} asks for {variant} endpoints, and S3Credentials' own {_service.ServiceId} client does not know them. " +
                    $"Give the {variant} endpoint's URL (for {_service.ServiceId}: AWS_ENDPOINT_URL_{_service.ServiceId.Replace(' ', '_').ToUpperInvariant()}, " +
                    "or -IamEndpointUrl / -StsEndpointUrl), or unset that setting.");
        }
    }

    /// <summary>The pipeline handler that replaces the SDK's default EndpointResolver for these services.</summary>
    public sealed class OwnEndpointResolver : BaseEndpointResolver
    {
        protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext)
        {
            var config = requestContext.ClientConfig;
            var serviceUrl = config.ServiceURL; // read first: applies AWS_ENDPOINT_URL_<ID> and clears RegionEndpoint when set
            return new OwnEndpointParameters
            {
                Endpoint = serviceUrl,
                Region = requestContext.Request.AlternateEndpoint?.SystemName ?? config.RegionEndpoint?.SystemName
                    ?? (config as OwnServiceConfig)?.Region,
                SigningRegion = config.AuthenticationRegion,
                Unsigned = requestContext.OriginalRequest is OwnRequest request && request.Unsigned,
                UseFIPS = config.UseFIPSEndpoint,
                UseDualStack = config.UseDualstackEndpoint,
            };
        }

        protected override void ServiceSpecificHandler(IExecutionContext executionContext, EndpointParameters parameters)
            => InjectHostPrefix(executionContext.RequestContext);
    }

    /// <summary>SigV4, except for requests that say they are unsigned (STS AssumeRoleWithWebIdentity, the SSO portal, SSO OIDC).</summary>
    public sealed class OwnAuthSchemeHandler : BaseAuthResolverHandler
    {
        protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext)
            => executionContext.RequestContext.OriginalRequest is OwnRequest request && request.Unsigned
                ? AuthSchemeOption.DEFAULT_NOAUTH
                : AuthSchemeOption.DEFAULT_SIGV4;
    }

    internal sealed class OwnServiceMetadata : IServiceMetadata
    {
        public OwnServiceMetadata(string serviceId) { ServiceId = serviceId; }
        public string ServiceId { get; }
        public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>(0);
    }
}
