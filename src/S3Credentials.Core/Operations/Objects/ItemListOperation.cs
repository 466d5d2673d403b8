using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3.Model;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;

namespace S3Credentials.Core.Operations.Objects
{
    /// <summary>
    /// Get-S3Item: the objects of a bucket, all or under a prefix or matching * ? patterns (s3-credentials' list-bucket,
    /// with --urls' URL on every row). Each page of ListObjectsV2 is handed on as it arrives. A key without wildcards that
    /// matches no object is a KeyNotFound result; a refused or failed listing is the bucket's error.
    /// </summary>
    public static class ItemListOperation
    {
        public static async Task RunAsync(AwsSession session, S3ItemSelection selection, Action<ItemResult<string, S3Item>> emit,
            IOperationHost host, CancellationToken cancellationToken)
        {
            selection.Validate();
            using (var s3 = session.CreateS3Client())
            {
                var count = 0;
                try
                {
                    var missing = await selection.ListAsync(s3, item =>
                    {
                        count++;
                        emit(new ItemResult<string, S3Item>(item.Key, ToItem(session, selection.BucketName, item), null));
                    }, cancellationToken).ConfigureAwait(false);
                    foreach (var key in missing)
                        emit(new ItemResult<string, S3Item>(key, null, S3ItemSelection.KeyNotFound(selection.BucketName, key)));
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    emit(new ItemResult<string, S3Item>(selection.BucketName, null, e));
                }
                host?.Verbose($"Bucket '{selection.BucketName}': {count} object(s) listed.");
            }
        }

        internal static S3Item ToItem(AwsSession session, string bucketName, S3Object item) => new S3Item
        {
            BucketName = bucketName,
            Key = item.Key,
            Size = item.Size ?? 0,
            LastModified = item.LastModified?.ToUniversalTime(),
            ETag = item.ETag?.Trim('"'),
            StorageClass = item.StorageClass?.Value,
            Url = S3ItemSelection.UrlOf(session, bucketName, item.Key),
        };
    }
}
