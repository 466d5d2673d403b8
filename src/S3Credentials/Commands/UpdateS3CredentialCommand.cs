using System.Management.Automation;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Rotates an IAM user's access key: creates a new one, waits until it works, then deactivates and deletes the
    /// old one (-KeepOld only deactivates it). Handles IAM's two-key limit. Outputs the new credentials.
    /// It deletes access keys, so it asks by default (ConfirmImpact High); -Force skips the question.
    /// </summary>
    [Cmdlet(VerbsData.Update, "S3Credential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(S3Credential))]
    public sealed class UpdateS3CredentialCommand : S3CredentialsCmdlet
    {
        /// <summary>The user whose key is rotated.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserNameCompleter))]
        public string UserName { get; set; }

        /// <summary>The key to replace; needed when the user has two active keys.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string AccessKeyId { get; set; }

        /// <summary>Only deactivate the old key, do not delete it.</summary>
        [Parameter]
        public SwitchParameter KeepOld { get; set; }

        /// <summary>Do not wait until the new key is accepted before deactivating the old one.</summary>
        [Parameter]
        public SwitchParameter NoWait { get; set; }

        /// <summary>Rotate without asking (-WhatIf still only reports; an explicit -Confirm still asks).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var session = Session;
            // A failure is a terminating error (docs: users piped after the failing one are not rotated).
            var credential = RunOperation((host, token) => new RotateKeyOperation(session, host).RunAsync(UserName, AccessKeyId, KeepOld, NoWait, token), UserName,
                skipConfirmation: Confirmation.ForceSkipsQuestion(this, Force));
            if (credential != null)
                WriteObject(credential);
        }
    }
}
