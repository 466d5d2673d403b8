namespace S3Credentials.Core.Models
{
    /// <summary>The HTTP method a presigned URL is made for.</summary>
    public enum PresignedUrlMethod
    {
        /// <summary>Download the object (S3 GetObject).</summary>
        Get,
        /// <summary>Upload the object (S3 PutObject).</summary>
        Put,
    }
}
