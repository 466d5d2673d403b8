using System;

namespace S3Credentials.Core.Models
{
    /// <summary>
    /// Credentials made by New-S3Credential. Property names match AWS's (AccessKeyId, SecretAccessKey,
    /// SessionToken, Expiration), so ConvertTo-Json of this object is a valid -AuthFile and -Credential.
    /// The secret is shown only once: IAM never returns it again.
    /// </summary>
    public sealed class S3Credential
    {
        public string AccessKeyId { get; set; }
        public string SecretAccessKey { get; set; }
        /// <summary>Only for temporary credentials.</summary>
        public string SessionToken { get; set; }
        /// <summary>When temporary credentials stop working (UTC); null for permanent ones.</summary>
        public DateTime? Expiration { get; set; }
        /// <summary>Permanent or Temporary.</summary>
        public string Kind { get; set; }
        /// <summary>AssumeRole, FederationToken, or AccessKey for permanent credentials.</summary>
        public string Method { get; set; }
        /// <summary>The IAM user that owns permanent credentials.</summary>
        public string UserName { get; set; }
        /// <summary>The role assumed for temporary credentials.</summary>
        public string RoleArn { get; set; }
        /// <summary>RoleSessionName (AssumeRole) or federated user name (FederationToken).</summary>
        public string SessionName { get; set; }
        public NameList BucketName { get; set; } = NameList.Empty;
        /// <summary>ReadWrite, ReadOnly, WriteOnly or Custom.</summary>
        public string Access { get; set; }
        public NameList Prefix { get; set; } = NameList.Empty;
        public string Region { get; set; }
    }
}
