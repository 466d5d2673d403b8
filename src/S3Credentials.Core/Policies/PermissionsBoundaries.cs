using System;
using System.Text.RegularExpressions;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Models;

namespace S3Credentials.Core.Policies
{
    /// <summary>
    /// The permissions boundary set on users the module creates, as s3-credentials chooses it: read-only access gets
    /// AmazonS3ReadOnlyAccess, read-write and write-only get AmazonS3FullAccess, a custom -Policy or -Statement
    /// gets none (it may grant more than S3), and "none" asks for none. ARNs use the caller's partition.
    /// </summary>
    public static class PermissionsBoundaries
    {
        /// <summary>The value that asks for no boundary (case-insensitive).</summary>
        public const string None = "none";

        /// <summary>The default boundary ARN, or null for none (custom policies).</summary>
        public static string DefaultFor(AccessLevel access, bool customPolicy, AwsPartition partition)
        {
            if (partition == null) throw new ArgumentNullException(nameof(partition));
            if (customPolicy)
                return null;
            return AwsManagedPolicyArn(access == AccessLevel.ReadOnly ? "AmazonS3ReadOnlyAccess" : "AmazonS3FullAccess", partition);
        }

        /// <summary>
        /// The boundary to use: the default when nothing was requested, null for "none", otherwise the requested
        /// ARN, which must be a managed policy ARN of this partition (arn:&lt;partition&gt;:iam::&lt;aws|account&gt;:policy/...).
        /// </summary>
        /// <exception cref="S3CredentialsException">InvalidPermissionsBoundary naming <paramref name="parameterName"/>.</exception>
        public static string Resolve(string requested, AccessLevel access, bool customPolicy, AwsPartition partition, string parameterName = "PermissionsBoundary")
        {
            if (partition == null) throw new ArgumentNullException(nameof(partition));
            if (string.IsNullOrWhiteSpace(requested))
                return DefaultFor(access, customPolicy, partition);
            if (string.Equals(requested.Trim(), None, StringComparison.OrdinalIgnoreCase))
                return null;
            if (!IsManagedPolicyArn(requested, partition))
                throw S3CredentialsException.InvalidParameter("InvalidPermissionsBoundary", parameterName,
                    $"-{parameterName} '{requested}' is not a managed policy ARN of partition {partition.Name} "
                    + $"(arn:{partition.Name}:iam::aws:policy/NAME or arn:{partition.Name}:iam::ACCOUNT:policy/NAME), nor '{None}'.");
            return requested;
        }

        /// <summary>arn:&lt;partition&gt;:iam::aws:policy/&lt;name&gt;.</summary>
        public static string AwsManagedPolicyArn(string policyName, AwsPartition partition) => partition.Arn("iam", "", "aws", "policy/" + policyName);

        private static bool IsManagedPolicyArn(string arn, AwsPartition partition)
            => Regex.IsMatch(arn, "^arn:" + Regex.Escape(partition.Name) + @":iam::(aws|[0-9]{12}):policy/[A-Za-z0-9_+=,.@/-]+$", RegexOptions.CultureInvariant);
    }
}
