using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// Get-S3BucketDetail: the buckets the account owns (all, or those matching names and * ? patterns) with their
    /// region, ACL, public access block, website, bucket policy and policy status; s3-credentials' list-buckets
    /// --details and debug-bucket. ListBuckets is read first (every page); then each bucket's
    /// <see cref="RequestsPerBucket"/> to <see cref="MaxRequestsPerBucket"/> requests are sent (see ReadAsync), every request of every bucket within one bound on the
    /// requests in flight (<c>throttleLimit</c>, a <see cref="RequestGate"/>). A bucket that fails, or a name that matches
    /// no bucket, is that item's error; the others go on.
    /// </summary>
    public static class BucketDetailOperation
    {
        public const string Activity = "Reading S3 bucket details";
        /// <summary>GetBucketAcl, GetPublicAccessBlock, GetBucketWebsite, GetBucketPolicy, GetBucketCors: sent for every bucket, together.</summary>
        public const int RequestsPerBucket = 5;
        /// <summary>
        /// With GetBucketLocation, for a bucket whose region ListBuckets did not give (moto 5.2 and Ceph RGW do not), and
        /// GetBucketPolicyStatus, after GetBucketPolicy, for a bucket that has a policy.
        /// </summary>
        public const int MaxRequestsPerBucket = RequestsPerBucket + 2;
        /// <summary>
        /// Twice the IAM cmdlets' 8: these are S3 reads, which S3 serves at thousands a second per bucket prefix, where IAM
        /// throttles an account far sooner. At 8, 50 ms round trips leave an S3 that answers in 5 ms idle between bursts
        /// (bench/README.md: 100 buckets took 1.75× the time of the same calls without the latency, 1.08× at 16).
        /// </summary>
        public const int DefaultThrottleLimit = 16;
        /// <summary>
        /// Buckets started ahead of the last one handed on, per request allowed in flight: a bucket is 5 to 7 requests, so 2
        /// keep 10 or more waiting per slot, enough for the gate to stay busy while a bucket's GetBucketPolicyStatus waits
        /// its turn; fewer than the IAM listings' 4 (an item there is 1 or 2 requests), so that a consumer that stops early
        /// (Select-Object -First) has not started 64 buckets at the default limit.
        /// </summary>
        internal const int BucketsAheadPerRequest = 2;
        public const int MaxThrottleLimit = BoundedConcurrency.MaxLimit;
        /// <summary>The largest page ListBuckets allows; asking for pages makes S3 return a continuation token when there are more.</summary>
        public const int MaxBucketsPerPage = 10000;

        public static Task<IReadOnlyList<ItemResult<string, S3BucketDetail>>> RunAsync(AwsSession session, IReadOnlyList<string> bucketNames, int throttleLimit,
            IOperationHost host, CancellationToken cancellationToken)
            => IamInspection.CollectAsync<string, S3BucketDetail>(onResult => StreamAsync(session, bucketNames, throttleLimit, host, onResult, cancellationToken));

        /// <summary>
        /// The names that match no bucket first (each a BucketNotFound error), then the selected buckets in name order, each
        /// handed on as soon as it and the buckets before it are read. Every request of every bucket shares one bound on the
        /// requests in flight (<paramref name="throttleLimit"/>); at most <see cref="BucketsAheadPerRequest"/> ×
        /// that many buckets are started ahead of the last one handed on, so a consumer that stops early stops the reads.
        /// </summary>
        public static async Task StreamAsync(AwsSession session, IReadOnlyList<string> bucketNames, int throttleLimit,
            IOperationHost host, Action<ItemResult<string, S3BucketDetail>> onResult, CancellationToken cancellationToken)
        {
            var patterns = BucketNamePattern.ParseAll(bucketNames);
            BoundedConcurrency.ValidateThrottleLimit(throttleLimit);

            using (var s3 = session.CreateS3Client())
            using (var gate = new RequestGate(throttleLimit))
            {
                var buckets = await ListBucketsAsync(s3, cancellationToken).ConfigureAwait(false);
                var selected = patterns.Count == 0 ? buckets : buckets.Where(b => patterns.Any(p => p.IsMatch(b.BucketName))).ToList();
                foreach (var name in patterns.Where(p => !p.HasWildcards && !buckets.Any(b => p.IsMatch(b.BucketName))).Select(p => p.Text).Distinct(StringComparer.Ordinal))
                    onResult(new ItemResult<string, S3BucketDetail>(name, null, NotFound(name, buckets)));
                host?.Verbose($"ListBuckets returned {buckets.Count} bucket(s); {selected.Count} selected. Reading {RequestsPerBucket} settings of each, "
                    + $"GetBucketLocation too for the {selected.Count(b => string.IsNullOrEmpty(b.BucketRegion))} whose region ListBuckets did not give, "
                    + $"GetBucketPolicyStatus for those with a policy; at most {throttleLimit} request(s) in flight.");

                await BoundedConcurrency.StreamAsync(selected, throttleLimit * BucketsAheadPerRequest, (bucket, ct) => ReadAsync(s3, gate, bucket, ct),
                    r => onResult(new ItemResult<string, S3BucketDetail>(r.Input.BucketName, r.Value, r.Error)), host, Activity, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Every bucket of every page, once each, sorted by name (ordinal, as S3 lists them).</summary>
        internal static async Task<IReadOnlyList<S3Bucket>> ListBucketsAsync(IAmazonS3 s3, CancellationToken cancellationToken)
        {
            var byName = new Dictionary<string, S3Bucket>(StringComparer.Ordinal);
            var tokens = new HashSet<string>(StringComparer.Ordinal);
            string token = null;
            do
            {
                var response = await s3.ListBucketsAsync(new ListBucketsRequest { MaxBuckets = MaxBucketsPerPage, ContinuationToken = token }, cancellationToken).ConfigureAwait(false);
                foreach (var bucket in response.Buckets ?? new List<S3Bucket>())
                    if (!string.IsNullOrEmpty(bucket.BucketName) && !byName.ContainsKey(bucket.BucketName))
                        byName.Add(bucket.BucketName, bucket);
                token = response.ContinuationToken;
                if (!string.IsNullOrEmpty(token) && !tokens.Add(token))
                    throw new S3CredentialsException("ListBucketsTokenRepeated", FailureKind.InvalidOperation,
                        "ListBuckets returned a continuation token it had returned before; listing stopped so as not to loop forever.");
            }
            while (!string.IsNullOrEmpty(token));
            return byName.Values.OrderBy(b => b.BucketName, StringComparer.Ordinal).ToList();
        }

        private static S3CredentialsException NotFound(string name, IReadOnlyList<S3Bucket> buckets)
        {
            var otherCase = buckets.FirstOrDefault(b => string.Equals(b.BucketName, name, StringComparison.OrdinalIgnoreCase))?.BucketName;
            return new S3CredentialsException("BucketNotFound", FailureKind.ObjectNotFound,
                $"Bucket '{name}' was not found: it is not among the {buckets.Count} bucket(s) ListBuckets returned, which are the buckets these credentials' account owns."
                + (otherCase == null ? "" : $" Bucket names are case-sensitive: did you mean '{otherCase}'?"),
                "BucketName");
        }

        /// <summary>
        /// One bucket's settings: its independent requests at once; a setting the bucket does not have is null, any other
        /// failure is the bucket's error. GetBucketLocation only when ListBuckets did not give the bucket's region (AWS gives
        /// BucketRegion when the request has a parameter, as ours has max-buckets; moto 5.2 and RGW do not), and
        /// GetBucketPolicyStatus only after GetBucketPolicy found a policy (without one, S3 answers NoSuchBucketPolicy and
        /// IsPublic is null either way).
        /// </summary>
        private static async Task<S3BucketDetail> ReadAsync(IAmazonS3 s3, RequestGate gate, S3Bucket bucket, CancellationToken cancellationToken)
        {
            var name = bucket.BucketName;
            Task<T> CallAsync<T>(string action, Func<Task<T>> call, params string[] absentCodes) where T : class
                => gate.RunAsync(_ => BucketDetailOperation.CallAsync(action, name, call, absentCodes), cancellationToken);
            var listedRegion = string.IsNullOrEmpty(bucket.BucketRegion) ? null : RegionOf(bucket.BucketRegion);
            var location = listedRegion != null ? Task.FromResult<GetBucketLocationResponse>(null)
                : CallAsync("GetBucketLocation", () => s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = name }, cancellationToken));
            var acl = CallAsync("GetBucketAcl", () => s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = name }, cancellationToken));
            var block = CallAsync("GetPublicAccessBlock", () => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = name }, cancellationToken),
                "NoSuchPublicAccessBlockConfiguration");
            // Ceph RGW answers MethodNotAllowed when it serves no static websites (rgw_enable_static_website off): no website.
            var website = CallAsync("GetBucketWebsite", () => s3.GetBucketWebsiteAsync(new GetBucketWebsiteRequest { BucketName = name }, cancellationToken),
                "NoSuchWebsiteConfiguration", "MethodNotAllowed");
            var policy = ReadPolicyAsync();
            var cors = CallAsync("GetBucketCors", () => BucketSettingsOperation.CurrentCorsAsync(s3, name, cancellationToken, indented: false));
            await Task.WhenAll(location, acl, block, website, policy, cors).ConfigureAwait(false);

            async Task<(string Text, GetBucketPolicyStatusResponse Status)> ReadPolicyAsync()
            {
                var text = PolicyText(name, await CallAsync("GetBucketPolicy", () => s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = name }, cancellationToken),
                    "NoSuchBucketPolicy").ConfigureAwait(false));
                if (text == null)
                    return (null, null);
                // Stores that do not evaluate policies (NotImplemented) leave IsPublic unknown.
                var status = await CallAsync("GetBucketPolicyStatus", () => s3.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = name }, cancellationToken),
                    "NoSuchBucketPolicy", "NotImplemented").ConfigureAwait(false);
                return (text, status);
            }

            var grants = (acl.Result.Grants ?? new List<S3Grant>()).Select(FormatGrant).ToArray();
            var blockConfiguration = block.Result?.PublicAccessBlockConfiguration;
            var websiteConfiguration = WebsiteOf(name, website.Result);
            var (policyText, status) = policy.Result;
            var region = listedRegion ?? RegionOf(location.Result.Location?.Value);
            return new S3BucketDetail
            {
                Name = name,
                CreationDate = AsUtc(bucket.CreationDate),
                Region = region,
                OwnerId = acl.Result.Owner?.Id,
                OwnerDisplayName = acl.Result.Owner?.DisplayName,
                Grants = grants,
                GrantList = string.Join("; ", grants),
                HasPublicAccessBlock = blockConfiguration != null,
                BlockPublicAcls = blockConfiguration == null ? null : blockConfiguration.BlockPublicAcls ?? false,
                IgnorePublicAcls = blockConfiguration == null ? null : blockConfiguration.IgnorePublicAcls ?? false,
                BlockPublicPolicy = blockConfiguration == null ? null : blockConfiguration.BlockPublicPolicy ?? false,
                RestrictPublicBuckets = blockConfiguration == null ? null : blockConfiguration.RestrictPublicBuckets ?? false,
                HasWebsite = websiteConfiguration != null,
                WebsiteIndexDocument = websiteConfiguration?.IndexDocumentSuffix,
                WebsiteErrorDocument = websiteConfiguration?.ErrorDocument,
                WebsiteUrl = websiteConfiguration == null ? null : BucketSettingsOperation.WebsiteUrl(name, region, AwsPartition.ForRegion(region)),
                CorsRules = cors.Result,
                CorsRuleCount = cors.Result == null ? 0 : System.Text.Json.JsonDocument.Parse(cors.Result).RootElement.GetProperty("CORSRules").GetArrayLength(),
                HasBucketPolicy = policyText != null,
                BucketPolicy = policyText,
                IsPublic = status?.PolicyStatus?.IsPublic,
            };
        }

        private static DateTime? AsUtc(DateTime? value)
        {
            if (value == null) return null;
            var time = value.Value;
            return time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
        }

        /// <summary>
        /// The website configuration, or null. The SDK does not throw when GetBucketWebsite answers 404: it returns an empty
        /// configuration with HttpStatusCode NotFound. That is NoSuchWebsiteConfiguration, or a bucket deleted meanwhile,
        /// which the bucket's other requests report.
        /// </summary>
        private static WebsiteConfiguration WebsiteOf(string bucket, GetBucketWebsiteResponse response)
        {
            if (response == null || response.HttpStatusCode == HttpStatusCode.NotFound) return null;
            if (!IsSuccess(response.HttpStatusCode))
                throw Unreadable(bucket, "GetBucketWebsite", response.HttpStatusCode, null);
            return response.WebsiteConfiguration;
        }

        /// <summary>
        /// The policy JSON, or null. The SDK does not throw when GetBucketPolicy answers 404: it returns a response whose
        /// Policy is S3's error document, so NoSuchBucketPolicy is told from other errors (such as NoSuchBucket) here.
        /// </summary>
        private static string PolicyText(string bucket, GetBucketPolicyResponse response)
        {
            if (response == null) return null;
            if (IsSuccess(response.HttpStatusCode))
                return string.IsNullOrEmpty(response.Policy) ? null : response.Policy;
            var code = Regex.Match(response.Policy ?? "", "<Code>([^<]*)</Code>").Groups[1].Value;
            if (code == "NoSuchBucketPolicy")
                return null;
            throw Unreadable(bucket, "GetBucketPolicy", response.HttpStatusCode, code);
        }

        private static bool IsSuccess(HttpStatusCode status) => (int)status >= 200 && (int)status < 300;

        private static S3CredentialsException Unreadable(string bucket, string action, HttpStatusCode status, string code)
        {
            var kind = status == HttpStatusCode.Forbidden ? FailureKind.PermissionDenied : status == HttpStatusCode.NotFound ? FailureKind.ObjectNotFound : FailureKind.InvalidOperation;
            var error = string.IsNullOrEmpty(code) ? ((int)status).ToString() : code;
            return new S3CredentialsException("Aws." + error, kind,
                $"Could not read the details of bucket '{bucket}': {action} failed (AWS error {error}, HTTP {(int)status}).");
        }

        /// <summary>GetBucketLocation's LocationConstraint as a region: empty (or the legacy US) is us-east-1, the legacy EU is eu-west-1.</summary>
        internal static string RegionOf(string locationConstraint)
        {
            if (string.IsNullOrEmpty(locationConstraint) || locationConstraint == "US") return "us-east-1";
            if (locationConstraint == "EU") return "eu-west-1";
            return locationConstraint;
        }

        /// <summary>TYPE:GRANTEE:PERMISSION, the grantee being the canonical user id, the group URI or the e-mail address.</summary>
        internal static string FormatGrant(S3Grant grant)
        {
            var grantee = grant.Grantee;
            var who = grantee?.CanonicalUser ?? grantee?.URI ?? grantee?.EmailAddress ?? "";
            var type = grantee?.Type?.Value;
            if (string.IsNullOrEmpty(type))
                type = grantee?.CanonicalUser != null ? "CanonicalUser" : grantee?.URI != null ? "Group" : grantee?.EmailAddress != null ? "AmazonCustomerByEmail" : "Unknown";
            return type + ":" + who + ":" + (grant.Permission?.Value ?? "");
        }

        /// <summary>Runs one request; the error codes given mean "not set" (null). Other AWS errors name the request and the bucket.</summary>
        private static async Task<T> CallAsync<T>(string action, string bucket, Func<Task<T>> call, params string[] absentCodes) where T : class
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (absentCodes.Contains(e.ErrorCode))
            {
                return null;
            }
            catch (AmazonServiceException e)
            {
                var description = ErrorDescription.Describe(e);
                throw new S3CredentialsException(description.ErrorId, description.Kind,
                    $"Could not read the details of bucket '{bucket}': {action} failed: {description.Message}", inner: e);
            }
        }
    }
}
