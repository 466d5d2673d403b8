using System.Collections.Generic;
using System.Management.Automation;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Lists the inline and attached policies of IAM users, one object per policy, with the document as JSON
    /// (PolicyDocument; the types file adds GetDocument() for it parsed). Binds UserName from Get-S3User's output.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "S3UserPolicy")]
    [OutputType(typeof(S3UserPolicy))]
    public sealed class GetS3UserPolicyCommand : S3CredentialsCmdlet
    {
        private readonly List<string> _names = new List<string>();

        /// <summary>User names; wildcards allowed. Default: every user.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserNameCompleter))]
        public string[] UserName { get; set; }

        /// <summary>Requests in flight at once.</summary>
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
            StreamItemResults<string, IReadOnlyList<S3UserPolicy>>((host, emit, token) => IamInspection.StreamUserPoliciesAsync(session, _names, ThrottleLimit, host, emit, token), enumerateValues: true);
        }
    }
}
