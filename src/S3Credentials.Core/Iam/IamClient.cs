using System;
using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using S3Credentials.Core.AwsProtocol;

namespace S3Credentials.Core.Iam
{
    /// <summary>
    /// IAM over AWSSDK.Core's pipeline (credential resolution, SigV4, retries, endpoint overrides come from the SDK),
    /// as a Query-protocol client; each operation is a few lines in IamClient.Operations.cs.
    /// </summary>
    public sealed partial class IamClient : QueryServiceClient, IIamClient
    {
        private static readonly IServiceMetadata Metadata = new OwnServiceMetadata(IamClientConfig.Definition.ServiceId);

        public IamClient(AWSCredentials credentials, IamClientConfig config) : base(credentials, config) { }

        protected override IServiceMetadata ServiceMetadata => Metadata;

        protected override AmazonServiceException CreateException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
            => new IamServiceException(message, innerException, errorType, errorCode, requestId, statusCode);
    }

    /// <summary>An error IAM answered with: ErrorCode (such as NoSuchEntity), RequestId and StatusCode come from the response.</summary>
    public sealed class IamServiceException : AmazonServiceException
    {
        public IamServiceException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
            : base(message, innerException, errorType, errorCode, requestId, statusCode) { }
    }
}
