using System;
using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace S3Credentials.Core.AwsProtocol
{
    /// <summary>A request to one of these services. Unsigned requests carry no credentials (the SDK's NoAuth scheme).</summary>
    public abstract class OwnRequest : AmazonWebServiceRequest
    {
        protected OwnRequest(bool unsigned) { Unsigned = unsigned; }
        public bool Unsigned { get; }
    }

    /// <summary>
    /// A client on AWSSDK.Core's pipeline for a service the module calls without its SDK package: credential resolution,
    /// SigV4, retries and endpoint overrides come from the SDK; as the generated clients do, endpoint and auth-scheme
    /// resolution run right after marshalling.
    /// </summary>
    public abstract class OwnServiceClient : AmazonServiceClient
    {
        protected OwnServiceClient(AWSCredentials credentials, OwnServiceConfig config) : base(credentials, config) { }

        /// <summary>The service's own exception type for an error it answered with.</summary>
        protected abstract AmazonServiceException CreateException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode);

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            pipeline.RemoveHandler<Amazon.Runtime.Internal.EndpointResolver>();
            pipeline.AddHandlerAfter<Amazon.Runtime.Internal.Marshaller>(new OwnEndpointResolver());
            pipeline.AddHandlerAfter<Amazon.Runtime.Internal.Marshaller>(new OwnAuthSchemeHandler());
            TotalTimeCapHandler.AddTo(pipeline, () => ((OwnServiceConfig)Config).TotalTimeCap);
        }
    }

    /// <summary>Makes a service's exception from what an error answer said (<see cref="OwnServiceClient"/>'s CreateException).</summary>
    internal delegate AmazonServiceException ServiceExceptionFactory(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode);
}
