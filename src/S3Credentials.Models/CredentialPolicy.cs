namespace S3Credentials.Core.Models
{
    /// <summary>A policy New-S3Credential would write (Get-S3CredentialPolicy), or with -PublicBucket a bucket's public-read policy.</summary>
    public sealed class CredentialPolicy
    {
        /// <summary>Inline user policy name (permanent credentials), "session" (temporary credentials), or the statement id AllowAllGetObject (-PublicBucket).</summary>
        public string PolicyName { get; set; }
        /// <summary>InlineUserPolicy, SessionPolicy or BucketPolicy.</summary>
        public string Kind { get; set; }
        public NameList BucketName { get; set; } = NameList.Empty;
        /// <summary>ReadWrite, ReadOnly, WriteOnly, Custom, or PublicRead (-PublicBucket).</summary>
        public string Access { get; set; }
        /// <summary>The policy as compact JSON, exactly as it would be sent.</summary>
        public string PolicyDocument { get; set; }
        /// <summary>Characters IAM/STS count against their limit (whitespace outside strings excluded).</summary>
        public int Size { get; set; }
        /// <summary>The limit that applies: 2,048 for a user's inline policies together, 2,048 for a session policy, 20,480 for a bucket policy.</summary>
        public int SizeLimit { get; set; }
    }
}
