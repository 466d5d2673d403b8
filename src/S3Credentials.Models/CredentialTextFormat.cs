namespace S3Credentials.Core.Models
{
    /// <summary>The text forms ConvertTo-S3CredentialText writes credentials in.</summary>
    public enum CredentialTextFormat
    {
        /// <summary>A [profile] section of the shared credentials file.</summary>
        Ini,
        /// <summary>JSON as -AuthFile and s3-credentials read it: AccessKeyId, SecretAccessKey, SessionToken, Expiration.</summary>
        Json,
        /// <summary>POSIX shell export lines.</summary>
        Shell,
        /// <summary>PowerShell $env: assignments.</summary>
        PowerShell,
        /// <summary>The JSON a credential_process program prints (Version 1).</summary>
        CredentialProcess,
    }
}
