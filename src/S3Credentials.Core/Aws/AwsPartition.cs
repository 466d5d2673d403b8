using System;

namespace S3Credentials.Core.Aws
{
    /// <summary>
    /// An AWS partition: the ARN prefix every ARN the module writes uses, and where its global IAM endpoint lives.
    /// The partition follows the region (cn-* is aws-cn, us-gov-* is aws-us-gov, everything else aws).
    /// </summary>
    public sealed class AwsPartition
    {
        public static readonly AwsPartition Aws = new AwsPartition("aws", "amazonaws.com", "https://iam.amazonaws.com", "us-east-1", "https://signin.aws.amazon.com/federation", "https://console.aws.amazon.com/");
        public static readonly AwsPartition China = new AwsPartition("aws-cn", "amazonaws.com.cn", "https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1", "https://signin.amazonaws.cn/federation", "https://console.amazonaws.cn/");
        public static readonly AwsPartition GovCloud = new AwsPartition("aws-us-gov", "amazonaws.com", "https://iam.us-gov.amazonaws.com", "us-gov-west-1", "https://signin.amazonaws-us-gov.com/federation", "https://console.amazonaws-us-gov.com/");

        private AwsPartition(string name, string dnsSuffix, string iamEndpoint, string iamSigningRegion, string federationEndpoint, string consoleUrl)
        {
            Name = name;
            DnsSuffix = dnsSuffix;
            IamEndpoint = iamEndpoint;
            IamSigningRegion = iamSigningRegion;
            FederationEndpoint = federationEndpoint;
            ConsoleUrl = consoleUrl;
        }

        /// <summary>The partition name used in ARNs: aws, aws-cn or aws-us-gov.</summary>
        public string Name { get; }
        public string DnsSuffix { get; }
        /// <summary>The global IAM endpoint of the partition.</summary>
        public string IamEndpoint { get; }
        /// <summary>The region IAM requests are signed for in this partition.</summary>
        public string IamSigningRegion { get; }
        /// <summary>The console federation (sign-in) endpoint of the partition.</summary>
        public string FederationEndpoint { get; }
        /// <summary>The home page of the partition's AWS Management Console: where a console sign-in lands by default.</summary>
        public string ConsoleUrl { get; }

        public static AwsPartition ForRegion(string region)
        {
            if (string.IsNullOrEmpty(region)) return Aws;
            if (region.StartsWith("cn-", StringComparison.OrdinalIgnoreCase)) return China;
            if (region.StartsWith("us-gov-", StringComparison.OrdinalIgnoreCase)) return GovCloud;
            return Aws;
        }

        /// <summary>An ARN in this partition, for example Arn("iam", "", "123456789012", "user/alice").</summary>
        public string Arn(string service, string region, string account, string resource)
            => "arn:" + Name + ":" + service + ":" + (region ?? "") + ":" + (account ?? "") + ":" + resource;

        public override string ToString() => Name;
    }
}
