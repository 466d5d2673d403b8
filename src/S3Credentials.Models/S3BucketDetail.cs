using System;

namespace S3Credentials.Core.Models
{
    /// <summary>
    /// One bucket and its access-related settings (Get-S3BucketDetail): what s3-credentials' list-buckets --details
    /// and debug-bucket show. Every property is a plain value, so the object exports to CSV and JSON as it is;
    /// GrantList repeats Grants joined by "; " (Grants itself reads as the grants joined by ", " in a CSV cell).
    /// </summary>
    public sealed class S3BucketDetail
    {
        public string Name { get; set; }
        /// <summary>When the bucket was created, as ListBuckets reports it (UTC).</summary>
        public DateTime? CreationDate { get; set; }
        /// <summary>The bucket's region from GetBucketLocation: us-east-1 for an empty location, eu-west-1 for the legacy "EU".</summary>
        public string Region { get; set; }
        /// <summary>The ACL owner's canonical user id.</summary>
        public string OwnerId { get; set; }
        public string OwnerDisplayName { get; set; }
        /// <summary>The ACL grants as TYPE:GRANTEE:PERMISSION, such as CanonicalUser:79a5...:FULL_CONTROL or Group:http://acs.amazonaws.com/groups/global/AllUsers:READ.</summary>
        public NameList Grants { get; set; } = NameList.Empty;
        /// <summary>Grants joined by "; ", one column for Export-Csv.</summary>
        public string GrantList { get; set; }
        /// <summary>True when the bucket has a public access block configuration of its own (account-level blocks are not read).</summary>
        public bool HasPublicAccessBlock { get; set; }
        /// <summary>The four settings of the bucket's public access block; null when it has none.</summary>
        public bool? BlockPublicAcls { get; set; }
        public bool? IgnorePublicAcls { get; set; }
        public bool? BlockPublicPolicy { get; set; }
        public bool? RestrictPublicBuckets { get; set; }
        /// <summary>True when the bucket has a website configuration.</summary>
        public bool HasWebsite { get; set; }
        /// <summary>The website's index document suffix (index.html); null without a website.</summary>
        public string WebsiteIndexDocument { get; set; }
        /// <summary>The website's error document key (error.html); null without a website or error document.</summary>
        public string WebsiteErrorDocument { get; set; }
        /// <summary>The website endpoint (http://BUCKET.s3-website-REGION.amazonaws.com or s3-website.REGION); null without a website.</summary>
        public string WebsiteUrl { get; set; }
        /// <summary>How many CORS rules the bucket has; 0 without a CORS configuration.</summary>
        public int CorsRuleCount { get; set; }
        /// <summary>The CORS rules as JSON ({"CORSRules":[...]}, the AWS CLI's shape); null when the bucket has none.</summary>
        public string CorsRules { get; set; }
        /// <summary>True when the bucket has a bucket policy.</summary>
        public bool HasBucketPolicy { get; set; }
        /// <summary>The bucket policy as JSON, exactly as S3 returns it; null when the bucket has none.</summary>
        public string BucketPolicy { get; set; }
        /// <summary>S3's own verdict on the bucket policy (GetBucketPolicyStatus); null when there is no policy or the store does not say.</summary>
        public bool? IsPublic { get; set; }
    }
}
