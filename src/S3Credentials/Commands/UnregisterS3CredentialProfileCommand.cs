using System.Management.Automation;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Profiles;

namespace S3Credentials.Commands
{
    /// <summary>Removes a profile from the AWS config file, such as one Register-S3CredentialProfile wrote; every other line stays.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "S3CredentialProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(RegisteredCredentialProfile))]
    public sealed class UnregisterS3CredentialProfileCommand : PSCmdlet
    {
        /// <summary>The profile to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; }

        /// <summary>The config file. Default: AWS_CONFIG_FILE, else ~/.aws/config.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                var path = Path == null ? null : GetUnresolvedProviderPathFromPSPath(Path);
                if (!ShouldProcess(CredentialProcessProfile.ConfigPath(path), $"Remove profile '{ProfileName}'"))
                    return;
                WriteObject(CredentialProcessProfile.Unregister(ProfileName, path));
            }
            catch (S3CredentialsException e)
            {
                WriteError(ErrorRecords.From(e, ProfileName));
            }
        }
    }
}
