using System;

namespace S3Credentials.Core.Credentials
{
    /// <summary>
    /// A set of AWS keys as the user handed them over (parameters, an object, an auth file).
    /// ToString never shows the secret or the token.
    /// </summary>
    public sealed class CredentialValues
    {
        public CredentialValues(string accessKeyId, string secretAccessKey, string sessionToken = null)
        {
            AccessKeyId = accessKeyId;
            SecretAccessKey = secretAccessKey;
            SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
        }

        public string AccessKeyId { get; }
        public string SecretAccessKey { get; }
        public string SessionToken { get; }

        public override string ToString() => "AccessKeyId=" + AccessKeyId + (SessionToken == null ? "" : " (with session token)");
    }

    /// <summary>Where the credentials in use came from, in the order they are looked for.</summary>
    public enum CredentialSource
    {
        /// <summary>-AccessKey, -SecretKey and -SessionToken.</summary>
        Parameters,
        /// <summary>-Credential: an object with AccessKeyId, SecretAccessKey and SessionToken properties.</summary>
        CredentialObject,
        /// <summary>-AuthFile: an s3-credentials JSON or INI auth file.</summary>
        AuthFile,
        /// <summary>A profile in the shared credentials or config file: -ProfileName, AWS_PROFILE or default.</summary>
        Profile,
        /// <summary>AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, with AWS_SESSION_TOKEN or AWS_SECURITY_TOKEN.</summary>
        Environment,
        /// <summary>AWS.Tools' shell default ($StoredAWSCredentials, set by Set-AWSCredential).</summary>
        ShellDefault,
        /// <summary>AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN.</summary>
        WebIdentity,
        /// <summary>AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI (ECS, EKS pod identity).</summary>
        Container,
        /// <summary>The EC2 instance metadata service.</summary>
        InstanceProfile,
    }
}
