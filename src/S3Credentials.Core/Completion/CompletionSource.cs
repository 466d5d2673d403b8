using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Profiles;

namespace S3Credentials.Core.Completion
{
    /// <summary>
    /// Names for tab completion: profiles from the shared files, regions from the SDK, and buckets, users and roles
    /// from AWS (cached in the session's <see cref="S3CredentialsState"/> for its CompletionCacheLifetime per account,
    /// endpoint and kind, and bounded by its CompletionLookupTimeout so a slow or unreachable AWS never hangs the
    /// prompt). Failures give no completions rather than errors.
    /// </summary>
    public static class CompletionSource
    {

        /// <summary>
        /// Section names of the shared credentials and config files ([profile x] in config counts as x), read from the
        /// same files the resolver and Register-S3CredentialProfile use.
        /// </summary>
        public static IReadOnlyList<string> ProfileNames(string profileLocation = null)
        {
            var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            var credentials = SessionResolver.CredentialsFileLocation(profileLocation) ?? Amazon.Runtime.CredentialManagement.SharedCredentialsFile.DefaultFilePath;
            foreach (var section in SectionNames(credentials))
                names.Add(section);
            foreach (var section in SectionNames(CredentialProcessProfile.ConfigPath(null)))
            {
                if (section.StartsWith("profile ", StringComparison.Ordinal)) names.Add(section.Substring(8).Trim());
                else if (section == "default") names.Add(section);
            }
            return names.ToList();
        }

        /// <summary>The regions -Region accepts without a custom endpoint (<see cref="AwsRegions"/>).</summary>
        public static IReadOnlyList<string> RegionNames() => AwsRegions.All;

        public static IReadOnlyList<string> BucketNames(AwsSession session)
            => Cached(session, "buckets", async (s, ct) =>
            {
                using (var s3 = s.CreateS3Client())
                    return (await s3.ListBucketsAsync(ct).ConfigureAwait(false)).Buckets?.Select(b => b.BucketName).ToList() ?? new List<string>();
            });

        public static IReadOnlyList<string> UserNames(AwsSession session)
            => Cached(session, "users", async (s, ct) =>
            {
                using (var iam = s.CreateIamClient())
                    return (await IamPager.CollectAsync((m, c) => iam.ListUsersAsync(m, cancellationToken: c), ct).ConfigureAwait(false)).Select(u => u.UserName).ToList();
            });

        public static IReadOnlyList<string> RoleNames(AwsSession session)
            => Cached(session, "roles", async (s, ct) =>
            {
                using (var iam = s.CreateIamClient())
                    return (await IamPager.CollectAsync((m, c) => iam.ListRolesAsync(m, cancellationToken: c), ct).ConfigureAwait(false)).Select(r => r.RoleName).ToList();
            });

        /// <summary>
        /// Keys for -Key, like paths: what lies directly under the folder of <paramref name="typed"/> (its text up to the
        /// last /), objects and folders (common prefixes, ending in /), from one ListObjectsV2 page with delimiter "/",
        /// cached like the bucket names per bucket and folder; those starting with what was typed (case-sensitive, as keys
        /// are), in key order. Nothing without a bucket or when the listing fails.
        /// </summary>
        public static IReadOnlyList<string> KeyNames(AwsSession session, string bucketName, string typed)
        {
            if (string.IsNullOrEmpty(bucketName)) return Array.Empty<string>();
            var text = (typed ?? "").Trim('\'', '"');
            var folder = text.Substring(0, text.LastIndexOf('/') + 1);
            var names = Cached(session, "keys|" + bucketName + "|" + folder, async (s, ct) =>
            {
                using (var s3 = s.CreateS3Client())
                {
                    var page = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request
                    {
                        BucketName = bucketName,
                        Prefix = folder.Length == 0 ? null : folder,
                        Delimiter = "/",
                    }, ct).ConfigureAwait(false);
                    return (page.CommonPrefixes ?? new List<string>()).Concat((page.S3Objects ?? new List<Amazon.S3.Model.S3Object>()).Select(o => o.Key))
                        .Where(k => k.Length > folder.Length).OrderBy(k => k, StringComparer.Ordinal).ToList();
                }
            });
            return names.Where(n => n.StartsWith(text, StringComparison.Ordinal)).ToList();
        }

        /// <summary>
        /// The durations worth offering for a duration parameter, shortest first: -Expires (a presigned URL) up to the
        /// 7 days SigV4 allows, the others (-Duration, -SessionDuration) the 15m to 12h a role session allows, and
        /// up to 36h when <paramref name="federationToken"/> (-Method FederationToken) is chosen.
        /// </summary>
        public static IReadOnlyList<string> Durations(string parameterName, bool federationToken = false)
        {
            if (string.Equals(parameterName, "Expires", StringComparison.OrdinalIgnoreCase))
                return new[] { "5m", "15m", "30m", "1h", "4h", "12h", "1d", "7d" };
            var session = new List<string> { "15m", "30m", "1h", "2h", "4h", "8h", "12h" };
            if (federationToken) session.AddRange(new[] { "24h", "36h" });
            return session;
        }

        /// <summary>Values starting with what was typed (case-insensitive), in their own order.</summary>
        public static IEnumerable<string> StartingWith(IEnumerable<string> values, string typed)
        {
            var prefix = (typed ?? "").Trim('\'', '"');
            return values.Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>Names starting with what was typed (case-insensitive), sorted.</summary>
        public static IEnumerable<string> Matching(IEnumerable<string> names, string typed)
        {
            return StartingWith(names, typed).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
        }

        private static IReadOnlyList<string> Cached(AwsSession session, string kind, Func<AwsSession, CancellationToken, Task<List<string>>> fetch)
        {
            string key;
            try
            {
                var accessKey = session.Credentials.GetCredentials().AccessKey;
                key = string.Join("|", kind, accessKey, session.Region, session.S3EndpointUrl, session.IamEndpointUrl);
            }
            catch (Exception)
            {
                return Array.Empty<string>();
            }
            var state = session.State;
            if (state.CompletionNames.TryGetValue(key, out var entry) && entry.Expires > DateTime.UtcNow)
                return entry.Names;
            try
            {
                using (var timeout = new CancellationTokenSource(state.CompletionLookupTimeout))
                {
                    var names = Task.Run(() => fetch(session, timeout.Token)).GetAwaiter().GetResult();
                    state.CompletionNames[key] = (DateTime.UtcNow + state.CompletionCacheLifetime, names);
                    return names;
                }
            }
            catch (Exception)
            {
                return Array.Empty<string>(); // completion must never throw at the prompt
            }
        }

        private static IEnumerable<string> SectionNames(string path)
        {
            try
            {
                return File.Exists(path) ? IniSectionEditor.SectionNames(File.ReadAllText(path)) : Array.Empty<string>();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                return Array.Empty<string>(); // completion must never throw at the prompt
            }
        }
    }
}
