namespace S3Credentials.Core.Models
{
    /// <summary>What the credentials may do in the bucket (s3-credentials' default, --read-only, --write-only).</summary>
    public enum AccessLevel
    {
        ReadWrite,
        ReadOnly,
        WriteOnly,
    }
}
