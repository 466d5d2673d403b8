namespace S3Credentials.Core.Models
{
    /// <summary>A credential_process profile written (or removed) by Register-/Unregister-S3CredentialProfile.</summary>
    public sealed class RegisteredCredentialProfile
    {
        public string ProfileName { get; set; }
        /// <summary>The config file.</summary>
        public string Path { get; set; }
        /// <summary>Added, Replaced or Removed.</summary>
        public string Action { get; set; }
        /// <summary>The command the AWS SDKs and CLI run to get credentials.</summary>
        public string CredentialProcess { get; set; }
    }
}
