using System;

namespace S3Credentials.Core.Models
{
    /// <summary>
    /// A presigned S3 URL (New-S3PresignedUrl): anyone holding it may send this one request until it expires, without
    /// credentials of their own. Treat the URL like a password until then.
    /// </summary>
    public sealed class S3PresignedUrl
    {
        /// <summary>The URL, signed with SigV4 in its query string (X-Amz-Signature; X-Amz-Security-Token for temporary credentials).</summary>
        public string Url { get; set; }
        public string BucketName { get; set; }
        public string Key { get; set; }
        /// <summary>GET (download) or PUT (upload): the only HTTP method the URL is valid for.</summary>
        public string Method { get; set; }
        /// <summary>When the URL stops working (UTC): its X-Amz-Date plus X-Amz-Expires.</summary>
        public DateTime Expires { get; set; }
        /// <summary>PUT: the Content-Type the upload must send; GET: the Content-Type S3 answers with. Null when not set.</summary>
        public string ContentType { get; set; }
    }
}
