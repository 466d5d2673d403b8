using System;
using System.Collections.Generic;
using System.Management.Automation;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Lists the access keys of IAM users, one object per key, with its age and when, where and with which service it
    /// was last used; -UnusedFor and -OlderThan keep the stale ones. Users are chosen as Get-S3User chooses them and
    /// UserName binds from its output; the keys pipe on to Update-S3Credential (UserName, AccessKeyId) or Remove-S3User.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "S3AccessKey")]
    [OutputType(typeof(S3AccessKey))]
    public sealed class GetS3AccessKeyCommand : S3CredentialsCmdlet
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

        /// <summary>Only keys not used for this long: days (90) or a TimeSpan.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string UnusedFor { get; set; }

        /// <summary>Only keys created longer ago than this: days (90) or a TimeSpan.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string OlderThan { get; set; }

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
            // A bad -UnusedFor or -OlderThan is a terminating error before anything is read.
            StreamItemResults<string, IReadOnlyList<S3AccessKey>>((host, emit, token) => AccessKeyInspection.StreamAccessKeysAsync(session, _names, Managed,
                new AccessKeyFilter
                {
                    UnusedFor = UnusedFor == null ? (TimeSpan?)null : DurationParser.ParseDays(UnusedFor, nameof(UnusedFor)),
                    OlderThan = OlderThan == null ? (TimeSpan?)null : DurationParser.ParseDays(OlderThan, nameof(OlderThan)),
                },
                DateTime.UtcNow, ThrottleLimit, host, emit, token), enumerateValues: true);
        }
    }
}
