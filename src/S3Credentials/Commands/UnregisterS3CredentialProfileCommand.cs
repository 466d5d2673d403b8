using System.Management.Automation;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Profiles;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Removes a profile that Register-S3CredentialProfile wrote from the AWS config file; every other line stays. Any
    /// other profile (keys, role, SSO, [default]...) is refused with ProfileNotRegistered unless -Force is given.
    /// Asks first (ConfirmImpact High); -Force also skips the question.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Unregister, "S3CredentialProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(RegisteredCredentialProfile))]
    public sealed class UnregisterS3CredentialProfileCommand : PSCmdlet
    {
        /// <summary>The profile to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegisteredProfileNameCompleter))]
        public string ProfileName { get; set; }

        /// <summary>The config file. Default: AWS_CONFIG_FILE, else ~/.aws/config.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>Remove the profile even if Register-S3CredentialProfile did not write it, and without asking.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private readonly System.Threading.CancellationTokenSource _stopping = new System.Threading.CancellationTokenSource();

        protected override void StopProcessing() => _stopping.Cancel();

        protected override void ProcessRecord()
        {
            this.WriteErrorOnFailure(ProfileName, () =>
            {
                var path = Path == null ? null : GetUnresolvedProviderPathFromPSPath(Path);
                // A profile that may not be removed is refused before the question (in UnregisterAsync), not after it.
                var removed = PipelineOperationHost.RunFor(this, Confirmation.ForceSkipsQuestion(this, Force), _stopping.Token,
                    (host, ct) => CredentialProcessProfile.UnregisterAsync(ProfileName, path, Force, host, ct));
                if (removed != null)
                    WriteObject(removed);
            });
        }
    }
}
