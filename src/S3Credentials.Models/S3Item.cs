using System;

namespace S3Credentials.Core.Models
{
    /// <summary>One object of a bucket (Get-S3Item): s3-credentials' list-bucket row, with its URL like list-bucket --urls.</summary>
    public sealed class S3Item
    {
        public string BucketName { get; set; }
        public string Key { get; set; }
        /// <summary>Size in bytes.</summary>
        public long Size { get; set; }
        /// <summary>When the object was last written (UTC).</summary>
        public DateTime? LastModified { get; set; }
        /// <summary>The ETag S3 gives, without quotes (the MD5 of a single-part upload; a multipart upload's ends in -N).</summary>
        public string ETag { get; set; }
        public string StorageClass { get; set; }
        /// <summary>The object's plain (unsigned) URL: https://BUCKET.s3.REGION.amazonaws.com/KEY, or ENDPOINT/BUCKET/KEY with -EndpointUrl.</summary>
        public string Url { get; set; }
    }

    /// <summary>One object downloaded (Save-S3Item) or uploaded (Write-S3Item).</summary>
    public sealed class S3ItemTransfer
    {
        /// <summary>Downloaded or Uploaded.</summary>
        public string Action { get; set; }
        public string BucketName { get; set; }
        public string Key { get; set; }
        /// <summary>The local file written or read; empty for content given as text or bytes.</summary>
        public string Path { get; set; }
        public long Size { get; set; }
        /// <summary>The Content-Type stored with an upload; S3's for a download.</summary>
        public string ContentType { get; set; }
        /// <summary>The ETag of the object, without quotes.</summary>
        public string ETag { get; set; }
        /// <summary>How many parts a multipart upload had; 1 for a single request.</summary>
        public int Parts { get; set; }
        public TimeSpan Duration { get; set; }
    }

    /// <summary>What Remove-S3Item deleted in one bucket: the count, and the keys.</summary>
    public sealed class S3ItemRemoval
    {
        public string BucketName { get; set; }
        public int DeletedCount { get; set; }
        /// <summary>Keys S3 refused to delete (each is also an error record naming the key).</summary>
        public int FailedCount { get; set; }
        public NameList Deleted { get; set; }
    }
}
