using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Writes a bucket's policy, public access block, CORS rules and website: the counterpart of Get-S3BucketDetail
    /// (s3-credentials' set-bucket-policy, set-public-access-block and set-cors-policy). -WhatIf and -Confirm show the
    /// exact document that would be written and the one it replaces. Writes the bucket's details afterwards.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "S3BucketDetail", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(S3BucketDetail))]
    public sealed class SetS3BucketDetailCommand : S3CredentialsCmdlet
    {
        /// <summary>The bucket; from the pipeline as a string or a Name/BucketName property (Get-S3BucketDetail's output).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Bucket", "Name")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string BucketName { get; set; }

        /// <summary>The bucket policy: a file, a JSON string, an object or hashtable (converted to JSON), or Get-S3CredentialPolicy's output.</summary>
        [Parameter]
        [ValidateNotNull]
        public PSObject Policy { get; set; }

        /// <summary>Delete the bucket policy.</summary>
        [Parameter]
        public SwitchParameter RemovePolicy { get; set; }

        /// <summary>Public access block: reject requests that grant public ACLs.</summary>
        [Parameter]
        public bool BlockPublicAcls { get; set; }

        /// <summary>Public access block: ignore public ACLs.</summary>
        [Parameter]
        public bool IgnorePublicAcls { get; set; }

        /// <summary>Public access block: refuse bucket policies that make the bucket public.</summary>
        [Parameter]
        public bool BlockPublicPolicy { get; set; }

        /// <summary>Public access block: only AWS services and the owner's account may use a public policy's access.</summary>
        [Parameter]
        public bool RestrictPublicBuckets { get; set; }

        /// <summary>CORS rules as JSON: {"CORSRules":[...]}, an array of rules, one rule, or a file holding one of those.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Cors { get; set; }

        /// <summary>One CORS rule's allowed origins (default * when another -Cors... option is given).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] CorsAllowedOrigin { get; set; }

        /// <summary>One CORS rule's allowed methods: GET, PUT, POST, DELETE, HEAD (default GET).</summary>
        [Parameter]
        [ValidateSet("GET", "PUT", "POST", "DELETE", "HEAD", IgnoreCase = true)]
        public string[] CorsAllowedMethod { get; set; }

        /// <summary>One CORS rule's allowed request headers.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] CorsAllowedHeader { get; set; }

        /// <summary>One CORS rule's headers exposed to the browser, such as ETag.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] CorsExposeHeader { get; set; }

        /// <summary>How long browsers may cache the preflight answer, in seconds.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int CorsMaxAgeSeconds { get; set; }

        /// <summary>Delete the CORS configuration.</summary>
        [Parameter]
        public SwitchParameter RemoveCors { get; set; }

        /// <summary>The website's index document, such as index.html.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string WebsiteIndexDocument { get; set; }

        /// <summary>The website's error document key, such as error.html.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string WebsiteErrorDocument { get; set; }

        /// <summary>Delete the website configuration.</summary>
        [Parameter]
        public SwitchParameter RemoveWebsite { get; set; }

        protected override void ProcessRecord()
        {
            var bound = MyInvocation.BoundParameters;
            bool? Flag(string name, bool value) => bound.ContainsKey(name) ? value : (bool?)null;
            var request = new BucketSettingsRequest
            {
                BucketName = BucketName,
                Policy = Policy == null ? null : PolicyText(Policy),
                RemovePolicy = RemovePolicy,
                BlockPublicAcls = Flag(nameof(BlockPublicAcls), BlockPublicAcls),
                IgnorePublicAcls = Flag(nameof(IgnorePublicAcls), IgnorePublicAcls),
                BlockPublicPolicy = Flag(nameof(BlockPublicPolicy), BlockPublicPolicy),
                RestrictPublicBuckets = Flag(nameof(RestrictPublicBuckets), RestrictPublicBuckets),
                Cors = Cors == null ? null : FileOrText(Cors),
                CorsAllowedOrigin = CorsAllowedOrigin,
                CorsAllowedMethod = CorsAllowedMethod,
                CorsAllowedHeader = CorsAllowedHeader,
                CorsExposeHeader = CorsExposeHeader,
                CorsMaxAgeSeconds = bound.ContainsKey(nameof(CorsMaxAgeSeconds)) ? CorsMaxAgeSeconds : (int?)null,
                RemoveCors = RemoveCors,
                WebsiteIndexDocument = WebsiteIndexDocument,
                WebsiteErrorDocument = WebsiteErrorDocument,
                RemoveWebsite = RemoveWebsite,
            };
            var session = Session;
            var detail = RunOperation((host, token) => BucketSettingsOperation.RunAsync(session, request, host, token), BucketName);
            if (detail != null)
                WriteObject(detail);
        }

        /// <summary>-Policy as JSON text: a PolicyDocument property (Get-S3CredentialPolicy), a string (a file's path, or JSON), else the object as JSON.</summary>
        private string PolicyText(PSObject value)
        {
            if (PSObjectValues.Get(value, "PolicyDocument") is object document && !(value.BaseObject is IDictionary))
                return document.ToString();
            if (value.BaseObject is string text)
                return FileOrText(text);
            return InvokeCommand.InvokeScript("param($o) ConvertTo-Json -InputObject $o -Depth 32 -Compress", true, System.Management.Automation.Runspaces.PipelineResultTypes.None, null, value)
                .Select(o => o?.ToString()).FirstOrDefault();
        }

        /// <summary>The text, or the content of the file it names (text that is not JSON and names an existing file).</summary>
        private string FileOrText(string text)
        {
            var trimmed = text.TrimStart();
            if (trimmed.StartsWith("{") || trimmed.StartsWith("["))
                return text;
            var path = GetUnresolvedProviderPathFromPSPath(text);
            return File.Exists(path) ? File.ReadAllText(path) : text;
        }
    }
}
