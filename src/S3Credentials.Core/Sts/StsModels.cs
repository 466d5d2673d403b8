using System;
using System.Collections.Generic;

namespace S3Credentials.Core.Sts
{
    // What STS answers and is asked, as this product reads and sends it. Wire models only: the output types live in
    // S3Credentials.Models.

    /// <summary>GetCallerIdentity's answer.</summary>
    public sealed class StsCallerIdentity
    {
        public string Account { get; set; }
        public string Arn { get; set; }
        public string UserId { get; set; }
    }

    /// <summary>Temporary credentials. ToString never shows the secret or the token.</summary>
    public sealed class StsCredentials
    {
        public string AccessKeyId { get; set; }
        public string SecretAccessKey { get; set; }
        public string SessionToken { get; set; }
        /// <summary>UTC.</summary>
        public DateTime Expiration { get; set; }

        public override string ToString() => AccessKeyId + " (until " + Expiration.ToString("u") + ")";
    }

    /// <summary>AssumeRole's and AssumeRoleWithWebIdentity's answer.</summary>
    public sealed class StsAssumedRole
    {
        public StsCredentials Credentials { get; set; }
        /// <summary>arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION</summary>
        public string AssumedRoleArn { get; set; }
        public string AssumedRoleId { get; set; }
        public int? PackedPolicySize { get; set; }
        public string SourceIdentity { get; set; }
    }

    /// <summary>GetFederationToken's answer.</summary>
    public sealed class StsFederationToken
    {
        public StsCredentials Credentials { get; set; }
        public string FederatedUserArn { get; set; }
        public string FederatedUserId { get; set; }
        public int? PackedPolicySize { get; set; }
    }

    /// <summary>AssumeRole's parameters; null ones are not sent.</summary>
    public sealed class StsAssumeRoleRequest
    {
        public string RoleArn { get; set; }
        public string RoleSessionName { get; set; }
        public int? DurationSeconds { get; set; }
        /// <summary>An inline session policy (JSON).</summary>
        public string Policy { get; set; }
        public IList<string> PolicyArns { get; set; }
        public string ExternalId { get; set; }
        /// <summary>The MFA device's serial number (or ARN) and its current code.</summary>
        public string SerialNumber { get; set; }
        public string TokenCode { get; set; }
        public string SourceIdentity { get; set; }
        public IList<KeyValuePair<string, string>> Tags { get; set; }
        public IList<string> TransitiveTagKeys { get; set; }
    }

    /// <summary>AssumeRoleWithWebIdentity's parameters; null ones are not sent.</summary>
    public sealed class StsWebIdentityRequest
    {
        public string RoleArn { get; set; }
        public string RoleSessionName { get; set; }
        public string WebIdentityToken { get; set; }
        public string ProviderId { get; set; }
        public int? DurationSeconds { get; set; }
        public string Policy { get; set; }
        public IList<string> PolicyArns { get; set; }
    }
}
