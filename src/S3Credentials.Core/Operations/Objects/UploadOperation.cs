using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Util;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.HandOff;
using S3Credentials.Core.Policies;

namespace S3Credentials.Core.Operations.Objects
{
    /// <summary>One thing to upload: a file (streamed from disk) or content in memory, and its key.</summary>
    public sealed class UploadSource
    {
        private UploadSource(string key, string filePath, byte[] content)
        {
            Key = key;
            FilePath = filePath;
            Content = content;
        }

        public string Key { get; }
        public string FilePath { get; }
        public byte[] Content { get; }

        public static UploadSource File(string filePath, string key) => new UploadSource(key, filePath, null);
        public static UploadSource Bytes(byte[] content, string key) => new UploadSource(key, null, content);
        public static UploadSource Text(string content, string key) => new UploadSource(key, null, new UTF8Encoding(false).GetBytes(content));

        /// <summary>
        /// The files of local paths, each keyed by prefix + its name; a folder (only with <paramref name="recurse"/>) by
        /// prefix + each file's path relative to it, with '/' between folders; all in key order (ordinal), the order in
        /// which Write-S3Item asks, shows (-WhatIf) and reports them.
        /// </summary>
        public static IReadOnlyList<UploadSource> FromPaths(IEnumerable<string> paths, string prefix, bool recurse)
        {
            var sources = new List<UploadSource>();
            prefix = prefix ?? "";
            foreach (var path in paths)
            {
                if (System.IO.File.Exists(path))
                    sources.Add(File(path, prefix + Path.GetFileName(path)));
                else if (Directory.Exists(path))
                {
                    if (!recurse)
                        throw S3CredentialsException.InvalidParameter("FolderNeedsRecurse", "Recurse",
                            $"'{path}' is a folder: add -Recurse to upload the files in it and its subfolders.");
                    var root = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
                    foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
                        sources.Add(File(file, prefix + file.Substring(root.Length).Replace(Path.DirectorySeparatorChar, '/')));
                }
                else
                    throw new S3CredentialsException("PathNotFound", FailureKind.ObjectNotFound, $"Cannot upload '{path}': no such file or folder.", "Path");
            }
            return sources.OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Write-S3Item's input: where the sources go and how.</summary>
    public sealed class UploadRequest
    {
        public const long MinimumPartSize = 5L * 1024 * 1024;
        public const long DefaultPartSize = 8L * 1024 * 1024;
        public const int MaxParts = 10000;

        public string BucketName { get; set; }
        public IReadOnlyList<UploadSource> Sources { get; set; } = Array.Empty<UploadSource>();
        /// <summary>The Content-Type of every object; by default each key's extension decides (application/octet-stream when unknown).</summary>
        public string ContentType { get; set; }
        /// <summary>How many objects are sent at once.</summary>
        public int ThrottleLimit { get; set; } = DownloadOperation.DefaultThrottleLimit;
        /// <summary>Files larger than this go in parts of this size (more when 10,000 parts would not hold the file).</summary>
        public long PartSize { get; set; } = DefaultPartSize;
        /// <summary>Parts of one file sent at once.</summary>
        public int PartConcurrency { get; set; } = 4;

        public void Validate()
        {
            AwsNames.ValidateBucketName(BucketName);
            BoundedConcurrency.ValidateThrottleLimit(ThrottleLimit);
            foreach (var source in Sources)
                PresignedUrlRequest.ValidateKey(source.Key);
            var duplicate = Sources.GroupBy(s => s.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null)
                throw S3CredentialsException.InvalidParameter("KeyDuplicate", "Path",
                    $"Two sources would be written to the same key '{duplicate.Key}' ({string.Join(", ", duplicate.Select(s => s.FilePath ?? "content"))}); the second would replace the first.");
            if (ContentType != null && (ContentType.IndexOf('/') <= 0 || ContentType.Any(char.IsControl) || ContentType.Length > 255))
                throw S3CredentialsException.InvalidParameter("ContentTypeInvalid", "ContentType",
                    $"-ContentType '{ContentType}' is not a media type: use type/subtype such as text/csv or application/json.");
            if (PartSize < MinimumPartSize)
                throw S3CredentialsException.InvalidParameter("PartSizeTooSmall", "PartSize", $"Parts must be at least {MinimumPartSize} bytes (5 MiB), S3's minimum.");
        }

        /// <summary>The part size for a file: the configured one, or larger so the file fits in 10,000 parts.</summary>
        internal long PartSizeFor(long length) => Math.Max(PartSize, (length + MaxParts - 1) / MaxParts);
    }

    /// <summary>
    /// Write-S3Item: uploads files and content (s3-credentials' put-object and put-objects). A file up to the part size is
    /// one PutObject streamed from disk; a larger one is a multipart upload whose parts are read from the file as they are
    /// sent (a few at once), so memory does not grow with the file. A multipart upload that fails or is stopped (Ctrl+C)
    /// is aborted before the command returns, so no incomplete upload is left to be billed.
    /// </summary>
    public static class UploadOperation
    {
        public const string Activity = "Uploading to S3";
        /// <summary>How long the abort of a stopped upload may take.</summary>
        public static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(30);

        public static async Task RunAsync(AwsSession session, UploadRequest request, Action<ItemResult<string, S3ItemTransfer>> emit,
            IOperationHost host, CancellationToken cancellationToken)
        {
            request.Validate();
            var sizes = request.Sources.Select(s => s.FilePath != null ? new FileInfo(s.FilePath).Length : s.Content.LongLength).ToList();
            using (var s3 = session.CreateS3Client())
            {
                host?.Verbose($"Uploading {request.Sources.Count} object(s), {TransferProgress.Megabytes(sizes.Sum())}, to bucket '{request.BucketName}'.");
                var progress = new TransferProgress(host, Activity, request.Sources.Count, sizes.Sum());
                // Each object is a step with no undo: an upload replaces an object of the same key, and what it replaced
                // cannot be brought back (docs/Write-S3Item.md says so). Asked and reported in key order.
                var planned = request.Sources.Select(source =>
                {
                    S3ItemTransfer written = null;
                    return new PlannedTransfer
                    {
                        Key = source.Key,
                        Step = new OperationStep($"s3://{request.BucketName}/{source.Key}", $"Upload {source.FilePath ?? "content"}")
                        {
                            Do = async ct => { written = await UploadAsync(s3, request, source, progress, host, ct).ConfigureAwait(false); return true; },
                        },
                        Result = () => written,
                        Failure = e => ObjectFailure.Of(e, "s3:PutObject", request.BucketName, source.Key),
                    };
                }).ToList();
                await OrderedTransfers.RunAsync(planned, request.ThrottleLimit, host, progress, emit, cancellationToken).ConfigureAwait(false);
                progress.Complete();
            }
        }

        private static async Task<S3ItemTransfer> UploadAsync(IAmazonS3 s3, UploadRequest request, UploadSource source, TransferProgress progress,
            IOperationHost host, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            var contentType = request.ContentType ?? AmazonS3Util.MimeTypeFromExtension(Path.GetExtension(source.Key));
            var length = source.FilePath != null ? new FileInfo(source.FilePath).Length : source.Content.LongLength;
            var partSize = request.PartSizeFor(length);
            string etag;
            var parts = 1;
            if (source.FilePath == null || length <= partSize)
            {
                var put = new PutObjectRequest { BucketName = request.BucketName, Key = source.Key, ContentType = contentType };
                if (source.FilePath != null) put.FilePath = source.FilePath;
                else put.InputStream = new MemoryStream(source.Content, writable: false);
                long sent = 0;
                put.StreamTransferProgress += (_, e) => { progress.Transferred(e.TransferredBytes - sent); sent = e.TransferredBytes; };
                etag = (await s3.PutObjectAsync(put, cancellationToken).ConfigureAwait(false)).ETag;
            }
            else
            {
                parts = (int)((length + partSize - 1) / partSize);
                etag = await MultipartAsync(s3, request, source, contentType, length, partSize, parts, progress, host, cancellationToken).ConfigureAwait(false);
            }
            return new S3ItemTransfer
            {
                Action = "Uploaded",
                BucketName = request.BucketName,
                Key = source.Key,
                Path = source.FilePath ?? "",
                Size = length,
                ContentType = contentType,
                ETag = etag?.Trim('"'),
                Parts = parts,
                Duration = watch.Elapsed,
            };
        }

        private static async Task<string> MultipartAsync(IAmazonS3 s3, UploadRequest request, UploadSource source, string contentType, long length, long partSize,
            int parts, TransferProgress progress, IOperationHost host, CancellationToken cancellationToken)
        {
            var created = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = request.BucketName, Key = source.Key, ContentType = contentType },
                cancellationToken).ConfigureAwait(false);
            var uploadId = created.UploadId;
            host?.Verbose($"'{source.Key}': multipart upload {uploadId}, {parts} part(s) of {TransferProgress.Megabytes(partSize)}.");
            try
            {
                var etags = new PartETag[parts];
                await TransferProgress.ForEachAsync(Enumerable.Range(1, parts).ToList(), request.PartConcurrency, async (number, partToken) =>
                {
                    var position = (number - 1) * partSize;
                    var part = new UploadPartRequest
                    {
                        BucketName = request.BucketName,
                        Key = source.Key,
                        UploadId = uploadId,
                        PartNumber = number,
                        FilePath = source.FilePath,
                        FilePosition = position,
                        PartSize = Math.Min(partSize, length - position),
                    };
                    long sent = 0;
                    part.StreamTransferProgress += (_, e) => { progress.Transferred(e.TransferredBytes - sent); sent = e.TransferredBytes; };
                    var response = await s3.UploadPartAsync(part, partToken).ConfigureAwait(false);
                    etags[number - 1] = new PartETag(number, response.ETag);
                }, cancellationToken, stopOnFailure: true).ConfigureAwait(false);
                var completed = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = request.BucketName,
                    Key = source.Key,
                    UploadId = uploadId,
                    PartETags = etags.ToList(),
                }, cancellationToken).ConfigureAwait(false);
                return completed.ETag;
            }
            catch (Exception failure)
            {
                await AbortAsync(s3, request.BucketName, source.Key, uploadId, failure, host).ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>Aborts the upload with a time limit of its own (the command's token may already be cancelled); a failed abort is a warning naming the upload.</summary>
        private static async Task AbortAsync(IAmazonS3 s3, string bucket, string key, string uploadId, Exception failure, IOperationHost host)
        {
            using (var limit = new CancellationTokenSource(AbortTimeout))
            {
                try
                {
                    await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, limit.Token).ConfigureAwait(false);
                    host?.Verbose($"'{key}': multipart upload {uploadId} aborted after {(failure is OperationCanceledException ? "the stop" : "the failure")}; its parts are gone.");
                }
                catch (Exception e)
                {
                    host?.Warning($"The incomplete multipart upload {uploadId} of '{key}' in bucket '{bucket}' could not be aborted ({ErrorDescription.Describe(e).Message}); its parts are stored and billed until it is: aws s3api abort-multipart-upload --bucket {bucket} --key \"{key}\" --upload-id {uploadId}");
                }
            }
        }
    }
}
