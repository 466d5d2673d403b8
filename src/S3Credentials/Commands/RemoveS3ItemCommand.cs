using System.Management.Automation;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.Objects;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Deletes objects (s3-credentials' delete-objects): keys, * ? patterns or everything under -Prefix, in batches of
    /// 1,000 per DeleteObjects request; asks per object (Yes to All answers the rest) unless -Force. Writes one summary
    /// per bucket with the count deleted; a key S3 refused is an error naming it. AWS.Tools.S3 owns Remove-S3Object.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "S3Item", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(S3ItemRemoval))]
    public sealed class RemoveS3ItemCommand : S3ItemSelectionCmdlet
    {
        /// <summary>Delete without asking (-WhatIf still only reports).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            if (Key == null && Prefix == null)
                ThrowTerminatingError(ErrorRecords.From(S3CredentialsException.InvalidParameter("KeyOrPrefixNeeded", "Key",
                    "Give -Key (keys or * ? patterns; '*' for every object) or -Prefix: Remove-S3Item never deletes a whole bucket's objects by default."), BucketName));
            base.ProcessRecord();
        }

        protected override void EndProcessing()
        {
            if (Selections.Count == 0) return;
            var session = Session;
            var selections = Selections.ToArray();
            var skipQuestion = Confirmation.ForceSkipsQuestion(this, Force);
            StreamItemResults<string, S3ItemRemoval>((host, emit, token) => RemoveItemOperation.RunAsync(session, selections, emit, host, token), target: BucketName, skipConfirmation: skipQuestion, finishInFlight: true);
        }
    }
}
