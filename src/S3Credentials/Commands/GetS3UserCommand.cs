using System.Collections.Generic;
using System.Management.Automation;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;

namespace S3Credentials.Commands
{
    /// <summary>Lists IAM users with their tags and number of access keys (s3-credentials' list-users); -Managed shows only this module's.</summary>
    [Cmdlet(VerbsCommon.Get, "S3User")]
    [OutputType(typeof(S3User))]
    public sealed class GetS3UserCommand : S3CredentialsCmdlet
    {
        private readonly List<string> _names = new List<string>();

        /// <summary>User names; wildcards allowed. Default: every user.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserNameCompleter))]
        public string[] UserName { get; set; }

        /// <summary>Only users this module created (path /s3credentials/ and the module's tag).</summary>
        [Parameter]
        public SwitchParameter Managed { get; set; }

        /// <summary>Requests in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = BoundedConcurrency.DefaultLimit;

        protected override void ProcessRecord()
        {
            if (UserName != null) _names.AddRange(UserName);
        }

        protected override void EndProcessing()
        {
            if (PipelineInput.YieldedNothing(this, _names.Count)) return;
            var session = Session;
            StreamItemResults<string, S3User>((host, emit, token) => IamInspection.StreamUsersAsync(session, _names, Managed, ThrottleLimit, host, emit, token));
        }
    }
}
