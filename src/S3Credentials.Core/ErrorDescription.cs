using System;
using System.Net;
using System.Net.Http;
using Amazon.Runtime;

namespace S3Credentials.Core
{
    /// <summary>
    /// Turns any exception an operation can raise into a stable ErrorId, a kind and a message for the user.
    /// AWS errors keep their error code and request id in the message; no secret is ever added.
    /// </summary>
    public sealed class ErrorDescription
    {
        private ErrorDescription(string errorId, FailureKind kind, string message, string parameterName, string awsErrorCode, string requestId)
        {
            ErrorId = errorId;
            Kind = kind;
            Message = message;
            ParameterName = parameterName;
            AwsErrorCode = awsErrorCode;
            RequestId = requestId;
        }

        public string ErrorId { get; }
        public FailureKind Kind { get; }
        public string Message { get; }
        public string ParameterName { get; }
        public string AwsErrorCode { get; }
        public string RequestId { get; }

        public static ErrorDescription Describe(Exception exception)
        {
            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
                exception = aggregate.InnerException;
            switch (exception)
            {
                case S3CredentialsException own:
                    return new ErrorDescription(own.ErrorId, own.Kind, own.Message, own.ParameterName, null, null);
                case AmazonServiceException aws:
                    var code = string.IsNullOrEmpty(aws.ErrorCode) ? ((int)aws.StatusCode).ToString() : aws.ErrorCode;
                    var message = (string.IsNullOrEmpty(aws.Message) ? "AWS refused the request." : aws.Message.TrimEnd())
                        + $" (AWS error {code}, HTTP {(int)aws.StatusCode}" + (string.IsNullOrEmpty(aws.RequestId) ? ")" : $", request id {aws.RequestId})");
                    return new ErrorDescription("Aws." + code, KindOfAwsError(code, aws.StatusCode), message, null, code, aws.RequestId);
                case OperationCanceledException _:
                    return new ErrorDescription("OperationStopped", FailureKind.OperationStopped, "The operation was stopped.", null, null, null);
                case AwsProtocol.AwsConnectionException connection:
                    return new ErrorDescription("AwsConnectionFailed", FailureKind.ConnectionError, connection.Message, null, null, null);
                case System.IO.IOException io when io.GetType().FullName == "System.Net.Http.HttpIOException" || io.InnerException is System.Net.Sockets.SocketException:
                    return new ErrorDescription("AwsConnectionFailed", FailureKind.ConnectionError, "Could not reach AWS: the connection broke (" + io.Message + ")", null, null, null);
                case HttpRequestException http:
                    return new ErrorDescription("AwsConnectionFailed", FailureKind.ConnectionError, "Could not reach AWS: " + http.Message, null, null, null);
                case AmazonClientException client:
                    var kind = client.InnerException is HttpRequestException || client.InnerException is WebException || client.InnerException is System.IO.IOException ? FailureKind.ConnectionError : FailureKind.InvalidOperation;
                    return new ErrorDescription(kind == FailureKind.ConnectionError ? "AwsConnectionFailed" : "AwsClientError", kind, client.Message, null, null, null);
                default:
                    return new ErrorDescription("UnexpectedError", FailureKind.InvalidOperation, exception.GetType().Name + ": " + exception.Message, null, null, null);
            }
        }

        private static FailureKind KindOfAwsError(string code, HttpStatusCode status)
        {
            switch (code)
            {
                case "AccessDenied":
                case "AccessDeniedException":
                case "UnauthorizedOperation":
                    return FailureKind.PermissionDenied;
                case "InvalidClientTokenId":
                case "InvalidAccessKeyId":
                case "SignatureDoesNotMatch":
                case "ExpiredToken":
                case "ExpiredTokenException":
                case "UnauthorizedException":
                    return FailureKind.AuthenticationError;
                case "NoSuchEntity":
                case "NoSuchBucket":
                case "NoSuchKey":
                case "NotFound":
                    return FailureKind.ObjectNotFound;
                case "EntityAlreadyExists":
                case "BucketAlreadyExists":
                case "BucketAlreadyOwnedByYou":
                    return FailureKind.ResourceExists;
                case "LimitExceeded":
                case "Throttling":
                case "ThrottlingException":
                case "SlowDown":
                    return FailureKind.LimitsExceeded;
                case "MalformedPolicyDocument":
                case "ValidationError":
                case "InvalidInput":
                case "InvalidParameterValue":
                    return FailureKind.InvalidArgument;
            }
            if (status == HttpStatusCode.Forbidden) return FailureKind.PermissionDenied;
            if (status == HttpStatusCode.NotFound) return FailureKind.ObjectNotFound;
            return FailureKind.InvalidOperation;
        }
    }
}
