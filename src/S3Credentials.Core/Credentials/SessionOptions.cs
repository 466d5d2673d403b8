using Amazon.Runtime;

namespace S3Credentials.Core.Credentials
{
    /// <summary>
    /// Everything a command was told about which account, credentials, region and endpoints to use.
    /// The cmdlets fill it from their common parameters; <see cref="SessionResolver"/> turns it into an <see cref="AwsSession"/>.
    /// </summary>
    public sealed class SessionOptions
    {
        public string AccessKey { get; set; }
        public string SecretKey { get; set; }
        public string SessionToken { get; set; }

        /// <summary>Credentials given as an object (for example this module's own S3Credential output).</summary>
        public CredentialValues Credential { get; set; }

        /// <summary>Path of an s3-credentials auth file (JSON or INI).</summary>
        public string AuthFile { get; set; }

        public string ProfileName { get; set; }

        /// <summary>Path of the shared credentials file to read profiles from, instead of the default.</summary>
        public string ProfileLocation { get; set; }

        public string Region { get; set; }

        /// <summary>AWS.Tools' $StoredAWSCredentials, read by <see cref="ShellDefaults"/>: used after -ProfileName, before the environment.</summary>
        public CredentialValues ShellDefaultCredentials { get; set; }

        /// <summary>AWS.Tools' $StoredAWSRegion: used after -Region, before the environment.</summary>
        public string ShellDefaultRegion { get; set; }

        /// <summary>S3 endpoint (an S3-compatible store or an emulator).</summary>
        public string EndpointUrl { get; set; }
        public string IamEndpointUrl { get; set; }
        public string StsEndpointUrl { get; set; }

        /// <summary>
        /// The environment variables (AWS_PROFILE, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL_*...) as the command
        /// found them, read once by whoever builds the options (the cmdlet base). Null: the resolver reads the process's.
        /// </summary>
        public EnvironmentVariables Environment { get; set; }

        /// <summary>
        /// Replaces the HTTP layer of every client the session creates. Used by tests and the benchmark
        /// to count, delay or fail requests; null in normal use.
        /// </summary>
        public HttpClientFactory HttpClientFactory { get; set; }

        /// <summary>
        /// The module session's caches (caller identities, completion names), handed on to the resolved session and from
        /// it to the operations and completers. Null: the session gets a fresh one of its own.
        /// </summary>
        public S3CredentialsState State { get; set; }
    }
}
