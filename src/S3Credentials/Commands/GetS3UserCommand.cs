using System.Collections.Generic;
using System.Management.Automation;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Lists IAM users with their tags (s3-credentials' list-users) in one account read per 100 users; -Managed shows only
    /// this module's; -IncludeAccessKeyCount adds each user's number of access keys (one more request per user) and a view
    /// with a Keys column, as Get-Process -IncludeUserName does.
    /// </summary>
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

        /// <summary>Also count each user's access keys (AccessKeyCount): one ListAccessKeys request per user.</summary>
        [Parameter]
        public SwitchParameter IncludeAccessKeyCount { get; set; }

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
            if (!IncludeAccessKeyCount)
            {
                StreamItemResults<string, S3User>((host, emit, token) => IamInspection.StreamUsersAsync(session, _names, Managed, ThrottleLimit, host, emit, token));
                return;
            }
            // Its own type name, so the view with the Keys column is chosen (the objects are S3User all the same).
            StreamItemResults<string, PSObject>((host, emit, token) => IamInspection.StreamUsersAsync(session, _names, Managed, ThrottleLimit, host,
                r => emit(new ItemResult<string, PSObject>(r.Input, WithKeyCountView(r.Value), r.Error)), token, includeAccessKeyCount: true));
        }

        /// <summary>The type name of Get-S3User -IncludeAccessKeyCount's objects, whose view has a Keys column.</summary>
        private const string WithAccessKeyCountTypeName = "S3Credentials.Core.Models.S3User#IncludeAccessKeyCount";

        private static PSObject WithKeyCountView(S3User user)
        {
            if (user == null) return null;
            var wrapped = PSObject.AsPSObject(user);
            wrapped.TypeNames.Insert(0, WithAccessKeyCountTypeName);
            return wrapped;
        }
    }
}
