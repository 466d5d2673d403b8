using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using S3Credentials.Core.Credentials;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// Waits until S3 knows a new key, with Test-S3Credential's List probe: InvalidAccessKeyId means not yet;
    /// AccessDenied or success means the key is live.
    /// </summary>
    public static class KeyReadiness
    {
        /// <summary>Probes until S3 recognises the key or the time is up; true when recognised, false when not, null when S3 could not say.</summary>
        public static async Task<bool?> WaitUntilRecognisedAsync(AwsSession session, AWSCredentials key, string bucketName, string prefix,
            PropagationTiming timing, IOperationHost host, CancellationToken cancellationToken)
        {
            using (var s3 = session.CreateS3Client(key))
            {
                bool? answer = true;
                var ended = await timing.RetryAsync(async attempt =>
                {
                    ProbeOutcome outcome;
                    try
                    {
                        outcome = await S3AccessProbe.ListAsync(s3, bucketName, prefix, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Amazon.S3.AmazonS3Exception e) when (e.ErrorCode == "SignatureDoesNotMatch")
                    {
                        // Seen briefly while a new key propagates: not yet.
                        outcome = new ProbeOutcome(ProbeOutcome.KeyNotYetValid, e.ErrorCode);
                    }
                    catch (Amazon.S3.AmazonS3Exception e)
                    {
                        // Any other answer: S3 cannot say, but the key itself is fine, so keep it.
                        host.Warning($"Could not confirm that S3 recognises the new key ({ErrorDescription.Describe(e).Message}); returning it anyway.");
                        answer = null;
                        return true;
                    }
                    if (outcome.Result == ProbeOutcome.KeyNotYetValid)
                        host.Verbose($"S3 does not recognise the new key yet (attempt {attempt}); waiting.");
                    return outcome.Result != ProbeOutcome.KeyNotYetValid;
                }, cancellationToken).ConfigureAwait(false);
                return ended ? answer : false;
            }
        }
    }
}
