using System.Management.Automation;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Shows what credentials may really do on a bucket and prefix: List and Read always, Write and Delete with
    /// -IncludeWrite (a probe object is written and deleted again). Pipe New-S3Credential's output into it.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "S3Credential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CredentialTestResult))]
    public sealed class TestS3CredentialCommand : S3CredentialsCmdlet
    {
        /// <summary>Credentials to test, such as New-S3Credential's output; its BucketName and Prefix are used when not given.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject InputObject { get; set; }

        /// <summary>The bucket to test. Default: the first bucket of -InputObject.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string BucketName { get; set; }

        /// <summary>The prefix to test under. Default: the first prefix of -InputObject.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Prefix { get; set; }

        /// <summary>Also test Write and Delete, by writing a probe object and deleting it again.</summary>
        [Parameter]
        public SwitchParameter IncludeWrite { get; set; }

        protected override void ProcessRecord()
        {
            // A piped object supplies the credentials unless some were given explicitly, and its Region unless -Region was.
            var bound = MyInvocation.BoundParameters;
            var explicitCredentials = bound.ContainsKey(nameof(AccessKey)) || bound.ContainsKey(nameof(Credential)) || bound.ContainsKey(nameof(AuthFile)) || bound.ContainsKey(nameof(ProfileName));
            if (InputObject != null && !explicitCredentials)
                Credential = InputObject;
            if (InputObject != null && !explicitCredentials && !bound.ContainsKey(nameof(Region)))
                Region = FirstOf(InputObject, "Region");
            var bucket = BucketName ?? FirstOf(InputObject, "BucketName");
            if (string.IsNullOrEmpty(bucket))
            {
                ThrowTerminatingError(new ErrorRecord(new PSArgumentException("-BucketName is needed (or an input object with a BucketName property).", "BucketName"),
                    "BucketNameMissing", ErrorCategory.InvalidArgument, InputObject));
                return;
            }
            var prefix = Prefix ?? FirstOf(InputObject, "Prefix");
            var session = Session;
            foreach (var result in RunOperation((host, token) => CredentialTestOperation.RunAsync(session, bucket, prefix, IncludeWrite, host, token), bucket))
                WriteObject(result);
            ResetSession();
        }

        /// <summary>The property's value, or the first element when it is a list (null for an empty list); hashtable keys too.</summary>
        private static string FirstOf(PSObject value, string property)
        {
            var raw = PSObjectValues.Get(value, property);
            if (raw is string text) return string.IsNullOrEmpty(text) ? null : text;
            if (raw is System.Collections.IEnumerable list)
            {
                foreach (var item in list)
                    return item?.ToString();
                return null;
            }
            return raw?.ToString();
        }
    }
}
