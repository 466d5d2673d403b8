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
                var probeUrl = $"s3://{bucket}/{probeKey}";
                // The write is a step of the runner (-WhatIf and -Confirm ask it as every change is asked), and its undo deletes
                // the probe object: a failure or a stop after the write never leaves it behind unnamed. The delete that
                // follows is the normal path, and the Delete probe at once.
                CredentialTestResult write = null;
                var deletedByProbe = false;
                var runner = new StepRunner(host);
                var writeStep = new OperationStep(probeUrl, "Write a probe object, then delete it again")
                {
                    Do = async ct =>
                    {
                        write = Add("Write", await S3AccessProbe.WriteAsync(s3, bucket, probeKey, ct).ConfigureAwait(false), probeKey);
                        return write.Result == ProbeOutcome.Allowed;
                    },
                    // DeleteObject of a key that is not there succeeds: right also when the write never landed.
                    Undo = async ct =>
                    {
                        if (!deletedByProbe)
                            await s3.DeleteObjectAsync(new Amazon.S3.Model.DeleteObjectRequest { BucketName = bucket, Key = probeKey }, ct).ConfigureAwait(false);
                    },
                    UndoDescription = $"the probe object {probeUrl}",
                };
                try
                {
                    if (await runner.RunAsync(writeStep, cancellationToken).ConfigureAwait(false) == StepOutcome.Declined || runner.IsWhatIf)
                        return results;
                    var delete = Add("Delete", await S3AccessProbe.DeleteAsync(s3, bucket, probeKey, cancellationToken).ConfigureAwait(false), probeKey);
                    deletedByProbe = delete.Result == ProbeOutcome.Allowed;
                    if (write?.Result == ProbeOutcome.Allowed && !deletedByProbe)
                        host.Warning($"The probe object {probeUrl} was written but these credentials may not delete it: remove it with other credentials.");
                }
                catch (Exception e)
                {
                    throw await runner.RollBackAfterAsync(e, cancellationToken).ConfigureAwait(false);
                }
                return results;
            }
        }
    }
}
