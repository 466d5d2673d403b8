using System;
using System.Collections.Generic;
using System.Linq;
using Amazon;

namespace S3Credentials.Core.Aws
{
    /// <summary>
    /// The regions this module sends AWS requests to: those the AWS SDK it ships knows in the three partitions it writes
    /// ARNs for (aws, aws-cn, aws-us-gov). A name merely shaped like a region (us-nowhere-9) is not one of them, and
    /// neither are the isolated partitions (us-iso-*, eusc-*), whose ARNs this module cannot write, nor S3's
    /// us-east-1-regional pseudo-region. An S3-compatible store's own region names are allowed with a custom S3
    /// endpoint only (see <see cref="Credentials.SessionResolver"/>).
    /// </summary>
    public static class AwsRegions
    {
        private static readonly Lazy<HashSet<string>> Known = new Lazy<HashSet<string>>(() => new HashSet<string>(
            RegionEndpoint.EnumerableAllRegions
                .Where(r => r.PartitionName == AwsPartition.ForRegion(r.SystemName).Name && !r.SystemName.EndsWith("-regional", StringComparison.Ordinal))
                .Select(r => r.SystemName),
            StringComparer.Ordinal));

        /// <summary>True for a region of aws, aws-cn or aws-us-gov that the shipped AWS SDK knows, such as us-east-1 or cn-north-1.</summary>
        public static bool IsKnown(string region) => region != null && Known.Value.Contains(region);

        /// <summary>The error for a region-shaped name that is not <see cref="IsKnown"/>, naming where it came from and the way out for other stores.</summary>
        internal static S3CredentialsException Unknown(string errorId, string parameterName, string displayName, string region)
            => S3CredentialsException.InvalidParameter(errorId, parameterName,
                $"{displayName} '{region}' is not an AWS region (of aws, aws-cn or aws-us-gov) that this module's AWS SDK knows, such as us-east-1, eu-west-2 or cn-north-1. " +
                "An S3-compatible store's own region name is accepted together with -EndpointUrl.");

        /// <summary>Every known region, sorted.</summary>
        public static IReadOnlyList<string> All => Known.Value.OrderBy(r => r, StringComparer.Ordinal).ToList();
    }
}
