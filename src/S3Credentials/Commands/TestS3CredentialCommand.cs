using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Shows what credentials may really do on a bucket and prefix: List and Read always, Write and Delete with
    /// -IncludeWrite (a probe object is written and deleted again). Pipe New-S3Credential's output into it, or bucket names.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "S3Credential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CredentialTestResult))]
    public sealed class TestS3CredentialCommand : S3CredentialsCmdlet
    {
        /// <summary>Credentials to test, such as New-S3Credential's output (every BucketName is tested, under every Prefix); or bucket names, as strings or objects without AccessKeyId (BucketName, else Name), tested with the common parameters' credentials.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject InputObject { get; set; }

        /// <summary>The bucket to test. Default: every bucket of -InputObject.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string BucketName { get; set; }

        /// <summary>The prefix to test under. Default: every prefix of -InputObject.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Prefix { get; set; }

        /// <summary>Also test Write and Delete, by writing a probe object and deleting it again.</summary>
        [Parameter]
        public SwitchParameter IncludeWrite { get; set; }

        private PSObject _givenCredential;
        private string _givenRegion;

        protected override void BeginProcessing()
        {
            _givenCredential = Credential;
            _givenRegion = Region;
        }

        protected override void ProcessRecord()
        {
            // Piped credentials (an object with an AccessKeyId, a PSCredential, an SDK credentials object) are used unless some
            // were given explicitly, and the object's Region unless -Region was. Anything else piped (a bucket name, Get-S3BucketDetail's output) names buckets tested with the
            // credentials of the common parameters.
            var bound = MyInvocation.BoundParameters;
            var explicitCredentials = bound.ContainsKey(nameof(AccessKey)) || bound.ContainsKey(nameof(Credential)) || bound.ContainsKey(nameof(AuthFile)) || bound.ContainsKey(nameof(ProfileName));
            var pipedCredential = IsCredentialObject(InputObject);
            Credential = pipedCredential && !explicitCredentials ? InputObject : _givenCredential;
            Region = pipedCredential && !explicitCredentials && !bound.ContainsKey(nameof(Region)) ? FirstOf(InputObject, "Region") : _givenRegion;
            List<string> buckets;
            if (BucketName != null)
                buckets = new List<string> { BucketName };
            else if (InputObject?.BaseObject is string)
                buckets = AllOf(InputObject, null);
            else
            {
                buckets = AllOf(InputObject, "BucketName");
                if (buckets.Count == 0 && !pipedCredential)
                    buckets = AllOf(InputObject, "Name");
            }
            if (buckets.Count == 0)
            {
                ThrowTerminatingError(ErrorRecords.From(S3CredentialsException.InvalidParameter("BucketNameMissing", "BucketName",
                    "-BucketName is needed (or piped bucket names, or an input object with a BucketName property)."), InputObject));
                return;
            }
            var prefixes = Prefix != null ? new List<string> { Prefix } : InputObject?.BaseObject is string ? new List<string>() : AllOf(InputObject, "Prefix");
            if (prefixes.Count == 0) prefixes.Add(null);
            var session = Session;
            foreach (var bucket in buckets)
                foreach (var prefix in prefixes)
                    foreach (var result in RunOperation((host, token) => CredentialTestOperation.RunAsync(session, bucket, prefix, IncludeWrite, host, token), bucket))
                        WriteObject(result);
            ResetSession();
        }

        /// <summary>
        /// Every non-empty value of the property (each element of a list; hashtable keys too); of the object itself when
        /// <paramref name="property"/> is null. A property that is one string holding ", " is a list as a CSV cell writes
        /// it (NameList: Export-Csv, then Import-Csv) and is split back into its names.
        /// </summary>
        private static List<string> AllOf(PSObject value, string property)
        {
            var raw = property == null ? value?.BaseObject : PSObjectValues.Get(value, property);
            var items = raw is string || !(raw is System.Collections.IEnumerable list) ? new[] { raw } : list.Cast<object>();
            var texts = items.Select(item => item?.ToString());
            if (property != null && raw is string cell)
                texts = cell.Split(new[] { NameList.Separator }, StringSplitOptions.None);
            return texts.Where(text => !string.IsNullOrEmpty(text)).Distinct(StringComparer.Ordinal).ToList();
        }

        /// <summary>The property's first non-empty value (the first element of a list); hashtable keys too.</summary>
        private static string FirstOf(PSObject value, string property) => AllOf(value, property).FirstOrDefault();
    }
}
