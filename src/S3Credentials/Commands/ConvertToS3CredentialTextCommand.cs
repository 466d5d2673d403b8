using System.Management.Automation;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Profiles;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Writes credentials as text to hand on: an INI profile, -AuthFile JSON, shell or PowerShell environment
    /// assignments, or credential_process JSON. One string per input; the formats are CredentialText's.
    /// </summary>
    /// <remarks>
    /// -ProfileName only with -Format Ini is checked here, not by a parameter set: Ini is a value of -Format, and
    /// PowerShell chooses sets by the parameters given, never by their values.
    /// </remarks>
    [Cmdlet(VerbsData.ConvertTo, "S3CredentialText")]
    [OutputType(typeof(string))]
    public sealed class ConvertToS3CredentialTextCommand : CredentialInputCmdlet
    {
        /// <summary>Ini, Json, Shell, PowerShell or CredentialProcess.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public CredentialTextFormat Format { get; set; }

        /// <summary>The INI section's name (only with -Format Ini); default "default".</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [Alias("Profile")]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; }

        protected override void BeginProcessing()
        {
            this.TerminateOnFailure(ProfileName, () =>
            {
                if (ProfileName != null && Format != CredentialTextFormat.Ini)
                    throw S3CredentialsException.InvalidParameter("ProfileNameWithoutIni", "ProfileName", $"-ProfileName names the INI section: it cannot be used with -Format {Format}.");
                if (ProfileName != null)
                    ProfileNames.Validate(ProfileName);
            });
        }

        protected override void ProcessRecord()
        {
            this.WriteErrorOnFailure(AccessKeyId, () =>
            {
                WriteObject(CredentialText.Format(ReadCredential(), Format, ProfileName));
            });
        }
    }
}
