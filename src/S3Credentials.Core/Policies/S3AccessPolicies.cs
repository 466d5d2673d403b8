using System;
using System.Collections.Generic;
using System.Linq;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Models;

namespace S3Credentials.Core.Policies
{
    /// <summary>
    /// The policies s3-credentials 0.17 writes, statement for statement, with the partition taken from
    /// <see cref="AwsPartition"/> instead of a hard-coded "aws", and several prefixes folded into the same
    /// statements instead of repeating them. Bucket names and prefixes are validated (<see cref="AwsNames"/>, <see cref="S3Names"/>)
    /// before any ARN is built, so "/foo/" can never produce "B//foo/*".
    /// </summary>
    public static class S3AccessPolicies
    {
        /// <summary>What read access grants on objects (s3-credentials issue #23).</summary>
        public static readonly IReadOnlyList<string> ObjectReadActions = Array.AsReadOnly(new[]
        {
            "s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectLegalHold", "s3:GetObjectRetention", "s3:GetObjectTagging",
        });

        /// <summary>What read-write access adds on objects (s3-credentials issue #24).</summary>
        public static readonly IReadOnlyList<string> ObjectReadWriteActions = Array.AsReadOnly(new[] { "s3:PutObject", "s3:DeleteObject" });

        /// <summary>All write-only access grants: uploads only, no multipart actions (s3-credentials issue #25).</summary>
        public static readonly IReadOnlyList<string> ObjectWriteOnlyActions = Array.AsReadOnly(new[] { "s3:PutObject" });

        /// <summary>
        /// The statements giving <paramref name="access"/> to one bucket, in s3-credentials' order.
        /// Without a prefix: read-write = (1) ListBucket + GetBucketLocation on the bucket, (2) the read actions on
        /// B/*, (3) PutObject + DeleteObject on B/*; read-only = (1) and (2); write-only = PutObject on B/*.
        /// With prefixes, (1) becomes GetBucketLocation on the bucket plus ListBucket on the bucket with
        /// Condition StringLike s3:prefix [every P*], and the object resources become [every B/P*].
        /// </summary>
        /// <param name="prefixes">Null or empty for the whole bucket. Each gets a '*' unless it ends in one; repeats are
        /// written once; a prefix of "*" means the whole bucket.</param>
        public static IReadOnlyList<PolicyStatement> BucketStatements(string bucket, AccessLevel access, IEnumerable<string> prefixes, AwsPartition partition)
        {
            AwsNames.ValidateBucketName(bucket);
            if (partition == null) throw new ArgumentNullException(nameof(partition));
            var patterns = PrefixPatterns(prefixes);
            var bucketArn = BucketArn(bucket, partition);
            var objectArns = patterns.Count == 0
                ? new[] { bucketArn + "/*" }
                : patterns.Select(pattern => bucketArn + "/" + pattern).ToArray();
            switch (access)
            {
                case AccessLevel.WriteOnly:
                    return new[] { PolicyStatement.Allow(ObjectWriteOnlyActions, objectArns) };
                case AccessLevel.ReadOnly:
                    return ListingStatements(bucketArn, patterns)
                        .Append(PolicyStatement.Allow(ObjectReadActions, objectArns)).ToList().AsReadOnly();
                case AccessLevel.ReadWrite:
                    return ListingStatements(bucketArn, patterns)
                        .Append(PolicyStatement.Allow(ObjectReadActions, objectArns))
                        .Append(PolicyStatement.Allow(ObjectReadWriteActions, objectArns)).ToList().AsReadOnly();
                default:
                    throw new ArgumentOutOfRangeException(nameof(access), access, "Unknown access level.");
            }
        }

        /// <summary>
        /// The inline policy for one bucket of a permanent-credentials user: that bucket's statements followed by
        /// the extra statements (s3-credentials writes one inline policy per bucket and appends --statement to each).
        /// </summary>
        public static PolicyDocument PermanentUserPolicy(string bucket, AccessLevel access, IEnumerable<string> prefixes,
            IEnumerable<IPolicyStatement> extraStatements, AwsPartition partition)
            => new PolicyDocument(BucketStatements(bucket, access, prefixes, partition).Concat(extraStatements ?? Enumerable.Empty<IPolicyStatement>()));

        /// <summary>
        /// The name of a bucket's inline user policy: <c>s3.&lt;read-write|read-only|write-only|custom&gt;.&lt;bucket&gt;</c>.
        /// IAM policy names are at most 128 characters of [\w+=,.@-]; a valid bucket name (63 at most) always fits.
        /// </summary>
        public static string InlinePolicyName(AccessLevel access, string bucket, bool customPolicy = false)
        {
            AwsNames.ValidateBucketName(bucket);
            return "s3." + AccessLevelWords.NameWord(access, customPolicy) + "." + bucket;
        }

        /// <summary>
        /// The session policy for temporary credentials: every bucket's statements in the order of the buckets,
        /// then the extra statements once.
        /// </summary>
        public static PolicyDocument SessionPolicy(IEnumerable<string> buckets, AccessLevel access, IEnumerable<string> prefixes,
            IEnumerable<IPolicyStatement> extraStatements, AwsPartition partition)
        {
            var bucketList = (buckets ?? throw new ArgumentNullException(nameof(buckets))).ToList();
            if (bucketList.Count == 0)
                throw new ArgumentException("A session policy needs at least one bucket.", nameof(buckets));
            var prefixList = prefixes?.ToList();
            var statements = bucketList.SelectMany(bucket => BucketStatements(bucket, access, prefixList, partition)).Cast<IPolicyStatement>();
            return new PolicyDocument(statements.Concat(extraStatements ?? Enumerable.Empty<IPolicyStatement>()));
        }

        /// <summary>
        /// The trust policy of the module's role: only <paramref name="principalArn"/> (the caller's user or role ARN,
        /// never the account root as s3-credentials uses) may call sts:AssumeRole.
        /// </summary>
        public static PolicyDocument RoleTrustPolicy(string principalArn)
            => new PolicyDocument(new[]
            {
                new PolicyStatement(PolicyEffect.Allow, new[] { "sts:AssumeRole" }, null, principal: PolicyPrincipal.Aws(principalArn)),
            });

        /// <summary>
        /// The permissions of the module's role: s3:* on arn:&lt;partition&gt;:s3:::* (every bucket and object) and
        /// nothing outside S3. It is only a ceiling: credentials from AssumeRole get the intersection of this and
        /// the session policy, which names the buckets, prefixes and actions. Replaces s3-credentials' attached
        /// AmazonS3FullAccess, which also grants s3-object-lambda:*.
        /// </summary>
        public static PolicyDocument RolePermissionsPolicy(AwsPartition partition)
        {
            if (partition == null) throw new ArgumentNullException(nameof(partition));
            return new PolicyDocument(new[]
            {
                new PolicyStatement(PolicyEffect.Allow, new[] { "s3:*" }, new[] { partition.Arn("s3", "", "", "*") }, sid: "S3OnlyNarrowedBySessionPolicy"),
            });
        }

        /// <summary>The name of the inline policy that revokes older sessions: the AWS console's own, so either replaces the other.</summary>
        public const string RevokeOlderSessionsPolicyName = "AWSRevokeOlderSessions";

        /// <summary>
        /// The policy the AWS console's "revoke active sessions" puts on a role: deny every action to temporary credentials
        /// issued before <paramref name="issuedBefore"/> (Condition DateLessThan aws:TokenIssueTime, ISO 8601 UTC to the
        /// second). Requests signed with long-term keys carry no aws:TokenIssueTime, so on a user it denies only the
        /// temporary credentials the user made (GetFederationToken, GetSessionToken), not the user's own keys.
        /// </summary>
        public static PolicyDocument RevokeOlderSessionsPolicy(DateTime issuedBefore)
            => new PolicyDocument(new[]
            {
                new PolicyStatement(PolicyEffect.Deny, new[] { "*" }, new[] { "*" }, sid: "RevokeOlderSessions",
                    condition: new PolicyCondition(new[] { new ConditionClause("DateLessThan", "aws:TokenIssueTime", new[] { IssueTimeText(issuedBefore) }) })),
            });

        /// <summary>A moment as the revocation policy writes it: UTC, ISO 8601, whole seconds.</summary>
        public static string IssueTimeText(DateTime moment)
            => moment.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The Sid of <see cref="PublicReadBucketPolicy"/>'s one statement.</summary>
        public const string PublicReadSid = "AllowAllGetObject";

        /// <summary>The bucket policy s3-credentials attaches for --public: Sid AllowAllGetObject, Principal "*", s3:GetObject on B/*.</summary>
        public static PolicyDocument PublicReadBucketPolicy(string bucket, AwsPartition partition)
        {
            AwsNames.ValidateBucketName(bucket);
            if (partition == null) throw new ArgumentNullException(nameof(partition));
            return new PolicyDocument(new[]
            {
                new PolicyStatement(PolicyEffect.Allow, new[] { "s3:GetObject" }, new[] { BucketArn(bucket, partition) + "/*" },
                    sid: PublicReadSid, principal: PolicyPrincipal.Everyone),
            });
        }

        /// <summary>arn:&lt;partition&gt;:s3:::&lt;bucket&gt;.</summary>
        public static string BucketArn(string bucket, AwsPartition partition) => partition.Arn("s3", "", "", bucket);

        /// <summary>The pattern a prefix matches: the prefix with '*' appended unless it already ends in '*' (s3-credentials).</summary>
        public static string PrefixPattern(string prefix) => prefix.EndsWith("*", StringComparison.Ordinal) ? prefix : prefix + "*";

        /// <summary>Validated, starred, distinct patterns in the order given; empty when the whole bucket is meant.</summary>
        private static IReadOnlyList<string> PrefixPatterns(IEnumerable<string> prefixes)
        {
            var given = (prefixes ?? Enumerable.Empty<string>()).ToList();
            foreach (var prefix in given)
                S3Names.ValidatePrefix(prefix);
            var patterns = new List<string>();
            foreach (var pattern in given.Select(PrefixPattern))
                if (!patterns.Contains(pattern, StringComparer.Ordinal))
                    patterns.Add(pattern);
            return patterns.Contains("*") ? new string[0] : patterns;
        }

        private static IEnumerable<PolicyStatement> ListingStatements(string bucketArn, IReadOnlyList<string> patterns)
        {
            if (patterns.Count == 0)
            {
                yield return PolicyStatement.Allow(new[] { "s3:ListBucket", "s3:GetBucketLocation" }, new[] { bucketArn });
                yield break;
            }
            yield return PolicyStatement.Allow(new[] { "s3:GetBucketLocation" }, new[] { bucketArn });
            yield return PolicyStatement.Allow(new[] { "s3:ListBucket" }, new[] { bucketArn }, PolicyCondition.StringLike("s3:prefix", patterns));
        }
    }
}
