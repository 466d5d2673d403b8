using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.Objects;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Uploads files, folders (-Recurse) and piped files or paths, or text and bytes given with -Key (s3-credentials'
    /// put-object and put-objects); the Content-Type comes from each key's extension. Large files go in parts read from
    /// disk as they are sent; Ctrl+C aborts the multipart upload. Write is the verb of sending data to a target;
    /// AWS.Tools.S3 owns Write-S3Object.
    /// </summary>
    [Cmdlet(VerbsCommunications.Write, "S3Item", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(S3ItemTransfer))]
    public sealed class WriteS3ItemCommand : S3CredentialsCmdlet
    {
        private const string PathSet = "Path";
        private const string ContentSet = "Content";
        private readonly List<string> _paths = new List<string>();
        private readonly List<object> _content = new List<object>();

        /// <summary>The bucket to upload to.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Bucket")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string BucketName { get; set; }

        /// <summary>Files or folders (wildcards allowed); from the pipeline as paths or Get-ChildItem's output.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        /// <summary>Put before each file's name (or its path inside a folder) to make its key, such as 'photos/2026/'.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string Prefix { get; set; }

        /// <summary>Upload the files of folders and their subfolders.</summary>
        [Parameter(ParameterSetName = PathSet)]
        public SwitchParameter Recurse { get; set; }

        /// <summary>The key of the object made from -Content.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ContentSet)]
        [ValidateNotNullOrEmpty]
        public string Key { get; set; }

        /// <summary>The object's content: text (UTF-8; several strings are joined by newlines), bytes, or one file (a FileInfo).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ContentSet, ValueFromPipeline = true)]
        [AllowEmptyString]
        public PSObject Content { get; set; }

        /// <summary>The Content-Type of every object written; by default each key's extension decides.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ContentType { get; set; }

        /// <summary>How many objects are uploaded at once.</summary>
        [Parameter]
        [ValidateThrottleLimit]
        public int ThrottleLimit { get; set; } = DownloadOperation.DefaultThrottleLimit;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ContentSet)
            {
                if (Content?.BaseObject is object[] many) _content.AddRange(many);
                else _content.Add(Content?.BaseObject);
                return;
            }
            foreach (var path in Path)
            {
                try
                {
                    var resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
                    if (provider.ImplementingType != typeof(FileSystemProvider))
                        throw S3CredentialsException.InvalidParameter("PathNotFileSystem", "Path", $"'{path}' is not a file system path (it is in the {provider.Name} provider).");
                    _paths.AddRange(resolved);
                }
                catch (ItemNotFoundException e)
                {
                    WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, path));
                }
                catch (S3CredentialsException e)
                {
                    WriteError(ErrorRecords.From(e, path));
                }
            }
        }

        protected override void EndProcessing()
        {
            IReadOnlyList<UploadSource> sources;
            try
            {
                sources = ParameterSetName == ContentSet ? new[] { ContentSource() } : UploadSource.FromPaths(_paths.Distinct(StringComparer.Ordinal), Prefix, Recurse);
            }
            catch (S3CredentialsException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, Key ?? (object)Path));
                return;
            }
            if (sources.Count == 0) return;
            var session = Session;
            var request = new UploadRequest { BucketName = BucketName, Sources = sources, ContentType = ContentType, ThrottleLimit = ThrottleLimit };
            StreamItemResults<string, S3ItemTransfer>((host, emit, token) => UploadOperation.RunAsync(session, request, emit, host, token), target: BucketName, finishInFlight: true);
        }

        /// <summary>
        /// -Content as one source: a FileInfo alone is that file; bytes are joined; strings (null as empty) are text, lines
        /// joined by "\n". Anything else (a hashtable, a number, an object) is refused rather than uploaded as its ToString().
        /// </summary>
        private UploadSource ContentSource()
        {
            var items = _content.Select(c => c is PSObject wrapped ? wrapped.BaseObject : c).ToList();
            if (items.Count == 1 && items[0] is FileInfo file)
                return UploadSource.File(file.FullName, Key);
            if (items.Any(i => i is FileInfo))
                throw S3CredentialsException.InvalidParameter("ContentMixed", "Content", "-Content takes one file (a FileInfo) alone; to upload several files use -Path.");
            if (items.Count > 0 && items.All(i => i is byte || i is byte[]))
                return UploadSource.Bytes(items.SelectMany(i => i is byte b ? new[] { b } : (byte[])i).ToArray(), Key);
            var other = items.FirstOrDefault(i => i != null && !(i is string));
            if (other != null)
                throw S3CredentialsException.InvalidParameter("ContentUnsupportedType", "Content",
                    $"-Content takes text (strings), bytes (a byte[]) or one file (a FileInfo), not a {other.GetType().FullName}: convert it first, such as with ConvertTo-Json or Out-String.");
            return UploadSource.Text(string.Join("\n", items.Select(i => (string)i ?? "")), Key);
        }
    }
}
