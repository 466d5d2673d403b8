using System;
using System.Text.RegularExpressions;
using S3Credentials.Core.Aws;

namespace S3Credentials.Core.Policies
{
    /// <summary>
    /// A role named by ARN (New-S3Credential -RoleArn): arn:&lt;partition&gt;:iam::&lt;account&gt;:role/[path/]name.
    /// The partition must be the session's (the region's); the account is 12 digits on AWS. An S3-compatible store
    /// with STS of its own (-StsEndpointUrl) writes its own account part: Ceph RGW leaves it empty or puts the
    /// tenant there (arn:aws:iam:::role/NAME), so with a custom STS endpoint the account may be empty or a name.
    /// </summary>
    public static class RoleArns
    {
        private static readonly Regex Shape = new Regex(
            @"^arn:(?<partition>[a-z][a-z0-9-]*):iam::(?<account>[A-Za-z0-9_-]{0,64}):role/(?<path>(?:[\x21-\x2E\x30-\x7E]+/)*)(?<name>[^/]+)$",
            RegexOptions.CultureInvariant);

        /// <summary>The role's name (the ARN's last segment), once the ARN is checked.</summary>
        /// <param name="customStsEndpoint">STS goes to a store of the user's, whose ARNs may carry an empty or named account.</param>
        /// <exception cref="S3CredentialsException">RoleArnInvalid or RoleArnOtherPartition, naming <paramref name="parameterName"/>.</exception>
        public static string Validate(string arn, AwsPartition partition, bool customStsEndpoint, string parameterName = "RoleArn")
        {
            if (partition == null) throw new ArgumentNullException(nameof(partition));
            var match = Shape.Match(arn ?? "");
            var accountRule = customStsEndpoint ? "an account id (or, at a store's own STS, its tenant or nothing)" : "a 12-digit account id";
            if (!match.Success || (!customStsEndpoint && !AwsNames.IsAccountId(match.Groups["account"].Value)) || !AwsNames.IsRoleName(match.Groups["name"].Value))
                throw S3CredentialsException.InvalidParameter("RoleArnInvalid", parameterName,
                    $"-{parameterName} '{arn}' is not a role ARN: arn:{partition.Name}:iam::ACCOUNT:role/NAME (or role/PATH/NAME), with {accountRule} and a NAME of 1 to {AwsNames.MaxRoleNameLength} {AwsNames.IamNameCharacters}.");
            if (match.Groups["partition"].Value != partition.Name)
                throw S3CredentialsException.InvalidParameter("RoleArnOtherPartition", parameterName,
                    $"-{parameterName} '{arn}' is in partition {match.Groups["partition"].Value}, but the region is in {partition.Name}: STS of one partition cannot assume another's roles. Give a role of {partition.Name}, or the -Region of the role's partition.");
            return match.Groups["name"].Value;
        }
    }
}
