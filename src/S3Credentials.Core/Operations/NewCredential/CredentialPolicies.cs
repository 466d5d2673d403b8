using System.Collections.Generic;
using System.Linq;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;

namespace S3Credentials.Core.Operations.NewCredential
{
    /// <summary>The policies of a request as Get-S3CredentialPolicy shows them (no AWS call).</summary>
    public static class CredentialPolicies
    {
        public const string PublicBucketKind = "BucketPolicy";
        public const string PublicBucketAccess = "PublicRead";

        /// <summary>
        /// Get-S3CredentialPolicy -PublicBucket (s3-credentials' policy --public-bucket): for each bucket, the bucket policy that
        /// makes it readable by everyone, as New-S3Credential -Public attaches it: Sid AllowAllGetObject, Principal *,
        /// s3:GetObject on arn:PARTITION:s3:::BUCKET/*. It shapes no credentials, so every option that does is refused.
        /// </summary>
        public static IEnumerable<CredentialPolicy> DescribePublicBucket(NewCredentialRequest request, string region)
            => DescribePublicBucket(request, new SessionOptions { Region = region });

        /// <param name="regionOptions">Where the region (so the partition) comes from, by the precedence New-S3Credential uses (<see cref="SessionResolver.OfflineRegion"/>).</param>
        public static IEnumerable<CredentialPolicy> DescribePublicBucket(NewCredentialRequest request, SessionOptions regionOptions)
        {
            var partition = AwsPartition.ForRegion(SessionResolver.OfflineRegion(regionOptions));
            string conflicting = request.Access != null ? "Access" : request.Prefixes?.Count > 0 ? "Prefix" : request.Duration != null ? "Duration"
                : request.Method != null ? "Method" : request.Policy != null ? "Policy" : request.Statements?.Count > 0 ? "Statement" : null;
            if (conflicting != null)
                throw S3CredentialsException.InvalidParameter(conflicting + "WithPublicBucket", conflicting,
                    $"-{conflicting} shapes credentials; -PublicBucket shows the bucket policy that makes a bucket readable by everyone, which no credential option changes: give one or the other.");
            return CredentialPlan.CheckBuckets(request.BucketNames).Select(bucket =>
            {
                var document = S3AccessPolicies.PublicReadBucketPolicy(bucket, partition);
                return new CredentialPolicy
                {
                    PolicyName = S3AccessPolicies.PublicReadSid,
                    Kind = PublicBucketKind,
                    BucketName = new[] { bucket },
                    Access = PublicBucketAccess,
                    PolicyDocument = document.ToJson(),
                    Size = document.CompactLength,
                    SizeLimit = PolicySize.BucketPolicyLimit,
                };
            }).ToList();
        }

        /// <param name="warning">Told each of the plan's warnings (such as a -Policy naming none of the buckets) before any policy is returned.</param>
        public static IEnumerable<CredentialPolicy> Describe(NewCredentialRequest request, string region, System.Action<string> warning = null)
            => Describe(request, new SessionOptions { Region = region }, warning);

        /// <param name="regionOptions">Where the region (so the partition) comes from, by the precedence New-S3Credential uses (<see cref="SessionResolver.OfflineRegion"/>).</param>
        public static IEnumerable<CredentialPolicy> Describe(NewCredentialRequest request, SessionOptions regionOptions, System.Action<string> warning = null)
        {
            var partition = AwsPartition.ForRegion(SessionResolver.OfflineRegion(regionOptions));
            var plan = CredentialPlan.Create(request, partition);
            foreach (var text in plan.Warnings)
                warning?.Invoke(text);
            if (plan.IsTemporary)
            {
                yield return new CredentialPolicy
                {
                    PolicyName = "session",
                    Kind = "SessionPolicy",
                    BucketName = plan.BucketNames.ToArray(),
                    Access = plan.AccessName,
                    PolicyDocument = plan.SessionPolicy.ToJson(),
                    Size = plan.SessionPolicy.CompactLength,
                    SizeLimit = PolicySize.SessionPolicyLimit,
                };
                yield break;
            }
            foreach (var policy in plan.UserPolicies)
                yield return new CredentialPolicy
                {
                    PolicyName = policy.Name,
                    Kind = "InlineUserPolicy",
                    BucketName = new[] { policy.BucketName },
                    Access = plan.AccessName,
                    PolicyDocument = policy.Document.ToJson(),
                    Size = policy.Document.CompactLength,
                    SizeLimit = PolicySize.UserInlinePoliciesLimit,
                };
        }
    }
}
