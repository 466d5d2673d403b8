using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Creates credentials scoped to S3 buckets: permanent (an IAM user, an inline policy per bucket, an access key)
    /// or, with -Duration, temporary (STS). The PowerShell form of s3-credentials' create. Buckets given through the
    /// pipeline are gathered into one set of credentials.
    /// </summary>
    /// <remarks>
    /// Four parameter sets make the combinations that always fail unbindable: permanent (an IAM user: -UserName,
    /// -PermissionsBoundary, -NoWait) or temporary (-Duration, mandatory there: -Method, -RoleName), each with the
    /// access-level policy (-Access, -Prefix) or a custom one (-Policy, mandatory there). AssumeRole against
    /// GetFederationToken is the value of -Method, which a parameter set cannot tell apart, so CredentialPlan still
    /// refuses -RoleName and -Tag with -Method FederationToken, as it keeps every check for the library API.
    /// -BucketName is mandatory in every set but TemporaryPolicy: a set with a mandatory parameter more than another that
    /// could bind the same command line must not also make the piped parameter mandatory, or PowerShell cannot choose
    /// between them for piped names ('a','b' | New-S3Credential -Duration 1h, AmbiguousParameterSet); without a name,
    /// CredentialPlan's BucketNameMissing says what is missing.
    /// -Public, -Website and -BucketRegion need -CreateBucket, but stay in every set: sets for them would double the four
    /// (each with and without -CreateBucket, mandatory there) for three switches, so CredentialPlan refuses them before any
    /// request (PublicWithoutCreateBucket, WebsiteWithoutCreateBucket, BucketRegionWithoutCreateBucket).
    /// </remarks>
    [Cmdlet(VerbsCommon.New, "S3Credential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PermanentSet)]
    [OutputType(typeof(S3Credential))]
    public sealed class NewS3CredentialCommand : S3CredentialsCmdlet
    {
        private const string PermanentSet = "Permanent";
        private const string PermanentPolicySet = "PermanentPolicy";
        private const string TemporarySet = "Temporary";
        private const string TemporaryPolicySet = "TemporaryPolicy";

        private readonly List<string> _buckets = new List<string>();

        /// <summary>The buckets the credentials are for.</summary>
        [Parameter(ParameterSetName = PermanentSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = PermanentPolicySet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = TemporarySet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = TemporaryPolicySet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Bucket", "Name")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string[] BucketName { get; set; }

        /// <summary>ReadWrite (default), ReadOnly or WriteOnly.</summary>
        [Parameter(ParameterSetName = PermanentSet)]
        [Parameter(ParameterSetName = TemporarySet)]
        public AccessLevel Access { get; set; }

        /// <summary>Limit access to keys under these prefixes.</summary>
        [Parameter(ParameterSetName = PermanentSet)]
        [Parameter(ParameterSetName = TemporarySet)]
        [ValidateNotNullOrEmpty]
        public string[] Prefix { get; set; }

        /// <summary>Makes the credentials temporary: a TimeSpan, whole seconds (900), or 15m / 1h / 1h30m / 900s.</summary>
        [Parameter(ParameterSetName = TemporarySet, Mandatory = true)]
        [Parameter(ParameterSetName = TemporaryPolicySet, Mandatory = true)]
        [DurationTransformation]
        [ArgumentCompleter(typeof(DurationCompleter))]
        public TimeSpan Duration { get; set; }

        /// <summary>How temporary credentials are made: AssumeRole (default) or FederationToken.</summary>
        [Parameter(ParameterSetName = TemporarySet)]
        [Parameter(ParameterSetName = TemporaryPolicySet)]
        public TemporaryCredentialMethod Method { get; set; }

        /// <summary>The IAM user for permanent credentials (created if missing). Default: s3.ACCESS.BUCKETS.</summary>
        [Parameter(ParameterSetName = PermanentSet)]
        [Parameter(ParameterSetName = PermanentPolicySet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserNameCompleter))]
        public string UserName { get; set; }

        /// <summary>Create missing buckets.</summary>
        [Parameter]
        public SwitchParameter CreateBucket { get; set; }

        /// <summary>Region for buckets created by -CreateBucket.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string BucketRegion { get; set; }

        /// <summary>Make the buckets this command creates readable by everyone.</summary>
        [Parameter]
        public SwitchParameter Public { get; set; }

        /// <summary>Configure the buckets this command creates as websites (index.html, error.html).</summary>
        [Parameter]
        public SwitchParameter Website { get; set; }

        /// <summary>A custom policy: JSON or the path of a JSON file; $!BUCKET_NAME!$ is replaced by each bucket's name.</summary>
        [Parameter(ParameterSetName = PermanentPolicySet, Mandatory = true)]
        [Parameter(ParameterSetName = TemporaryPolicySet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Policy { get; set; }

        /// <summary>Extra policy statements: hashtables or JSON strings.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public object[] Statement { get; set; }

        /// <summary>Permissions boundary of a user this command creates: a managed policy ARN, or 'none'.</summary>
        [Parameter(ParameterSetName = PermanentSet)]
        [Parameter(ParameterSetName = PermanentPolicySet)]
        [ValidateNotNullOrEmpty]
        public string PermissionsBoundary { get; set; }

        /// <summary>The role assumed for temporary credentials (created if missing).</summary>
        [Parameter(ParameterSetName = TemporarySet)]
        [Parameter(ParameterSetName = TemporaryPolicySet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RoleNameCompleter))]
        public string RoleName { get; set; }

        /// <summary>The role assumed for temporary credentials, named by ARN (a pre-approved or cross-account role): assumed as it is, never looked up or created.</summary>
        [Parameter(ParameterSetName = TemporarySet)]
        [Parameter(ParameterSetName = TemporaryPolicySet)]
        [ValidateNotNullOrEmpty]
        public string RoleArn { get; set; }

        /// <summary>Tags for the user or role this command creates.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable Tag { get; set; }

        /// <summary>Return a new access key at once instead of waiting (about 30 s at most) until S3 recognises it.</summary>
        [Parameter(ParameterSetName = PermanentSet)]
        [Parameter(ParameterSetName = PermanentPolicySet)]
        public SwitchParameter NoWait { get; set; }

        protected override void ProcessRecord()
        {
            if (BucketName != null)
                _buckets.AddRange(BucketName);
        }

        protected override void EndProcessing()
        {
            if (PipelineInput.YieldedNothing(this, _buckets.Count)) return;
            var plan = this.TerminateOnFailure(_buckets.ToArray(), () => CredentialPlan.Create(BuildRequest(this, _buckets), Session));
            foreach (var warning in plan.Warnings)
                WriteWarning(warning);
            var session = Session;
            var credential = RunOperation((host, token) => new NewCredentialOperation(session, host).RunAsync(plan, token), _buckets.ToArray());
            if (credential != null)
                WriteObject(credential);
        }

        internal static NewCredentialRequest BuildRequest(NewS3CredentialCommand command, IReadOnlyList<string> buckets)
        {
            var request = CredentialRequestBinding.Build(command, buckets, command.Access, command.Prefix, command.Duration, command.Method, command.Policy, command.Statement);
            request.UserName = command.UserName;
            request.RoleName = command.RoleName;
            request.RoleArn = command.RoleArn;
            request.CreateBucket = command.CreateBucket;
            request.BucketRegion = command.BucketRegion;
            request.Public = command.Public;
            request.Website = command.Website;
            request.PermissionsBoundary = command.PermissionsBoundary;
            request.Tags = command.Tag == null ? new Dictionary<string, string>()
                : command.Tag.Cast<DictionaryEntry>().ToDictionary(e => Convert.ToString(CredentialRequestBinding.Unwrap(e.Key)), e => Convert.ToString(CredentialRequestBinding.Unwrap(e.Value)));
            request.NoWait = command.NoWait;
            return request;
        }
    }
}
