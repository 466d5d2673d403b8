using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core.Credentials;

namespace S3Credentials.Core.Operations
{
    public enum KeyState
    {
        /// <summary>S3 knows the key (it answered, or refused for lack of permission).</summary>
        Recognised,
        /// <summary>S3 answered InvalidAccessKeyId: the key has not propagated yet.</summary>
        NotYetValid,
    }

    /// <summary>Asks S3 whether it knows a key yet, with one cheap listing the key may or may not be allowed.</summary>
    public static class KeyReadiness
    {
        public static async Task<KeyState> ProbeAsync(IAmazonS3 s3, string bucketName, string prefix, CancellationToken cancellationToken)
        {
            try
            {
                await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucketName, Prefix = prefix, MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
                return KeyState.Recognised;
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "InvalidAccessKeyId")
            {
                return KeyState.NotYetValid;
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "AccessDenied" || e.StatusCode == System.Net.HttpStatusCode.Forbidden)
            {
                return KeyState.Recognised;
            }
        }

        /// <summary>Probes until S3 recognises the key or the time is up; true when recognised.</summary>
        public static async Task<bool> WaitUntilRecognisedAsync(AwsSession session, AWSCredentials key, string bucketName, string prefix,
            PropagationTiming timing, IOperationHost host, CancellationToken cancellationToken)
        {
            using (var s3 = session.CreateS3Client(key))
            {
                return await timing.RetryAsync(async attempt =>
                {
                    var state = await ProbeAsync(s3, bucketName, prefix, cancellationToken).ConfigureAwait(false);
                    if (state == KeyState.NotYetValid)
                        host.Verbose($"S3 does not recognise the new key yet (attempt {attempt}); waiting.");
                    return state == KeyState.Recognised;
                }, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
