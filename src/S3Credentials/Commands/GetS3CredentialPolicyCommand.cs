using System;
using System.Collections.Generic;
using System.Management.Automation;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Shows the policies New-S3Credential would write for the same options, without calling AWS
    /// (s3-credentials' policy command): one per bucket for permanent credentials, one session policy for temporary ones.
    /// </summary>
    /// <remarks>
    /// Parameter sets as New-S3Credential's, as far as they apply offline: the access-level policy (-Access, -Prefix) or a
    /// custom one (-Policy), and -PublicBucket alone, which no credential option shapes.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "S3CredentialPolicy", DefaultParameterSetName = AccessLevelSet)]
    [OutputType(typeof(CredentialPolicy))]
    public sealed class GetS3CredentialPolicyCommand : PSCmdlet
    {
        private const string AccessLevelSet = "AccessLevel";
        private const string PolicySet = "Policy";
        private const string PublicBucketSet = "PublicBucket";

        private readonly List<string> _buckets = new List<string>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Bucket", "Name")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string[] BucketName { get; set; }

        [Parameter(ParameterSetName = AccessLevelSet)]
        public AccessLevel Access { get; set; }

        [Parameter(ParameterSetName = AccessLevelSet)]
        [ValidateNotNullOrEmpty]
        public string[] Prefix { get; set; }

        [Parameter(ParameterSetName = AccessLevelSet)]
        [Parameter(ParameterSetName = PolicySet)]
        [DurationTransformation]
        [ArgumentCompleter(typeof(DurationCompleter))]
        public TimeSpan Duration { get; set; }

        [Parameter(ParameterSetName = AccessLevelSet)]
        [Parameter(ParameterSetName = PolicySet)]
        public TemporaryCredentialMethod Method { get; set; }

        [Parameter(ParameterSetName = PolicySet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Policy { get; set; }

        [Parameter(ParameterSetName = AccessLevelSet)]
        [Parameter(ParameterSetName = PolicySet)]
        [ValidateNotNullOrEmpty]
        public object[] Statement { get; set; }

        /// <summary>Show, for each bucket, the bucket policy that makes it readable by everyone (New-S3Credential -Public; s3-credentials' policy --public-bucket).</summary>
        [Parameter(ParameterSetName = PublicBucketSet, Mandatory = true)]
        public SwitchParameter PublicBucket { get; set; }

        /// <summary>The region whose partition the ARNs use (aws, aws-cn, aws-us-gov). Default us-east-1.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string Region { get; set; }

        protected override void ProcessRecord()
        {
            if (BucketName != null)
                _buckets.AddRange(BucketName);
        }

        protected override void EndProcessing()
        {
            if (PipelineInput.YieldedNothing(this, _buckets.Count)) return;
            this.TerminateOnFailure(_buckets.ToArray(), () =>
            {
                var request = CredentialRequestBinding.Build(this, _buckets, Access, Prefix, Duration, Method, Policy, Statement);
                // The region by New-S3Credential's precedence: -Region, $StoredAWSRegion, AWS_REGION, AWS_DEFAULT_REGION, the profile's.
                var regionOptions = S3CredentialsCmdlet.BuildSessionOptions(name => name == nameof(Region) ? Region : null, SessionState.PSVariable.GetValue, SessionState.Path);
                foreach (var policy in PublicBucket ? CredentialPolicies.DescribePublicBucket(request, regionOptions) : CredentialPolicies.Describe(request, regionOptions, WriteWarning))
                    WriteObject(policy);
            });
        }
    }
}
