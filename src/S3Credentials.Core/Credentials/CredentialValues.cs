using System;
using System.Globalization;

namespace S3Credentials.Core.Credentials
{
    /// <summary>
    /// A set of AWS keys as the user handed them over (parameters, an object, an auth file).
    /// ToString never shows the secret or the token.
    /// </summary>
    public sealed class CredentialValues
    {
        public CredentialValues(string accessKeyId, string secretAccessKey, string sessionToken = null, DateTime? expiration = null)
        {
            AccessKeyId = accessKeyId;
            SecretAccessKey = secretAccessKey;
            SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
            Expiration = expiration?.ToUniversalTime();
        }

        public string AccessKeyId { get; }
        public string SecretAccessKey { get; }
        public string SessionToken { get; }
        /// <summary>When temporary credentials stop working (UTC), when the object or file said so; null when unknown.</summary>
        public DateTime? Expiration { get; }

        /// <summary>
        /// Reads an Expiration value as AWS tools and this module write it: a DateTime or DateTimeOffset, or an ISO 8601
        /// string such as 2026-01-31T12:00:00Z (a string without an offset is taken as UTC). Anything else gives null:
        /// the expiration is optional information, never a reason to refuse credentials.
        /// </summary>
        public static DateTime? ParseExpiration(object value)
        {
            switch (value)
            {
                case DateTime time:
                    return time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime();
                case DateTimeOffset offset:
                    return offset.UtcDateTime;
                case string text when !string.IsNullOrWhiteSpace(text):
                    return DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                        ? parsed
                        : (DateTime?)null;
                default:
                    return null;
            }
        }

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
