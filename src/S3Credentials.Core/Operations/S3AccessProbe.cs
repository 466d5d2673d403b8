using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;

namespace S3Credentials.Core.Operations
{
    /// <summary>What one probe found: Allowed, Denied or KeyNotYetValid, with AWS's error code when it refused.</summary>
    public sealed class ProbeOutcome
    {
        public const string Allowed = "Allowed";
        public const string Denied = "Denied";
        public const string KeyNotYetValid = "KeyNotYetValid";

        public ProbeOutcome(string result, string errorCode = null, string detail = null, string firstKey = null)
        {
            Result = result;
            ErrorCode = errorCode;
            Detail = detail;
            FirstKey = firstKey;
        }

        /// <summary>For a listing that was allowed: the first key under the prefix, if any.</summary>
        public string FirstKey { get; }

        public string Result { get; }
        public string ErrorCode { get; }
        public string Detail { get; }
    }

    /// <summary>
    /// Small S3 calls that show what credentials may do on a bucket and prefix. Each maps AWS's answer:
    /// success (or "no such key" after passing the permission check) is Allowed, AccessDenied is Denied,
    /// InvalidAccessKeyId is KeyNotYetValid (a new key S3 has not learnt yet). Other errors are raised.
    /// </summary>
    public static class S3AccessProbe
    {
        public static async Task<ProbeOutcome> ListAsync(IAmazonS3 s3, string bucket, string prefix, CancellationToken cancellationToken)
        {
            string firstKey = null;
            var outcome = await RunAsync(async () =>
            {
                var response = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
                firstKey = response.S3Objects?.FirstOrDefault()?.Key;
            }).ConfigureAwait(false);
            return firstKey == null ? outcome : new ProbeOutcome(outcome.Result, firstKey: firstKey);
        }

        /// <summary>Reads <paramref name="key"/>; a missing key still proves the read permission (S3 checks it first when listing is allowed).</summary>
        public static Task<ProbeOutcome> ReadAsync(IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken)
            => RunAsync(async () =>
            {
                try
                {
                    using (await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange(0, 0) }, cancellationToken).ConfigureAwait(false)) { }
                }
                catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound || e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                {
                    // The permission check passed; the object is simply not there (or empty).
                }
            });

        public static Task<ProbeOutcome> WriteAsync(IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken)
            => RunAsync(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "S3Credentials probe: safe to delete." }, cancellationToken));

        public static Task<ProbeOutcome> DeleteAsync(IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken)
            => RunAsync(() => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken));

        private static async Task<ProbeOutcome> RunAsync(Func<Task> call)
        {
            try
            {
                await call().ConfigureAwait(false);
                return new ProbeOutcome(ProbeOutcome.Allowed);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "InvalidAccessKeyId")
            {
                return new ProbeOutcome(ProbeOutcome.KeyNotYetValid, e.ErrorCode, e.Message);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "AccessDenied" || (e.StatusCode == HttpStatusCode.Forbidden && string.IsNullOrEmpty(e.ErrorCode)))
            {
                return new ProbeOutcome(ProbeOutcome.Denied, string.IsNullOrEmpty(e.ErrorCode) ? "403" : e.ErrorCode, e.Message);
            }
        }
    }
}
