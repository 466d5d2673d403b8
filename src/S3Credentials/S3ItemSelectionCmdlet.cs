using System.Collections.Generic;
using System.Management.Automation;
using S3Credentials.Core.Operations.Objects;

namespace S3Credentials
{
    /// <summary>
    /// The base of cmdlets that act on objects chosen by bucket, keys or * ? patterns, and prefix (Get-, Save- and
    /// Remove-S3Item): the three parameters, bound from Get-S3Item's output by property name, gathered per record.
    /// </summary>
    public abstract class S3ItemSelectionCmdlet : S3CredentialsCmdlet
    {
        /// <summary>The bucket; from the pipeline as a string, or a BucketName (or Name) property such as Get-S3Item's and Get-S3BucketDetail's output.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Bucket", "Name")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string BucketName { get; set; }

        /// <summary>Keys or * ? patterns (case-sensitive, over the whole key); from the pipeline as a Key property.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KeyCompleter))]
        public string[] Key { get; set; }

        /// <summary>Only objects whose keys start with this text.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Prefix { get; set; }

        /// <summary>What each record chose, in order.</summary>
        protected List<S3ItemSelection> Selections { get; } = new List<S3ItemSelection>();

        protected override void ProcessRecord() => Selections.Add(new S3ItemSelection(BucketName, Key, Prefix));
    }
}
