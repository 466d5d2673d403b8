using System;
using System.Management.Automation;
using System.Threading;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Profiles;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Writes credentials as a named profile into the shared credentials file (-Path, else AWS_SHARED_CREDENTIALS_FILE,
    /// else ~/.aws/credentials). Only that profile's section changes; an existing profile is replaced only with -Force.
    /// The work — locking, re-reading, editing, the atomic replace, mode 0600 — is SharedCredentialsFileWriter's.
    /// </summary>
    [Cmdlet(VerbsData.Export, "S3Credential", SupportsShouldProcess = true)]
    [OutputType(typeof(ExportedCredentialProfile))]
    public sealed class ExportS3CredentialCommand : CredentialInputCmdlet
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly SharedCredentialsFileWriter _writer = new SharedCredentialsFileWriter();
        private string _path;

        /// <summary>The profile to write.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [Alias("Profile")]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; }

        /// <summary>The shared credentials file; default AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>Replace the profile when it exists.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write what was exported (no secret).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            this.TerminateOnFailure(Path ?? ProfileName, () =>
            {
                ProfileNames.Validate(ProfileName);
                _path = SharedCredentialsFileWriter.ResolvePath(Path == null ? null : GetUnresolvedProviderPathFromPSPath(Path));
            });
        }

        protected override void ProcessRecord()
        {
            try
            {
                var credential = ReadCredential();
                var exported = PipelineOperationHost.RunFor(this, false, _stopping.Token, (host, ct) => _writer.WriteAsync(_path, ProfileName, credential, Force, host, ct));
                if (exported == null)
                    return;
                WriteVerbose($"{exported.Action} the profile '{exported.ProfileName}' in {exported.Path}.");
                if (PassThru)
                    WriteObject(exported);
            }
            catch (S3CredentialsException e)
            {
                WriteError(ErrorRecords.From(e, ProfileName));
            }
        }

        protected override void StopProcessing() => _stopping.Cancel();
    }
}
