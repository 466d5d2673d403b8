using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Amazon.Runtime;
using S3Credentials.Core.Iam;

namespace S3Credentials.Core.Operations
{
    /// <summary>What a failed request says about the change it asked for.</summary>
    public static class FailureClassification
    {
        /// <summary>True when the request may or may not have been carried out, or was refused only for now.</summary>
        public static bool IsUncertain(Exception e)
        {
            switch (e)
            {
                case IamServiceException service:
                    return (int)service.StatusCode >= 500 || service.ErrorCode == "Throttling" || service.ErrorCode == "ThrottlingException" || service.ErrorCode == "RequestLimitExceeded";
                case AmazonServiceException other:
                    return (int)other.StatusCode >= 500;
                case HttpRequestException _:
                case System.IO.IOException _:
                case WebException _:
                case TaskCanceledException _:
                    return true;
                case AmazonClientException client:
                    return client.InnerException != null && IsUncertain(client.InnerException);
                default:
                    return false;
            }
        }
    }
}
