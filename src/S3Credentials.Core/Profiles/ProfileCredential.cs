using System;
using System.Globalization;
using S3Credentials.Core.Credentials;

namespace S3Credentials.Core.Profiles
{
    /// <summary>
    /// Credentials to hand on as a profile or as text: the keys, the session token of temporary credentials, and
    /// optionally the region they are for and when they expire. Property names are AWS's, so New-S3Credential's
    /// output and aws sts output bind to them. ToString never shows the secret or the token.
    /// </summary>
    public sealed class ProfileCredential
    {
        public ProfileCredential(string accessKeyId, string secretAccessKey, string sessionToken = null, string region = null, DateTime? expiration = null)
        {
            AccessKeyId = accessKeyId;
            SecretAccessKey = secretAccessKey;
            SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
            Region = string.IsNullOrEmpty(region) ? null : region;
            Expiration = expiration.HasValue ? ToUtc(expiration.Value) : (DateTime?)null;
        }

        public string AccessKeyId { get; }
        public string SecretAccessKey { get; }
        /// <summary>Null for permanent credentials.</summary>
        public string SessionToken { get; }
        public string Region { get; }
        /// <summary>When temporary credentials stop working, in UTC; an unspecified kind is taken as UTC.</summary>
        public DateTime? Expiration { get; }

        public bool IsTemporary => SessionToken != null;

        /// <summary>Expiration as ISO 8601 in UTC to the second, 2026-11-22T10:00:00Z; null without one.</summary>
        public string ExpirationText => Expiration?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        /// <summary>
        /// Checks every value before anything is written: the keys and the token follow <see cref="AwsNames.KeyRule"/> (printable
        /// ASCII without spaces, so no value can break a line of INI or a shell command),
        /// the region is a region name. Messages name the parameter and the rule, never the secret or the token.
        /// </summary>
        public ProfileCredential Validate()
        {
            if (string.IsNullOrEmpty(AccessKeyId))
                throw S3CredentialsException.InvalidParameter("AccessKeyIdMissing", "AccessKeyId", "-AccessKeyId is needed (or an input object with an AccessKeyId property).");
            AwsNames.CheckKey(AccessKeyId, "AccessKeyIdInvalid", "AccessKeyId", "-AccessKeyId");
            if (string.IsNullOrEmpty(SecretAccessKey))
                throw S3CredentialsException.InvalidParameter("SecretAccessKeyMissing", "SecretAccessKey", $"The credentials of access key {AccessKeyId} have no secret access key (-SecretAccessKey).");
            AwsNames.CheckKey(SecretAccessKey, "SecretAccessKeyInvalid", "SecretAccessKey", $"The secret access key of access key {AccessKeyId} (-SecretAccessKey)");
            if (SessionToken != null)
                AwsNames.CheckKey(SessionToken, "SessionTokenInvalid", "SessionToken", $"The session token of access key {AccessKeyId} (-SessionToken)");
            if (Region != null)
                SessionResolver.ValidateRegion(Region, "Region", "-Region");
            return this;
        }

        private static DateTime ToUtc(DateTime value)
        {
            switch (value.Kind)
            {
                case DateTimeKind.Utc: return value;
                case DateTimeKind.Local: return value.ToUniversalTime();
                default: return DateTime.SpecifyKind(value, DateTimeKind.Utc);
            }
        }

        public override string ToString() => "AccessKeyId=" + AccessKeyId + (SessionToken == null ? "" : " (with session token)");
    }
}
