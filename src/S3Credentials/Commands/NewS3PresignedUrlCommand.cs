using System;
using System.Management.Automation;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.HandOff;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Makes a presigned URL (SigV4) for downloading (-Method Get) or uploading (-Method Put) one object: whoever holds
    /// the URL may do that until it expires, without credentials. Made locally; no AWS call. Objects with BucketName and
    /// Key properties can be piped in. It changes nothing in AWS, so it has no -WhatIf or -Confirm.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "S3PresignedUrl")]
    [OutputType(typeof(S3PresignedUrl))]
    public sealed class NewS3PresignedUrlCommand : S3CredentialsCmdlet
    {
        /// <summary>The bucket of the object.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Bucket", "Name")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string BucketName { get; set; }

        /// <summary>The object's key.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KeyCompleter))]
        public string Key { get; set; }

        /// <summary>Get (download, the default) or Put (upload).</summary>
        [Parameter]
        public PresignedUrlMethod Method { get; set; } = PresignedUrlMethod.Get;

        /// <summary>How long the URL is valid: a TimeSpan, whole seconds (900), or 15m / 1h / 1h30m / 7d. Default 1h, at most 7 days.</summary>
        [Parameter]
        [DurationTransformation]
        [ArgumentCompleter(typeof(DurationCompleter))]
        public TimeSpan Expires { get; set; }

        /// <summary>Put: the Content-Type the upload must send. Get: the Content-Type S3 answers with.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ContentType { get; set; }

        protected override void ProcessRecord()
        {
            var target = $"s3://{BucketName}/{Key}";
            var request = new PresignedUrlRequest
            {
                BucketName = BucketName,
                Key = Key,
                Method = Method,
                Expires = MyInvocation.BoundParameters.ContainsKey(nameof(Expires)) ? Expires : (TimeSpan?)null,
                ContentType = ContentType,
            };
            this.TerminateOnFailure(target, request.Validate);
            var session = Session;
            var url = RunOperation((host, token) => PresignedUrlOperation.CreateAsync(session, request, host, token), target);
            if (url != null)
                WriteObject(url);
        }
    }
}
