using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// Test-S3Credential: what the session's credentials may really do on a bucket and prefix. List and Read
    /// change nothing; Write puts a probe object under the prefix and Delete removes that same object again,
    /// only when asked (<c>includeWrite</c>).
    /// </summary>
    public static class CredentialTestOperation
    {
        public const string ProbeKeyName = "s3credentials-probe-";

        /// <summary>The part of a prefix before any wildcard or policy variable (*, ?, ${...}): where probe keys can really go.</summary>
        public static string LiteralPart(string prefix)
        {
            if (string.IsNullOrEmpty(prefix)) return "";
            var end = prefix.IndexOfAny(new[] { '*', '?' });
            var variable = prefix.IndexOf("${", StringComparison.Ordinal);
            if (variable >= 0 && (end < 0 || variable < end)) end = variable;
            return end < 0 ? prefix : prefix.Substring(0, end);
        }

        public static async Task<IReadOnlyList<CredentialTestResult>> RunAsync(AwsSession session, string bucket, string prefix, bool includeWrite,
            IOperationHost host, CancellationToken cancellationToken)
        {
            AwsNames.ValidateBucketName(bucket);
            if (!string.IsNullOrEmpty(prefix))
                S3Names.ValidatePrefix(prefix);
            var accessKeyId = (await session.Credentials.GetCredentialsAsync().ConfigureAwait(false)).AccessKey;
            var results = new List<CredentialTestResult>();
            CredentialTestResult Add(string action, ProbeOutcome outcome, string key = null)
            {
                var result = new CredentialTestResult
                {
                    BucketName = bucket, Prefix = prefix, Action = action, Result = outcome.Result,
                    AccessKeyId = accessKeyId, ErrorCode = outcome.ErrorCode, Key = key,
                };
                results.Add(result);
                return result;
            }

            using (var s3 = session.CreateS3Client())
            {
                var literalPrefix = LiteralPart(prefix);
                var list = await S3AccessProbe.ListAsync(s3, bucket, string.IsNullOrEmpty(literalPrefix) ? null : literalPrefix, cancellationToken).ConfigureAwait(false);
                Add("List", list);
                var readKey = list.FirstKey ?? literalPrefix + ProbeKeyName + "read";
                Add("Read", await S3AccessProbe.ReadAsync(s3, bucket, readKey, cancellationToken).ConfigureAwait(false), readKey);
                if (!includeWrite)
                    return results;

                var probeKey = literalPrefix + ProbeKeyName + Guid.NewGuid().ToString("N") + ".txt";
                if (!host.ShouldProcess($"s3://{bucket}/{probeKey}", "Write a probe object, then delete it again"))
                    return results;
                var write = Add("Write", await S3AccessProbe.WriteAsync(s3, bucket, probeKey, cancellationToken).ConfigureAwait(false), probeKey);
                ProbeOutcome deleted;
                try
                {
                    deleted = await S3AccessProbe.DeleteAsync(s3, bucket, probeKey, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (write.Result == ProbeOutcome.Allowed)
                {
                    host.Warning($"The probe object s3://{bucket}/{probeKey} was written but could not be deleted: remove it with other credentials.");
                    throw;
                }
                var delete = Add("Delete", deleted, probeKey);
                if (write.Result == ProbeOutcome.Allowed && delete.Result != ProbeOutcome.Allowed)
                    host.Warning($"The probe object s3://{bucket}/{probeKey} was written but these credentials may not delete it: remove it with other credentials.");
                return results;
            }
        }
    }
}
