using System;

namespace S3Credentials.Core.Models
{
    /// <summary>What Revoke-S3Credential did to one role, user or access key.</summary>
    public sealed class CredentialRevocation
    {
        /// <summary>Role (its sessions), User (the temporary credentials it made) or AccessKey (deactivated).</summary>
        public string TargetType { get; set; }
        /// <summary>The role's or the user's name.</summary>
        public string Name { get; set; }
        /// <summary>The deactivated key, for TargetType AccessKey.</summary>
        public string AccessKeyId { get; set; }
        /// <summary>Temporary credentials issued before this moment (UTC) are refused, for Role and User.</summary>
        public DateTime? IssuedBefore { get; set; }
        /// <summary>The inline policy that refuses them (AWSRevokeOlderSessions, as the AWS console names it), for Role and User.</summary>
        public string PolicyName { get; set; }
        /// <summary>The policy document as written, for Role and User.</summary>
        public string PolicyDocument { get; set; }
    }
}
