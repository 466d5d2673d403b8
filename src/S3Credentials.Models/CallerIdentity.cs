namespace S3Credentials.Core.Models
{
    /// <summary>Who the resolved credentials belong to, and where the credentials and region came from.</summary>
    public sealed class CallerIdentity
    {
        public string Account { get; set; }
        public string Arn { get; set; }
        public string UserId { get; set; }
        /// <summary>Parameters, CredentialObject, AuthFile, Profile, Environment, WebIdentity, Container or InstanceProfile.</summary>
        public string CredentialSource { get; set; }
        /// <summary>The profile the credentials came from, when they came from one.</summary>
        public string ProfileName { get; set; }
        /// <summary>The auth file the credentials came from, when they came from one.</summary>
        public string AuthFile { get; set; }
        /// <summary>The access key id in use (never the secret).</summary>
        public string AccessKeyId { get; set; }
        public string Region { get; set; }
        /// <summary>Parameter, Environment:AWS_REGION, Environment:AWS_DEFAULT_REGION, Profile:NAME or Default.</summary>
        public string RegionSource { get; set; }
        /// <summary>aws, aws-cn or aws-us-gov: the partition of every ARN the module writes with these settings.</summary>
        public string Partition { get; set; }
    }
}
