using System.Collections.Generic;
using System.Management.Automation;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Removes IAM users and everything IAM requires gone first: access keys, inline policies, attached policies,
    /// group memberships and the login profile (s3-credentials' delete-user, without its gaps). Asks per user;
    /// -Force skips the question. A failure on one user is a non-terminating error; the others go on. Each user's
    /// requests go in three rounds (listings, removals, the user), all within one bound on the requests in flight.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "S3User", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(RemovedS3User))]
    public sealed class RemoveS3UserCommand : S3CredentialsCmdlet
    {
        private readonly List<string> _names = new List<string>();

        /// <summary>The users to remove (exact names).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserNameCompleter))]
        public string[] UserName { get; set; }

        /// <summary>Remove without asking (-WhatIf still only reports).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write what was removed for each user.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Requests in flight at once, whichever users they belong to.</summary>
        [Parameter]
        [ValidateThrottleLimit]
        public int ThrottleLimit { get; set; } = BoundedConcurrency.DefaultLimit;

        protected override void ProcessRecord()
        {
            if (UserName != null) _names.AddRange(UserName);
        }

        protected override void EndProcessing()
        {
            if (PipelineInput.YieldedNothing(this, _names.Count)) return;
            var session = Session;
            var skipQuestion = Confirmation.ForceSkipsQuestion(this, Force);
            StreamItemResults<string, RemovedS3User>((host, emit, token) => RemoveUserOperation.StreamAsync(session, _names, ThrottleLimit, host, emit, token),
                skipConfirmation: skipQuestion, writeValues: PassThru, finishInFlight: true);
        }
    }
}
