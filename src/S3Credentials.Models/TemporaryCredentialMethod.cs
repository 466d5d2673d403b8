namespace S3Credentials.Core.Models
{
    /// <summary>How New-S3Credential makes temporary credentials (-Method).</summary>
    public enum TemporaryCredentialMethod
    {
        /// <summary>STS AssumeRole on the module's role, with a session policy: 15 minutes to 12 hours.</summary>
        AssumeRole,
        /// <summary>STS GetFederationToken with a session policy: no role needed, 15 minutes to 36 hours, permanent caller credentials only.</summary>
        FederationToken,
    }
}
