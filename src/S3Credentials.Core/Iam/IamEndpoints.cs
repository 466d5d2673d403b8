using System;
using System.Collections.Generic;
using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using S3Credentials.Core.Credentials;

namespace S3Credentials.Core.Iam
{
    /// <summary>What the endpoint resolver hands to the endpoint provider.</summary>
    public sealed class IamEndpointParameters : EndpointParameters
    {
        public string Region { get => (string)this["Region"]; set => this["Region"] = value; }
        public string Endpoint { get => (string)this["Endpoint"]; set => this["Endpoint"] = value; }
        public string SigningRegion { get => (string)this["SigningRegion"]; set => this["SigningRegion"] = value; }
    }

    /// <summary>
    /// IAM's global endpoint for the region's partition, or the configured ServiceURL. The signing region travels
    /// in the endpoint's authSchemes attribute, as in the SDK's generated endpoint rules.
    /// </summary>
    public sealed class IamEndpointProvider : IEndpointProvider
    {
        public Endpoint ResolveEndpoint(EndpointParameters parameters)
        {
            if (parameters == null) throw new ArgumentNullException(nameof(parameters));
            var partition = AwsPartition.ForRegion((string)parameters["Region"]);
            var url = (string)parameters["Endpoint"];
            if (string.IsNullOrEmpty(url)) url = partition.IamEndpoint;
            var signingRegion = (string)parameters["SigningRegion"];
            if (string.IsNullOrEmpty(signingRegion)) signingRegion = partition.IamSigningRegion;
            var attributes = "{\"authSchemes\":[{\"name\":\"sigv4\",\"signingName\":\"iam\",\"signingRegion\":\"" + signingRegion + "\"}]}";
            return new Endpoint(url, attributes, null);
        }
    }

    /// <summary>The pipeline handler that replaces the SDK's default EndpointResolver for IAM.</summary>
    public sealed class IamEndpointResolver : BaseEndpointResolver
    {
        protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext)
        {
            var config = requestContext.ClientConfig;
            var serviceUrl = config.ServiceURL; // read first: applies AWS_ENDPOINT_URL_IAM and clears RegionEndpoint when set
            return new IamEndpointParameters
            {
                Endpoint = serviceUrl,
                Region = requestContext.Request.AlternateEndpoint?.SystemName ?? config.RegionEndpoint?.SystemName
                    ?? (config as IamClientConfig)?.Partition.IamSigningRegion,
                SigningRegion = config.AuthenticationRegion,
            };
        }

        protected override void ServiceSpecificHandler(IExecutionContext executionContext, EndpointParameters parameters)
            => InjectHostPrefix(executionContext.RequestContext);
    }

    /// <summary>IAM is signed with SigV4; the base class picks the signer and resolves the identity.</summary>
    public sealed class IamAuthSchemeHandler : BaseAuthResolverHandler
    {
        protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext)
            => AuthSchemeOption.DEFAULT_SIGV4;
    }

    internal sealed class IamServiceMetadata : IServiceMetadata
    {
        public string ServiceId => "IAM";
        public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>(0);
    }
}
