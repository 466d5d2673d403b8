using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core.Policies;

namespace S3Credentials.Core.Operations.NewCredential
{
    internal enum BucketState { Exists, Missing, Forbidden }

    /// <summary>
    /// Checks every bucket at once (HeadBucket: 404 is missing, 403 exists but is not yours, a redirect exists in
    /// another region) and creates the missing ones when -CreateBucket was given, public or a website only if asked.
    /// </summary>
    internal static class BucketPreparation
    {
        /// <summary>False when a bucket that is needed was not created (-WhatIf, or declined).</summary>
        /// <param name="accessKeyId">The caller's access key id, named when S3 refuses the credentials themselves.</param>
        public static async Task<bool> PrepareAsync(IAmazonS3 s3, CredentialPlan plan, string region, string accessKeyId, IOperationHost host, StepRunner runner, CancellationToken cancellationToken)
        {
            var states = await Task.WhenAll(plan.BucketNames.Select(b => ProbeAsync(s3, b, cancellationToken))).ConfigureAwait(false);
            var byName = plan.BucketNames.Zip(states, (name, state) => (name, state)).ToList();

            var forbidden = byName.Where(b => b.state == BucketState.Forbidden).Select(b => b.name).ToList();
            if (forbidden.Count > 0)
            {
                // HEAD answers carry no error code: a wrong secret key looks like a bucket of another account.
                await ThrowIfCredentialsRefusedAsync(s3, forbidden[0], accessKeyId, cancellationToken).ConfigureAwait(false);
                throw new S3CredentialsException("BucketAccessDenied", FailureKind.PermissionDenied,
                    $"Bucket {Quote(forbidden)} exists but is not accessible with these credentials (HeadBucket answered 403): it may belong to another account, or you lack s3:ListBucket on it.", "BucketName");
            }
            var missing = byName.Where(b => b.state == BucketState.Missing).Select(b => b.name).ToList();
            var existing = byName.Where(b => b.state == BucketState.Exists).Select(b => b.name).ToList();
            if (missing.Count > 0 && !plan.CreateBucket)
                throw new S3CredentialsException("BucketNotFound", FailureKind.ObjectNotFound,
                    $"Bucket {Quote(missing)} does not exist. Create it first, or give -CreateBucket.", "BucketName");
            if ((plan.Public || plan.Website) && existing.Count > 0)
                throw new S3CredentialsException("ExistingBucketNotChanged", FailureKind.InvalidOperation,
                    $"Bucket {Quote(existing)} already exists: {(plan.Public ? "-Public" : "-Website")} only applies to buckets this command creates, and existing buckets are never changed.",
                    plan.Public ? "Public" : "Website");

            foreach (var name in existing)
                host.Verbose($"Bucket '{name}' exists.");
            var allCreated = true;
            var bucketRegion = plan.BucketRegion ?? region;
            foreach (var name in missing)
            {
                var outcome = await runner.RunAsync(CreateStep(s3, plan, name, bucketRegion, host), cancellationToken).ConfigureAwait(false);
                if (outcome == StepOutcome.Declined || outcome == StepOutcome.Shown)
                {
                    allCreated = false;
                    continue;
                }
                await ConfigureAsync(s3, plan, name, host, cancellationToken).ConfigureAwait(false);
            }
            return allCreated;
        }

        private static async Task<BucketState> ProbeAsync(IAmazonS3 s3, string bucketName, CancellationToken cancellationToken)
        {
            try
            {
                await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucketName }, cancellationToken).ConfigureAwait(false);
                return BucketState.Exists;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return BucketState.Missing;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
            {
                return BucketState.Forbidden;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.MovedPermanently || e.StatusCode == (HttpStatusCode)307)
            {
                return BucketState.Exists; // in another region
            }
        }

        /// <summary>
        /// After a 403 HeadBucket: asks S3 once more with a request whose error answer has a body (ListObjectsV2 of no
        /// keys, on the same endpoint with the same signer, so it also holds for S3-compatible stores without STS), and
        /// throws CredentialsRefused when the code says the credentials themselves were refused. Anything else (AccessDenied,
        /// success, no answer) leaves the 403 to mean what it says.
        /// </summary>
        private static async Task ThrowIfCredentialsRefusedAsync(IAmazonS3 s3, string bucketName, string accessKeyId, CancellationToken cancellationToken)
        {
            string code;
            try
            {
                await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucketName, MaxKeys = 0 }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (AmazonS3Exception e)
            {
                code = e.ErrorCode;
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                return;
            }
            var why = CredentialsRefusedReason(code, accessKeyId);
            if (why != null)
                throw new S3CredentialsException("CredentialsRefused", FailureKind.AuthenticationError,
                    $"S3 refused the credentials: {why} ({code}). HeadBucket on '{bucketName}' answered 403 for that reason, not because of the bucket.");
        }

        /// <summary>What an S3 error code says about refused credentials, or null when it is not about the credentials.</summary>
        internal static string CredentialsRefusedReason(string code, string accessKeyId)
        {
            var key = string.IsNullOrEmpty(accessKeyId) ? "the access key" : "access key " + accessKeyId;
            switch (code)
            {
                case "SignatureDoesNotMatch": return $"the secret key is not the one of {key}; check the secret key";
                case "InvalidAccessKeyId": return $"{key} does not exist at this endpoint; check the access key id and the endpoint";
                case "InvalidToken": return $"the session token of {key} is not valid; check the session token";
                case "ExpiredToken":
                case "TokenRefreshRequired": return $"the session token of {key} has expired; get new temporary credentials";
                default: return null;
            }
        }

        /// <summary>
        /// PutBucket. The bucket was not there just before (HeadBucket said so), so one there after a stopped or unanswered
        /// request is this call's: its undo deletes it, and a bucket never made counts as undone.
        /// </summary>
        private static OperationStep CreateStep(IAmazonS3 s3, CredentialPlan plan, string name, string region, IOperationHost host)
            => new OperationStep(name, "Create S3 bucket in " + region + (plan.Public ? ", readable by everyone" : "") + (plan.Website ? ", as a website" : ""))
            {
                Do = async ct =>
                {
                    var request = new PutBucketRequest { BucketName = name };
                    if (region != "us-east-1")
                        request.PutBucketConfiguration = new PutBucketConfiguration { LocationConstraint = new BucketLocationConstraint(region) };
                    try
                    {
                        await s3.PutBucketAsync(request, ct).ConfigureAwait(false);
                    }
                    catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyOwnedByYou")
                    {
                        // Missing just before (HeadBucket) and ours now: an earlier attempt, whose answer was lost, made it.
                    }
                    host.Verbose($"Created bucket '{name}' in {region}.");
                    return true;
                },
                Undo = async ct =>
                {
                    try { await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = name }, ct).ConfigureAwait(false); }
                    catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { }
                },
                UndoDescription = $"bucket '{name}'",
            };

        /// <summary>What -Public and -Website ask of a bucket just made (its deletion undoes these too).</summary>
        private static async Task ConfigureAsync(IAmazonS3 s3, CredentialPlan plan, string name, IOperationHost host, CancellationToken cancellationToken)
        {
            if (plan.Public)
            {
                await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
                {
                    BucketName = name,
                    PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration
                    {
                        BlockPublicAcls = false, IgnorePublicAcls = false, BlockPublicPolicy = false, RestrictPublicBuckets = false,
                    },
                }, cancellationToken).ConfigureAwait(false);
                await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest
                {
                    BucketName = name,
                    Policy = S3AccessPolicies.PublicReadBucketPolicy(name, plan.Partition).ToJson(),
                }, cancellationToken).ConfigureAwait(false);
                host.Verbose($"Bucket '{name}' is now readable by everyone.");
            }
            if (plan.Website)
            {
                await s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest
                {
                    BucketName = name,
                    WebsiteConfiguration = new WebsiteConfiguration { IndexDocumentSuffix = "index.html", ErrorDocument = "error.html" },
                }, cancellationToken).ConfigureAwait(false);
                host.Verbose($"Bucket '{name}' serves a website (index.html, error.html).");
            }
        }

        private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => "'" + n + "'"));
    }
}
