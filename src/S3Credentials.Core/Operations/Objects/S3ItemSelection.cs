using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Operations.HandOff;
using S3Credentials.Core.Policies;

namespace S3Credentials.Core.Operations.Objects
{
    /// <summary>
    /// Which objects of a bucket a command means: keys or * ? patterns (matched case-sensitively against the whole key),
    /// all under a prefix, or both (patterns within the prefix). Patterns and prefixes are expanded with ListObjectsV2,
    /// each pattern listed under its text before the first wildcard, so 'logs/2026-*' lists only 'logs/2026-'.
    /// </summary>
    public sealed class S3ItemSelection
    {
        public S3ItemSelection(string bucketName, IReadOnlyList<string> keys = null, string prefix = null)
        {
            BucketName = bucketName;
            Keys = keys ?? Array.Empty<string>();
            Prefix = string.IsNullOrEmpty(prefix) ? null : prefix;
        }

        public string BucketName { get; }
        /// <summary>Keys and patterns; none means every object (under <see cref="Prefix"/>).</summary>
        public IReadOnlyList<string> Keys { get; }
        public string Prefix { get; }

        /// <summary>True when the selection is exact keys only: no listing is needed.</summary>
        public bool IsExactKeys => Keys.Count > 0 && Prefix == null && Keys.All(k => !HasWildcards(k));

        public static bool HasWildcards(string key) => key.IndexOf('*') >= 0 || key.IndexOf('?') >= 0;

        /// <summary>Bad input is refused before any request, naming the parameter.</summary>
        public void Validate()
        {
            AwsNames.ValidateBucketName(BucketName);
            foreach (var key in Keys)
                PresignedUrlRequest.ValidateKey(key);
            if (Prefix != null)
                PresignedUrlRequest.ValidateKey(Prefix, "Prefix");
        }

        /// <summary>The text before the first wildcard.</summary>
        internal static string LiteralHead(string pattern)
        {
            var wildcard = pattern.IndexOfAny(new[] { '*', '?' });
            return wildcard < 0 ? pattern : pattern.Substring(0, wildcard);
        }

        /// <summary>The prefixes to list: one per pattern (its literal head, kept within <see cref="Prefix"/>), none covered by another.</summary>
        internal IReadOnlyList<string> ListingPrefixes()
        {
            var prefix = Prefix ?? "";
            if (Keys.Count == 0)
                return new[] { prefix };
            var heads = new List<string>();
            foreach (var head in Keys.Select(LiteralHead))
            {
                if (head.StartsWith(prefix, StringComparison.Ordinal)) heads.Add(head);
                else if (prefix.StartsWith(head, StringComparison.Ordinal)) heads.Add(prefix);
                // else: the pattern cannot match a key under the prefix.
            }
            var sorted = heads.Distinct(StringComparer.Ordinal).OrderBy(h => h, StringComparer.Ordinal).ToList();
            return sorted.Where((h, i) => !sorted.Take(i).Any(shorter => h.StartsWith(shorter, StringComparison.Ordinal))).ToList();
        }

        internal bool Matches(string key, IReadOnlyList<NamePattern> patterns)
            => (Prefix == null || key.StartsWith(Prefix, StringComparison.Ordinal)) && (patterns.Count == 0 || patterns.Any(p => p.IsMatch(key)));

        /// <summary>
        /// The selected objects, each once, in key order per listing prefix: calls <paramref name="onObject"/> page by page as
        /// ListObjectsV2 answers. Returns the exact keys (without wildcards) that matched no object.
        /// </summary>
        internal async Task<IReadOnlyList<string>> ListAsync(IAmazonS3 s3, Action<S3Object> onObject, CancellationToken cancellationToken)
        {
            var patterns = Keys.Select(k => new NamePattern(k, ignoreCase: false)).ToList();
            var found = new HashSet<string>(StringComparer.Ordinal);
            foreach (var listingPrefix in ListingPrefixes())
            {
                string token = null;
                var tokens = new HashSet<string>(StringComparer.Ordinal);
                do
                {
                    ListObjectsV2Response page;
                    try
                    {
                        page = await s3.ListObjectsV2Async(new ListObjectsV2Request
                        {
                            BucketName = BucketName,
                            Prefix = listingPrefix.Length == 0 ? null : listingPrefix,
                            ContinuationToken = token,
                        }, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (!(e is OperationCanceledException))
                    {
                        throw ObjectFailure.Of(e, "s3:ListBucket", BucketName, null, listingPrefix);
                    }
                    foreach (var item in page.S3Objects ?? new List<S3Object>())
                        if (Matches(item.Key, patterns) && found.Add(item.Key))
                            onObject(item);
                    token = page.IsTruncated == true ? page.NextContinuationToken : null;
                    if (token != null && !tokens.Add(token))
                        throw new S3CredentialsException("ListObjectsTokenRepeated", FailureKind.InvalidOperation,
                            $"ListObjectsV2 of bucket '{BucketName}' returned a continuation token it had returned before; listing stopped so as not to loop forever.");
                }
                while (token != null);
            }
            return patterns.Where(p => !p.HasWildcards && !found.Contains(p.Pattern)).Select(p => p.Pattern).ToList();
        }

        /// <summary>The exact keys, or the listed objects' keys with their sizes (null for exact keys, which are not listed).</summary>
        internal async Task<(IReadOnlyList<(string Key, long? Size)> Objects, IReadOnlyList<string> Missing)> ResolveAsync(IAmazonS3 s3, CancellationToken cancellationToken)
        {
            if (IsExactKeys)
                return (Keys.Distinct(StringComparer.Ordinal).Select(k => (k, (long?)null)).ToList(), Array.Empty<string>());
            var objects = new List<(string, long?)>();
            var missing = await ListAsync(s3, o => objects.Add((o.Key, o.Size)), cancellationToken).ConfigureAwait(false);
            return (objects, missing);
        }

        /// <summary>
        /// Whether an object with exactly this key exists: one ListObjectsV2 request under the key with MaxKeys 1. Keys are
        /// listed in byte order and a key sorts before every other key it starts, so the first key listed is it when it
        /// exists. Needs s3:ListBucket, as the listing of patterns does.
        /// </summary>
        internal static async Task<bool> ExistsAsync(IAmazonS3 s3, string bucketName, string key, CancellationToken cancellationToken)
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucketName, Prefix = key, MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
            return page.S3Objects?.FirstOrDefault()?.Key == key;
        }

        /// <summary>The object's plain URL, as s3-credentials' list-bucket --urls gives it (the key's path segments escaped).</summary>
        public static string UrlOf(AwsSession session, string bucketName, string key)
        {
            var path = string.Join("/", key.Split('/').Select(Uri.EscapeDataString));
            if (session.S3EndpointUrl != null)
                return session.S3EndpointUrl.TrimEnd('/') + "/" + bucketName + "/" + path;
            return $"https://{bucketName}.s3.{session.Region}.{session.Partition.DnsSuffix}/{path}";
        }

        internal static S3CredentialsException KeyNotFound(string bucketName, string key)
            => new S3CredentialsException("KeyNotFound", FailureKind.ObjectNotFound,
                $"No object '{key}' in bucket '{bucketName}': ListObjectsV2 did not return it (keys are case-sensitive).", "Key");
    }
}
