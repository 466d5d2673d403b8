using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3.Model;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;

namespace S3Credentials.Core.Operations.Objects
{
    /// <summary>
    /// Save-S3Item: downloads objects (s3-credentials' get-object and get-objects). One exact key and a destination that
    /// is not a folder (and does not end in a separator) is saved as that file; otherwise every key becomes a relative
    /// path under the destination folder, and a key that would land outside it ('..' segments, a drive or root) is
    /// refused. Each object streams from GetObject into a hidden partial file beside its target, which replaces the
    /// target only once complete, so a failed or stopped download leaves no half file.
    /// </summary>
    public static class DownloadOperation
    {
        public const string Activity = "Downloading S3 objects";
        public const int DefaultThrottleLimit = 8;
        private const int BufferSize = 81920;

        public static async Task RunAsync(AwsSession session, IReadOnlyList<S3ItemSelection> selections, string destination, int throttleLimit,
            Action<ItemResult<string, S3ItemTransfer>> emit, IOperationHost host, CancellationToken cancellationToken)
        {
            foreach (var selection in selections)
                selection.Validate();
            BoundedConcurrency.ValidateThrottleLimit(throttleLimit);
            if (string.IsNullOrEmpty(destination))
                throw S3CredentialsException.InvalidParameter("DestinationEmpty", "Destination", "-Destination is empty: give a folder, or a file for one object.");
            var root = Path.GetFullPath(destination);
            var exactKeys = selections.Where(s => s.IsExactKeys).SelectMany(s => s.Keys.Select(k => (s.BucketName, k))).Distinct().Count();
            var toFile = selections.All(s => s.IsExactKeys) && exactKeys == 1 && !Directory.Exists(root) && !EndsWithSeparator(destination);

            using (var s3 = session.CreateS3Client())
            {
                var work = new List<(string Bucket, string Key, long? Size)>();
                foreach (var selection in selections)
                {
                    try
                    {
                        var (objects, missing) = await selection.ResolveAsync(s3, cancellationToken).ConfigureAwait(false);
                        work.AddRange(objects.Select(o => (selection.BucketName, o.Key, o.Size)));
                        foreach (var key in missing)
                            emit(new ItemResult<string, S3ItemTransfer>(key, null, S3ItemSelection.KeyNotFound(selection.BucketName, key)));
                    }
                    catch (Exception e) when (!(e is OperationCanceledException))
                    {
                        emit(new ItemResult<string, S3ItemTransfer>(selection.BucketName, null, e));
                    }
                }
                host?.Verbose(toFile ? $"Saving one object as the file '{root}'." : $"Saving {work.Count} object(s) under the folder '{root}'.");
                var progress = new TransferProgress(host, Activity, work.Count, work.Sum(w => w.Size ?? 0));
                // Each object is a step with no undo: saving replaces a file of the same name, and what it replaced cannot
                // be brought back (docs/Save-S3Item.md says so). The file is written whole or not at all. Asked and
                // reported in the order listed (key order), as Get-S3Item gives them.
                var planned = work.Select(item =>
                {
                    string target;
                    try
                    {
                        target = toFile ? root : TargetPath(root, item.Key);
                    }
                    catch (Exception e)
                    {
                        return new PlannedTransfer { Key = item.Key, Error = ObjectFailure.Of(e, "s3:GetObject", item.Bucket, item.Key) };
                    }
                    if (target == null)
                    {
                        host?.Verbose($"'{item.Key}' ends in '/': a folder marker, nothing to save.");
                        return null;
                    }
                    S3ItemTransfer saved = null;
                    return new PlannedTransfer
                    {
                        Key = item.Key,
                        Step = new OperationStep(target, $"Save s3://{item.Bucket}/{item.Key}")
                        {
                            Do = async ct => { saved = await SaveAsync(s3, item.Bucket, item.Key, target, item.Size == null, progress, ct).ConfigureAwait(false); return true; },
                        },
                        Result = () => saved,
                        Failure = e => ObjectFailure.Of(e, "s3:GetObject", item.Bucket, item.Key),
                    };
                }).ToList();
                await OrderedTransfers.RunAsync(planned, throttleLimit, host, progress, emit, cancellationToken).ConfigureAwait(false);
                progress.Complete();
            }
        }

        private static bool EndsWithSeparator(string path)
            => path.EndsWith("/", StringComparison.Ordinal) || path.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal);

        /// <summary>
        /// Where a key is saved under the folder: its '/' segments as folders. Null for a folder marker (a key ending in
        /// '/'). A key that could reach outside the folder is refused: '..' or '.' segments, a backslash segment of that
        /// kind, a rooted path or a drive.
        /// </summary>
        public static string TargetPath(string root, string key)
        {
            if (key.EndsWith("/", StringComparison.Ordinal))
                return null;
            var segments = key.Split('/', '\\');
            if (segments.Any(s => s == ".." || s == ".") || key.IndexOf(':') >= 0 && Path.DirectorySeparatorChar == '\\' || key.IndexOf('\0') >= 0)
                throw UnsafeKey(key, root);
            var relative = Path.Combine(segments.Where(s => s.Length > 0).ToArray());
            var full = Path.GetFullPath(Path.Combine(root, relative));
            var folder = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? root : root + Path.DirectorySeparatorChar;
            if (!full.StartsWith(folder, StringComparison.Ordinal))
                throw UnsafeKey(key, root);
            return full;
        }

        private static S3CredentialsException UnsafeKey(string key, string root)
            => new S3CredentialsException("UnsafeKey", FailureKind.InvalidArgument,
                $"Key '{key}' was not saved: as a path it would lead outside the folder '{root}' ('..' or '.' segments, a root or a drive). Save it alone with -Destination naming a file.", "Key");

        private static async Task<S3ItemTransfer> SaveAsync(Amazon.S3.IAmazonS3 s3, string bucket, string key, string target, bool sizeUnknown,
            TransferProgress progress, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            var folder = Path.GetDirectoryName(target);
            Directory.CreateDirectory(folder);
            var partial = Path.Combine(folder, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");
            try
            {
                using (var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false))
                {
                    if (sizeUnknown)
                        progress.AddKnownBytes(response.ContentLength);
                    long size = 0;
                    using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
                    {
                        var buffer = new byte[BufferSize];
                        int read;
                        while ((read = await response.ResponseStream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            await file.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                            size += read;
                            progress.Transferred(read);
                        }
                    }
                    if (response.ContentLength >= 0 && size != response.ContentLength)
                        throw new S3CredentialsException("DownloadIncomplete", FailureKind.ConnectionError,
                            $"'{key}' in bucket '{bucket}' arrived incomplete: {size} of {response.ContentLength} bytes. Nothing was saved.");
                    if (response.LastModified is DateTime modified)
                        File.SetLastWriteTimeUtc(partial, modified.ToUniversalTime());
                    if (File.Exists(target))
                        File.Delete(target);
                    File.Move(partial, target);
                    return new S3ItemTransfer
                    {
                        Action = "Downloaded",
                        BucketName = bucket,
                        Key = key,
                        Path = target,
                        Size = size,
                        ContentType = response.Headers?.ContentType,
                        ETag = response.ETag?.Trim('"'),
                        Parts = 1,
                        Duration = watch.Elapsed,
                    };
                }
            }
            finally
            {
                if (File.Exists(partial))
                    File.Delete(partial);
            }
        }
    }
}
