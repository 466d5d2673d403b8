using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;

namespace S3Credentials.Core.Operations.Objects
{
    /// <summary>
    /// Remove-S3Item: deletes objects (s3-credentials' delete-objects): keys, patterns or a prefix, each key confirmed
    /// (ShouldProcess), then DeleteObjects in batches of 1,000. A key S3 refuses is that key's error; when the whole batch
    /// is refused, or a key is AccessDenied in it (a store such as moto judges the batch, not each key), those keys are deleted one by one, so what the credentials may
    /// delete still goes and the rest are AccessDenied per key. One summary per bucket counts what was deleted. Each key is
    /// a step of the <see cref="StepRunner"/> with no undo; exact keys are checked first (<see cref="CheckExactKeysAsync"/>) and a
    /// key with no object is KeyNotFound, never asked about or counted; a key gone by the time it is deleted counts as deleted; Ctrl+C part-way names
    /// what is left in a warning.
    /// </summary>
    public static class RemoveItemOperation
    {
        public const int BatchSize = 1000;
        public const string Activity = "Deleting S3 objects";

        public static async Task RunAsync(AwsSession session, IReadOnlyList<S3ItemSelection> selections, Action<ItemResult<string, S3ItemRemoval>> emit,
            IOperationHost host, CancellationToken cancellationToken)
        {
            if (host == null) throw new ArgumentNullException(nameof(host));
            foreach (var selection in selections)
                selection.Validate();
            using (var s3 = session.CreateS3Client())
            {
                foreach (var bucket in selections.GroupBy(s => s.BucketName, StringComparer.Ordinal))
                {
                    var keys = new List<string>();
                    var existing = await CheckExactKeysAsync(s3, bucket.Key, bucket.Where(s => s.IsExactKeys).SelectMany(s => s.Keys).ToList(), host, cancellationToken).ConfigureAwait(false);
                    foreach (var selection in bucket)
                    {
                        if (selection.IsExactKeys)
                        {
                            foreach (var key in selection.Keys)
                            {
                                if (!existing.TryGetValue(key, out var error)) keys.Add(key);
                                else if (error != null) emit(new ItemResult<string, S3ItemRemoval>(key, null, error));
                            }
                            continue;
                        }
                        try
                        {
                            var (objects, missing) = await selection.ResolveAsync(s3, cancellationToken).ConfigureAwait(false);
                            keys.AddRange(objects.Select(o => o.Key));
                            foreach (var key in missing)
                                emit(new ItemResult<string, S3ItemRemoval>(key, null, S3ItemSelection.KeyNotFound(bucket.Key, key)));
                        }
                        catch (Exception e) when (!(e is OperationCanceledException))
                        {
                            emit(new ItemResult<string, S3ItemRemoval>(bucket.Key, null, e));
                        }
                    }
                    // Each key is a step with no undo (a deleted object cannot come back), asked on its own; the approved ones
                    // are deleted in batches of 1,000, each batch a step approved with its keys' questions.
                    var runner = new StepRunner(host);
                    var confirmed = keys.Distinct(StringComparer.Ordinal)
                        .Where(k => runner.Ask($"s3://{bucket.Key}/{k}", "", new[] { new OperationStep($"s3://{bucket.Key}/{k}", "Delete object") }))
                        .ToList();
                    if (confirmed.Count == 0 || runner.IsWhatIf)
                        continue;
                    var deleted = new List<string>();
                    var failed = 0;
                    try
                    {
                        for (var start = 0; start < confirmed.Count; start += BatchSize)
                        {
                            var batch = confirmed.Skip(start).Take(BatchSize).ToList();
                            IReadOnlyList<(string Key, Exception Error)> results = null;
                            await runner.RunApprovedAsync(new OperationStep($"bucket {bucket.Key}", $"Delete {batch.Count} object(s)")
                            {
                                Asks = false,
                                // Already gone is what was wanted: S3 answers a missing key as deleted, and NoSuchKey counts as done.
                                Do = async ct => { results = await DeleteBatchAsync(s3, bucket.Key, batch, ct).ConfigureAwait(false); return true; },
                            }, cancellationToken).ConfigureAwait(false);
                            foreach (var (key, error) in results)
                            {
                                if (error == null) deleted.Add(key);
                                else
                                {
                                    failed++;
                                    emit(new ItemResult<string, S3ItemRemoval>(key, null, error));
                                }
                            }
                            if (confirmed.Count > BatchSize)
                                host.Progress(Activity, $"{start + batch.Count} of {confirmed.Count} object(s) in '{bucket.Key}'", (start + batch.Count) * 100 / confirmed.Count);
                        }
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        // Stopped (Ctrl+C) part-way: what is deleted cannot come back, so say what is left.
                        host.Warning($"Deleting objects in bucket '{bucket.Key}' was stopped part-way: {deleted.Count} of {confirmed.Count} object(s) deleted (they cannot come back; the batch being sent may have deleted more), the rest are left. Run Remove-S3Item again to finish.");
                        throw;
                    }
                    if (confirmed.Count > BatchSize)
                        host.Progress(Activity, "Done", -1);
                    host.Verbose($"Bucket '{bucket.Key}': {deleted.Count} object(s) deleted, {failed} refused, in {(confirmed.Count + BatchSize - 1) / BatchSize} DeleteObjects request(s).");
                    emit(new ItemResult<string, S3ItemRemoval>(bucket.Key, new S3ItemRemoval
                    {
                        BucketName = bucket.Key,
                        DeletedCount = deleted.Count,
                        FailedCount = failed,
                        Deleted = new NameList(deleted),
                    }, null));
                }
            }
        }

        /// <summary>
        /// Checks exact keys (not chosen by a listing) before anything is asked or deleted: one ListObjectsV2 request per
        /// distinct key (<see cref="S3ItemSelection.ExistsAsync"/>), <see cref="CheckWindow"/> at a time. Returns the keys
        /// not to delete, each with its error: KeyNotFound for a key with no object, the listing's failure for a key that
        /// could not be checked. Credentials that may delete but not list (s3:ListBucket refused) cannot check: their keys
        /// are deleted as given, as before, and one warning says so.
        /// </summary>
        private static async Task<Dictionary<string, Exception>> CheckExactKeysAsync(IAmazonS3 s3, string bucket, IReadOnlyList<string> keys, IOperationHost host, CancellationToken cancellationToken)
        {
            var skipped = new Dictionary<string, Exception>(StringComparer.Ordinal);
            var distinct = keys.Distinct(StringComparer.Ordinal).ToList();
            if (distinct.Count == 0) return skipped;
            var notChecked = 0;
            await BoundedConcurrency.StreamAsync(distinct, CheckWindow, async (key, ct) =>
            {
                try
                {
                    return await S3ItemSelection.ExistsAsync(s3, bucket, key, ct).ConfigureAwait(false) ? (bool?)true : false;
                }
                catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
                {
                    return null;
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    throw ObjectFailure.Of(e, "s3:ListBucket", bucket, null, key);
                }
            }, result =>
            {
                if (result.Error != null) skipped[result.Input] = result.Error;
                else if (result.Value == false) skipped[result.Input] = S3ItemSelection.KeyNotFound(bucket, result.Input);
                else if (result.Value == null) notChecked++;
            }, host, Activity, cancellationToken).ConfigureAwait(false);
            if (notChecked > 0)
                host.Warning($"Could not check which of {notChecked} key(s) exist in bucket '{bucket}' (s3:ListBucket was refused): they are deleted as given, and a key with no object counts as deleted.");
            return skipped;
        }

        /// <summary>How many existence checks of exact keys are in flight at once.</summary>
        public const int CheckWindow = 8;

        private static async Task<IReadOnlyList<(string Key, Exception Error)>> DeleteBatchAsync(IAmazonS3 s3, string bucket, IReadOnlyList<string> keys, CancellationToken cancellationToken)
        {
            DeleteObjectsResponse response;
            try
            {
                response = await s3.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = bucket,
                    Objects = keys.Select(k => new KeyVersion { Key = k }).ToList(),
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (DeleteObjectsException partial)
            {
                response = partial.Response;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
            {
                return await DeleteOneByOneAsync(s3, bucket, keys, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                var failure = ObjectFailure.Of(e, "s3:DeleteObject", bucket, null);
                return keys.Select(k => (k, failure)).ToList();
            }
            var errors = (response.DeleteErrors ?? new List<DeleteError>()).GroupBy(e => e.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            // A store that judges the batch rather than each key (moto) refuses every key alike: the refused keys are tried alone.
            foreach (var gone in errors.Where(e => e.Value.Code == "NoSuchKey").Select(e => e.Key).ToList())
                errors.Remove(gone);
            var denied = keys.Where(k => errors.TryGetValue(k, out var error) && error.Code == "AccessDenied").ToList();
            var alone = denied.Count == 0 ? new Dictionary<string, Exception>()
                : (await DeleteOneByOneAsync(s3, bucket, denied, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Key, r => r.Error, StringComparer.Ordinal);
            return keys.Select(k => (k, alone.TryGetValue(k, out var retried) ? retried : errors.TryGetValue(k, out var error) ? KeyError(bucket, error) : null)).ToList();
        }

        /// <summary>DeleteObject per key, for keys a whole batch was refused for: what the credentials may delete goes, the rest is AccessDenied per key.</summary>
        private static async Task<IReadOnlyList<(string Key, Exception Error)>> DeleteOneByOneAsync(IAmazonS3 s3, string bucket, IReadOnlyList<string> keys, CancellationToken cancellationToken)
        {
            var results = new List<(string, Exception)>();
            foreach (var key in keys)
            {
                try
                {
                    await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
                    results.Add((key, null));
                }
                catch (AmazonS3Exception gone) when (gone.ErrorCode == "NoSuchKey")
                {
                    results.Add((key, null));
                }
                catch (AmazonS3Exception one)
                {
                    results.Add((key, ObjectFailure.Of(one, "s3:DeleteObject", bucket, key)));
                }
            }
            return results;
        }

        private static Exception KeyError(string bucket, DeleteError error)
        {
            var denied = error.Code == "AccessDenied";
            var message = denied
                ? $"Access denied: s3:DeleteObject on '{error.Key}' in bucket '{bucket}' was refused; these credentials may not do that. ({error.Message}, AWS error {error.Code})"
                : $"s3:DeleteObject on '{error.Key}' in bucket '{bucket}' failed: {error.Message} (AWS error {error.Code})";
            return new S3CredentialsException("Aws." + error.Code, denied ? FailureKind.PermissionDenied : FailureKind.InvalidOperation, message);
        }
    }
}
