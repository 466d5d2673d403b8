using System;

namespace S3Credentials.Core.AwsProtocol
{
    /// <summary>
    /// What AWSSDK.Core needs to know of an AWS service this module calls without that service's SDK package (IAM, STS,
    /// SSO, SSO OIDC): its id (which names AWS_ENDPOINT_URL_&lt;ID&gt; and a profile's services section), the name requests
    /// are signed for, the API version, and the endpoint of a region when no endpoint URL is configured.
    /// </summary>
    public sealed class ServiceDefinition
    {
        private readonly Func<string, string> _defaultEndpoint;

        public ServiceDefinition(string serviceId, string signingName, string apiVersion, Func<string, string> defaultEndpoint)
        {
            ServiceId = serviceId ?? throw new ArgumentNullException(nameof(serviceId));
            SigningName = signingName ?? throw new ArgumentNullException(nameof(signingName));
            ApiVersion = apiVersion ?? throw new ArgumentNullException(nameof(apiVersion));
            _defaultEndpoint = defaultEndpoint ?? throw new ArgumentNullException(nameof(defaultEndpoint));
        }

        public string ServiceId { get; }
        public string SigningName { get; }
        public string ApiVersion { get; }

        /// <summary>The service's endpoint for <paramref name="region"/> (a region's partition decides the DNS suffix).</summary>
        public string DefaultEndpoint(string region) => _defaultEndpoint(region);

        public override string ToString() => ServiceId;
    }
}
