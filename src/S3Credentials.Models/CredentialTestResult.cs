namespace S3Credentials.Core.Models
{
    /// <summary>What credentials may do on a bucket (and prefix), one action at a time (Test-S3Credential).</summary>
    public sealed class CredentialTestResult
    {
        public string BucketName { get; set; }
        public string Prefix { get; set; }
        /// <summary>List, Read, Write or Delete.</summary>
        public string Action { get; set; }
        /// <summary>Allowed, Denied or KeyNotYetValid.</summary>
        public string Result { get; set; }
        /// <summary>The access key id tested (never the secret).</summary>
        public string AccessKeyId { get; set; }
        /// <summary>AWS's error code when it refused.</summary>
        public string ErrorCode { get; set; }
        /// <summary>The object key the action used.</summary>
        public string Key { get; set; }
    }
}
