using System;
using System.Globalization;
using System.Management.Automation;
using S3Credentials.Core.Profiles;

namespace S3Credentials
{
    /// <summary>
    /// The base of the cmdlets that hand credentials on (Export-S3Credential, ConvertTo-S3CredentialText): the
    /// credentials arrive by property name from the pipeline — New-S3Credential's output, aws sts output converted
    /// from JSON, any object with AccessKeyId and SecretAccessKey — or as parameters.
    /// </summary>
    public abstract class CredentialInputCmdlet : PSCmdlet
    {
        /// <summary>The access key id.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("AccessKey")]
        public string AccessKeyId { get; set; }

        /// <summary>The secret access key. Never written to messages.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("SecretKey")]
        public string SecretAccessKey { get; set; }

        /// <summary>The session token of temporary credentials; none for permanent ones.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Token")]
        public string SessionToken { get; set; }

        /// <summary>The region the credentials are for, when known.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string Region { get; set; }

        /// <summary>When temporary credentials expire.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTime? Expiration { get; set; }

        /// <summary>The current input as checked credentials; a warning when they have already expired.</summary>
        internal ProfileCredential ReadCredential()
        {
            var credential = new ProfileCredential(AccessKeyId, SecretAccessKey, SessionToken, Region, Expiration).Validate();
            if (credential.Expiration <= DateTime.UtcNow)
                WriteWarning(string.Format(CultureInfo.InvariantCulture, "The credentials of access key {0} expired at {1}.", credential.AccessKeyId, credential.ExpirationText));
            return credential;
        }
    }
}
