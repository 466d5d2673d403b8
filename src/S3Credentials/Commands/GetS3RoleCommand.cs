using System.Collections.Generic;
using System.Management.Automation;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;

namespace S3Credentials.Commands
{
    /// <summary>Lists IAM roles (s3-credentials' list-roles); -Detail adds their inline and attached policies with documents.</summary>
    [Cmdlet(VerbsCommon.Get, "S3Role")]
    [OutputType(typeof(S3Role))]
    public sealed class GetS3RoleCommand : S3CredentialsCmdlet
    {
        private readonly List<string> _names = new List<string>();

        /// <summary>Role names; wildcards allowed. Default: every role.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RoleNameCompleter))]
        public string[] RoleName { get; set; }

        /// <summary>Also read each role's inline and attached policies and their documents.</summary>
        [Parameter]
        public SwitchParameter Detail { get; set; }

        /// <summary>Requests in flight at once (with -Detail; without it there is one listing).</summary>
        [Parameter]
        [ValidateThrottleLimit]
        public int ThrottleLimit { get; set; } = BoundedConcurrency.DefaultLimit;

        protected override void ProcessRecord()
        {
            if (RoleName != null) _names.AddRange(RoleName);
        }

        protected override void EndProcessing()
        {
            if (PipelineInput.YieldedNothing(this, _names.Count)) return;
            var session = Session;
            StreamItemResults<string, S3Role>((host, emit, token) => IamInspection.StreamRolesAsync(session, _names, Detail, ThrottleLimit, host, emit, token));
        }
    }
}
