using System.Collections.Generic;
using System.Management.Automation;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Shows the buckets the account owns, or those matching names and * ? patterns, with their region, ACL, public
    /// access block, website, bucket policy and policy status. The PowerShell form of s3-credentials' list-buckets
    /// --details and debug-bucket. Names given through the pipeline are gathered and read together.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "S3BucketDetail")]
    [OutputType(typeof(S3BucketDetail))]
    public sealed class GetS3BucketDetailCommand : S3CredentialsCmdlet
    {
        private readonly List<string> _names = new List<string>();

        /// <summary>Bucket names or patterns with * and ?; all buckets when not given.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [Alias("Bucket", "Name")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string[] BucketName { get; set; }

        /// <summary>How many requests are in flight at once, whichever buckets they belong to (a bucket's reads are sent together); 16 by default.</summary>
        [Parameter]
        [ValidateThrottleLimit]
        public int ThrottleLimit { get; set; } = BucketDetailOperation.DefaultThrottleLimit;

        protected override void ProcessRecord()
        {
            if (BucketName != null)
                _names.AddRange(BucketName);
        }

        protected override void EndProcessing()
        {
            if (PipelineInput.YieldedNothing(this, _names.Count)) return;
            var session = Session;
            var names = _names.ToArray();
            var limit = ThrottleLimit;
            StreamItemResults<string, S3BucketDetail>((host, emit, token) => BucketDetailOperation.StreamAsync(session, names, limit, host, emit, token), target: names);
        }
    }
}
