using System;

namespace S3Credentials.Core.Models
{
    /// <summary>A profile Export-S3Credential wrote into a shared credentials file. Holds no secret.</summary>
    public sealed class ExportedCredentialProfile
    {
        public string ProfileName { get; set; }
        /// <summary>The credentials file written (a symbolic link's target, when the path was a link).</summary>
        public string Path { get; set; }
        /// <summary>Added (the profile was new) or Replaced (it existed and -Force was given).</summary>
        public string Action { get; set; }
        public string AccessKeyId { get; set; }
        /// <summary>Permanent, or Temporary for credentials with a session token.</summary>
        public string Kind { get; set; }
        /// <summary>When temporary credentials expire (UTC), when known.</summary>
        public DateTime? Expiration { get; set; }
        public string Region { get; set; }
    }
}
