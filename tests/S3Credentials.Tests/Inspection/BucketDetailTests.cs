using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.Inspection
{
    /// <summary>Get-S3BucketDetail's operation against moto: 100 buckets with assorted settings.</summary>
    public sealed class BucketDetailTests : NewCredentialTestBase
    {
        private const int BucketCount = 100;
        private const string AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";

        /// <summary>Sent for every bucket by moto, whose ListBuckets gives no BucketRegion; GetBucketPolicyStatus only for a bucket with a policy.</summary>
        private static readonly string[] DetailActions =
        {
            "GetBucketLocation", "GetBucketAcl", "GetBucketPublicAccessBlock", "GetBucketWebsite", "GetBucketPolicy", "GetBucketCors",
        };

        public BucketDetailTests(MotoServer moto) : base(moto) { }

        private static string NameOf(int i) => $"detail-{i:D3}";

        /// <summary>The settings bucket i is given: every combination of block, website, policy, region and ACL occurs.</summary>
        private static bool HasBlock(int i) => i % 4 == 0;
        private static bool HasWebsite(int i) => i % 5 == 0;
        private static bool HasErrorDocument(int i) => i % 10 == 0;
        private static bool HasPolicy(int i) => i % 3 == 0;
        private static bool InEurope(int i) => i % 7 == 0;
        private static bool PublicRead(int i) => i % 6 == 1;

        private static string PolicyOf(int i)
            => $"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Sid\":\"s{i}\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::{NameOf(i)}/*\"}}]}}";

        private DateTime _createdAfter;
        private DateTime _createdBefore;
        private string _ownerId;

        /// <summary>Creates the buckets in a shuffled order (moto lists them in creation order), with their settings.</summary>
        private async Task CreateAssortedBucketsAsync(int count = BucketCount)
        {
            _createdAfter = DateTime.UtcNow.AddSeconds(-2);
            using var s3 = SetupSession().CreateS3Client();
            var order = Enumerable.Range(0, count).Select(k => k * 37 % count).ToList();
            Assert.Equal(count, order.Distinct().Count());
            using var gate = new SemaphoreSlim(8);
            await Task.WhenAll(order.Select(async i =>
            {
                await gate.WaitAsync();
                try { await CreateBucketAsync(s3, i); }
                finally { gate.Release(); }
            }));
            _createdBefore = DateTime.UtcNow.AddSeconds(2);
            _ownerId = (await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = NameOf(0) })).Owner.Id;
            Assert.False(string.IsNullOrEmpty(_ownerId));
        }

        private static async Task CreateBucketAsync(IAmazonS3 s3, int i)
        {
            var name = NameOf(i);
            var request = new PutBucketRequest { BucketName = name };
            if (InEurope(i))
                request.PutBucketConfiguration = new PutBucketConfiguration { LocationConstraint = new BucketLocationConstraint("eu-west-1") };
            await s3.PutBucketAsync(request);
            if (HasBlock(i))
                await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
                {
                    BucketName = name,
                    PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration
                    {
                        BlockPublicAcls = i % 8 == 0, IgnorePublicAcls = true, BlockPublicPolicy = false, RestrictPublicBuckets = i % 3 == 0,
                    },
                });
            if (HasWebsite(i))
                await s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest
                {
                    BucketName = name,
                    WebsiteConfiguration = new WebsiteConfiguration { IndexDocumentSuffix = $"index-{i}.html", ErrorDocument = HasErrorDocument(i) ? $"error-{i}.html" : null },
                });
            if (HasPolicy(i))
                await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = name, Policy = PolicyOf(i) });
            if (PublicRead(i))
                await s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = name, ACL = S3CannedACL.PublicRead });
        }

        /// <summary>One line holding every property of a bucket's detail, as the scheme above says it must be.</summary>
        private string Expected(int i)
        {
            var grants = new List<string> { $"CanonicalUser:{_ownerId}:FULL_CONTROL" };
            if (PublicRead(i)) grants.Add($"Group:{AllUsers}:READ");
            return string.Join(" | ",
                NameOf(i),
                InEurope(i) ? "eu-west-1" : "us-east-1",
                _ownerId,
                string.Join("; ", grants),
                HasBlock(i) ? $"block {i % 8 == 0} True False {i % 3 == 0}" : "block none",
                HasWebsite(i) ? $"website index-{i}.html {(HasErrorDocument(i) ? $"error-{i}.html" : "-")}" : "website none",
                HasPolicy(i) ? $"policy s{i}" : "policy none",
                "public ?");
        }

        private static string Actual(S3BucketDetail d)
            => string.Join(" | ",
                d.Name,
                d.Region,
                d.OwnerId,
                string.Join("; ", d.Grants),
                d.HasPublicAccessBlock ? $"block {d.BlockPublicAcls} {d.IgnorePublicAcls} {d.BlockPublicPolicy} {d.RestrictPublicBuckets}"
                    : d.BlockPublicAcls == null && d.IgnorePublicAcls == null && d.BlockPublicPolicy == null && d.RestrictPublicBuckets == null ? "block none" : "block INCONSISTENT",
                d.HasWebsite ? $"website {d.WebsiteIndexDocument} {d.WebsiteErrorDocument ?? "-"}" : d.WebsiteIndexDocument == null && d.WebsiteErrorDocument == null ? "website none" : "website INCONSISTENT",
                d.HasBucketPolicy != (d.BucketPolicy != null) ? "policy INCONSISTENT" : d.BucketPolicy == null ? "policy none" : "policy " + SidOf(d.BucketPolicy),
                d.IsPublic == null ? "public ?" : "public " + d.IsPublic);

        private static string SidOf(string policyJson)
        {
            using var document = System.Text.Json.JsonDocument.Parse(policyJson);
            return document.RootElement.GetProperty("Statement")[0].GetProperty("Sid").GetString();
        }

        private Task<IReadOnlyList<ItemResult<string, S3BucketDetail>>> RunAsync(int throttleLimit = BucketDetailOperation.DefaultThrottleLimit, CancellationToken cancellationToken = default, params string[] names)
            => BucketDetailOperation.RunAsync(MotoSession(), names, throttleLimit, Host, cancellationToken);

        /// <summary>The bucket a path-style S3 request is for.</summary>
        private static string BucketOf(Uri uri) => uri.AbsolutePath.Trim('/').Split('/')[0];

        /// <summary>Equal line by line; a difference is shown in full.</summary>
        internal static void AssertLines(IEnumerable<string> expected, IEnumerable<string> actual)
        {
            var e = expected.ToList();
            var a = actual.ToList();
            for (var i = 0; i < Math.Min(e.Count, a.Count); i++)
                Assert.True(e[i] == a[i], $"Line {i} differs:{System.Environment.NewLine}expected {e[i]}{System.Environment.NewLine}actual   {a[i]}");
            Assert.Equal(e.Count, a.Count);
        }

        private static void AssertNoErrors(IEnumerable<ItemResult<string, S3BucketDetail>> results)
        {
            var errors = results.Where(r => r.Error != null).Select(r => r.Input + ": " + r.Error.Message).ToList();
            Assert.True(errors.Count == 0, string.Join(System.Environment.NewLine, errors));
        }

        [Fact]
        public async Task Every_bucket_comes_back_right_in_name_order_with_one_request_of_each_kind_per_bucket()
        {
            await CreateAssortedBucketsAsync();

            var results = await RunAsync();

            AssertNoErrors(results);
            AssertLines(Enumerable.Range(0, BucketCount).Select(Expected), results.Select(r => Actual(r.Value)));
            Assert.Equal(Enumerable.Range(0, BucketCount).Select(NameOf), results.Select(r => r.Input));
            Assert.All(results.Select(r => r.Value), d =>
            {
                Assert.Equal(string.Join("; ", d.Grants), d.GrantList);
                Assert.Equal(DateTimeKind.Utc, d.CreationDate.Value.Kind);
                Assert.InRange(d.CreationDate.Value, _createdAfter, _createdBefore);
                Assert.False(string.IsNullOrEmpty(d.OwnerDisplayName));
            });
            Assert.Equal(new[] { "s33" }, results.Where(r => r.Value.BucketPolicy?.Contains("detail-033/*") == true).Select(r => SidOf(r.Value.BucketPolicy)));

            var withPolicy = Enumerable.Range(0, BucketCount).Count(HasPolicy);
            Assert.Equal(34, withPolicy);
            var expectedCounts = DetailActions.ToDictionary(a => a, _ => BucketCount);
            expectedCounts["GetBucketPolicyStatus"] = withPolicy;
            expectedCounts["ListBuckets"] = 1;
            Assert.Equal(expectedCounts.OrderBy(p => p.Key), Recorder.CountsByAction().OrderBy(p => p.Key));
            var perBucket = Recorder.Calls.Where(c => c.Action != "ListBuckets").GroupBy(c => (c.Action, Bucket: BucketOf(new Uri(c.Url)))).ToList();
            Assert.Equal(BucketCount * DetailActions.Length + withPolicy, perBucket.Count);
            Assert.Equal(Enumerable.Range(0, BucketCount).Where(HasPolicy).Select(NameOf), perBucket.Where(g => g.Key.Action == "GetBucketPolicyStatus").Select(g => g.Key.Bucket).OrderBy(b => b, StringComparer.Ordinal));
            Assert.All(perBucket, g => Assert.Single(g));
            Assert.Contains("max-buckets=10000", Recorder.Calls.Single(c => c.Action == "ListBuckets").Url);
            Assert.True(Recorder.MaxInFlight > 1, $"MaxInFlight was {Recorder.MaxInFlight}: the requests did not overlap.");

            Assert.Equal(BucketCount + 1, Host.ProgressReports.Count);
            Assert.All(Host.ProgressReports, p => Assert.Equal(BucketDetailOperation.Activity, p.Activity));
            Assert.Equal(-1, Host.ProgressReports.Last().Percent);
            Assert.Contains(Host.VerboseMessages, m => m.Contains($"ListBuckets returned {BucketCount} bucket(s); {BucketCount} selected"));
        }

        [Fact]
        public async Task ThrottleLimit_bounds_the_requests_in_flight_whichever_buckets_they_belong_to_and_a_bucket_sends_its_reads_together()
        {
            await CreateAssortedBucketsAsync(40);

            var three = await MeasureAsync(3);
            var one = await MeasureAsync(1);
            var six = await MeasureAsync(DetailActions.Length);

            // One gate on requests, not on buckets: never more than the limit in flight, and the limit is used.
            Assert.Equal(3, three.Requests);
            Assert.InRange(three.RequestsOfOneBucket, 2, 3);
            Assert.Equal(1, one.Requests);
            Assert.Equal(1, one.Buckets);
            Assert.Equal(DetailActions.Length, six.Requests);
            // A bucket's independent reads are sent together: with room for them, all six of one bucket (GetBucketLocation too,
            // as moto's ListBuckets gives no region) are in flight at once.
            Assert.Equal(DetailActions.Length, six.RequestsOfOneBucket);
        }

        [Fact]
        public async Task With_500_buckets_the_requests_in_flight_reach_the_limit_and_never_exceed_it()
        {
            await CreateAssortedBucketsAsync(500);

            var results = await RunAsync(8);

            AssertNoErrors(results);
            Assert.Equal(500, results.Count);
            Assert.Equal(500 * DetailActions.Length + Enumerable.Range(0, 500).Count(HasPolicy) + 1, Recorder.Calls.Count);
            Assert.Equal(8, Recorder.MaxInFlight);

            // The default limit, 16, is reached and never exceeded either.
            Recorder.Reset();
            Assert.Equal(500, (await RunAsync()).Count(r => r.Error == null));
            Assert.Equal(BucketDetailOperation.DefaultThrottleLimit, Recorder.MaxInFlight);
        }

        /// <summary>Runs with the limit and measures the most buckets, requests, and requests of one bucket in flight at once.</summary>
        private async Task<(int Buckets, int Requests, int RequestsOfOneBucket)> MeasureAsync(int throttleLimit)
        {
            var inFlight = new Dictionary<string, int>();
            int buckets = 0, requests = 0, maxBuckets = 0, maxRequests = 0, maxOfOne = 0;
            var gate = new object();
            Recorder.Observer = request =>
            {
                var bucket = BucketOf(request.RequestUri);
                if (bucket.Length == 0) return null; // ListBuckets, before any bucket is read
                lock (gate)
                {
                    var mine = inFlight[bucket] = inFlight.GetValueOrDefault(bucket) + 1;
                    if (mine == 1) buckets++;
                    requests++;
                    (maxBuckets, maxRequests, maxOfOne) = (Math.Max(maxBuckets, buckets), Math.Max(maxRequests, requests), Math.Max(maxOfOne, mine));
                }
                return new Ending(() =>
                {
                    lock (gate)
                    {
                        requests--;
                        if (--inFlight[bucket] == 0) buckets--;
                    }
                });
            };
            var results = await RunAsync(throttleLimit);
            Recorder.Observer = null;
            AssertNoErrors(results);
            Assert.Equal(40, results.Count);
            return (maxBuckets, maxRequests, maxOfOne);
        }

        [Fact]
        public async Task Wildcards_select_buckets_case_sensitively_and_only_those_are_read()
        {
            await CreateAssortedBucketsAsync();

            var results = await RunAsync(names: new[] { "detail-09?", "*-01*", "detail-0?5", "DETAIL-*", "nothing-*" });

            AssertNoErrors(results);
            var expected = Enumerable.Range(0, BucketCount).Where(i => i >= 90 || (i >= 10 && i < 20) || i % 10 == 5).ToList();
            AssertLines(expected.Select(Expected), results.Select(r => Actual(r.Value)));
            Assert.Equal(expected.Count, Recorder.Count("GetBucketAcl"));
            Assert.Equal(expected.Count(HasPolicy), Recorder.Count("GetBucketPolicyStatus"));
        }

        [Fact]
        public async Task A_named_bucket_that_does_not_exist_is_its_own_error_and_the_others_are_returned()
        {
            await CreateAssortedBucketsAsync(10);

            var results = await RunAsync(names: new[] { "detail-007", "no-such-bucket", "Detail-002", "detail-00*", "no-such-bucket", "?", "Old_Style.Bucket" });

            // Names that match nothing come first, each once; a pattern that matches nothing ("?") is no error.
            Assert.Equal(new[] { "no-such-bucket", "Detail-002", "Old_Style.Bucket" }.Concat(Enumerable.Range(0, 10).Select(NameOf)), results.Select(r => r.Input));
            foreach (var missing in results.Take(3))
            {
                var error = Assert.IsType<S3CredentialsException>(missing.Error);
                Assert.Equal("BucketNotFound", error.ErrorId);
                Assert.Equal(FailureKind.ObjectNotFound, error.Kind);
                Assert.Equal("BucketName", error.ParameterName);
                Assert.Contains($"'{missing.Input}'", error.Message);
                Assert.Null(missing.Value);
            }
            Assert.Contains("did you mean 'detail-002'?", results[1].Error.Message);
            Assert.DoesNotContain("did you mean", results[0].Error.Message);
            AssertNoErrors(results.Skip(3));
            AssertLines(Enumerable.Range(0, 10).Select(Expected), results.Skip(3).Select(r => Actual(r.Value)));
            Assert.Equal(10, Recorder.Count("GetBucketAcl"));
        }

        [Fact]
        public async Task One_bucket_that_fails_is_its_error_and_the_other_99_come_back()
        {
            await CreateAssortedBucketsAsync();
            string failed = null;
            Recorder.FailNth("GetBucketAcl", 37, request =>
            {
                failed = BucketOf(request.RequestUri);
                return S3Error(HttpStatusCode.Forbidden, "AccessDenied");
            });

            var results = await RunAsync();

            Assert.NotNull(failed);
            Assert.Equal(Enumerable.Range(0, BucketCount).Select(NameOf), results.Select(r => r.Input));
            var failure = Assert.Single(results, r => r.Error != null);
            Assert.Equal(failed, failure.Input);
            Assert.Null(failure.Value);
            var description = ErrorDescription.Describe(failure.Error);
            Assert.Equal("Aws.AccessDenied", description.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, description.Kind);
            Assert.Contains($"bucket '{failed}'", description.Message);
            Assert.Contains("GetBucketAcl failed", description.Message);
            Assert.Contains("AccessDenied", description.Message);
            var others = Enumerable.Range(0, BucketCount).Where(i => NameOf(i) != failed).ToList();
            Assert.Equal(99, others.Count);
            AssertLines(others.Select(Expected), results.Where(r => r.Error == null).Select(r => Actual(r.Value)));
            // The failed bucket's other requests were still sent once each; nothing was retried.
            Assert.All(DetailActions, a => Assert.Equal(BucketCount, Recorder.Count(a)));
            Assert.Equal(Enumerable.Range(0, BucketCount).Count(HasPolicy), Recorder.Count("GetBucketPolicyStatus"));
        }

        [Fact]
        public async Task ListBuckets_is_followed_page_by_page()
        {
            await CreateAssortedBucketsAsync(6);
            Recorder.FailNth("ListBuckets", 1, _ => BucketDetailInputTests.ListBucketsPage("page-two-token", NameOf(4), NameOf(0), NameOf(2)));
            Recorder.FailNth("ListBuckets", 2, _ => BucketDetailInputTests.ListBucketsPage(null, NameOf(3), NameOf(1), NameOf(2)));

            var results = await RunAsync();

            AssertNoErrors(results);
            AssertLines(Enumerable.Range(0, 5).Select(Expected), results.Select(r => Actual(r.Value)));
            var listCalls = Recorder.Calls.Where(c => c.Action == "ListBuckets").ToList();
            Assert.Equal(2, listCalls.Count);
            Assert.DoesNotContain("continuation-token", listCalls[0].Url);
            Assert.Contains("continuation-token=page-two-token", listCalls[1].Url);
            Assert.Equal(5, Recorder.Count("GetBucketAcl"));
        }

        [Fact]
        public async Task IsPublic_is_S3s_policy_status_asked_only_for_buckets_with_a_policy()
        {
            await CreateAssortedBucketsAsync(4);
            // moto does not implement GetBucketPolicyStatus (it answers with a bucket listing): IsPublic stays unknown there.
            var unknown = await RunAsync(names: NameOf(0));
            Assert.Null(Assert.Single(unknown).Value.IsPublic);
            Assert.Equal(1, Recorder.Count("GetBucketPolicyStatus"));
            Recorder.Clear();

            // FailNth counts the calls made after it is set. Buckets 0 and 3 have a policy, 1 and 2 none.
            Recorder.FailNth("GetBucketPolicyStatus", 1, _ => Xml("<PolicyStatus><IsPublic>true</IsPublic></PolicyStatus>"));
            Recorder.FailNth("GetBucketPolicyStatus", 2, _ => Xml("<PolicyStatus><IsPublic>false</IsPublic></PolicyStatus>"));
            Recorder.FailNth("GetBucketPolicyStatus", 3, _ => S3Error(HttpStatusCode.NotFound, "NoSuchBucketPolicy"));
            Recorder.FailNth("GetBucketPolicyStatus", 4, _ => S3Error(HttpStatusCode.Forbidden, "AccessDenied"));
            Assert.True((await RunAsync(names: NameOf(0))).Single().Value.IsPublic);
            Assert.False((await RunAsync(names: NameOf(3))).Single().Value.IsPublic);
            // No policy: no GetBucketPolicyStatus (S3 would answer NoSuchBucketPolicy); IsPublic is unknown, not an error.
            var withoutPolicy = await RunAsync(names: new[] { NameOf(1), NameOf(2) });
            Assert.All(withoutPolicy, r => { Assert.Null(r.Error); Assert.Null(r.Value.IsPublic); Assert.False(r.Value.HasBucketPolicy); });
            Assert.Equal(2, Recorder.Count("GetBucketPolicyStatus"));
            // A policy removed between the two reads: NoSuchBucketPolicy leaves IsPublic unknown.
            var removed = (await RunAsync(names: NameOf(0))).Single();
            Assert.Null(removed.Error);
            Assert.True(removed.Value.HasBucketPolicy);
            Assert.Null(removed.Value.IsPublic);
            // A policy whose status may not be read is the bucket's error, naming the request.
            var denied = (await RunAsync(names: NameOf(3))).Single();
            Assert.Equal("Aws.AccessDenied", Assert.IsType<S3CredentialsException>(denied.Error).ErrorId);
            Assert.Contains("GetBucketPolicyStatus failed", denied.Error.Message);
            Assert.Equal(4, Recorder.Count("GetBucketPolicyStatus"));
        }

        [Fact]
        public async Task A_policy_that_cannot_be_read_is_an_error_not_an_absent_policy()
        {
            await CreateAssortedBucketsAsync(2);
            Recorder.FailNth("GetBucketPolicy", 1, _ => S3Error(HttpStatusCode.NotFound, "NoSuchBucket"));
            Recorder.FailNth("GetBucketPolicy", 2, _ => S3Error(HttpStatusCode.Forbidden, "AccessDenied"));

            var missing = (await RunAsync(names: NameOf(1))).Single();
            var denied = (await RunAsync(names: NameOf(1))).Single();
            var absent = (await RunAsync(names: NameOf(1))).Single();

            Assert.Equal(FailureKind.ObjectNotFound, Assert.IsType<S3CredentialsException>(missing.Error).Kind);
            Assert.Equal("Aws.NoSuchBucket", ((S3CredentialsException)missing.Error).ErrorId);
            Assert.Contains("GetBucketPolicy failed", missing.Error.Message);
            Assert.Equal(FailureKind.PermissionDenied, Assert.IsType<S3CredentialsException>(denied.Error).Kind);
            Assert.Contains("GetBucketPolicy failed", denied.Error.Message);
            Assert.Null(absent.Error);
            Assert.Null(absent.Value.BucketPolicy);
        }

        [Fact]
        public async Task A_store_that_refuses_GetBucketWebsite_with_MethodNotAllowed_as_RGW_does_without_static_websites_shows_no_website()
        {
            await CreateAssortedBucketsAsync(1);
            Recorder.FailNth("GetBucketWebsite", 1, _ => S3Error(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed"));
            Recorder.FailNth("GetBucketWebsite", 2, _ => S3Error(HttpStatusCode.Forbidden, "AccessDenied"));

            var refused = (await RunAsync(names: NameOf(0))).Single();
            var denied = (await RunAsync(names: NameOf(0))).Single();

            Assert.Null(refused.Error);
            Assert.False(refused.Value.HasWebsite);
            Assert.Null(refused.Value.WebsiteUrl);
            Assert.Contains("GetBucketWebsite failed", Assert.IsType<S3CredentialsException>(denied.Error).Message);
        }

        [Fact]
        public async Task A_legacy_EU_location_is_eu_west_1_and_an_empty_one_us_east_1()
        {
            await CreateAssortedBucketsAsync(2);
            Recorder.FailNth("GetBucketLocation", 1, _ => Xml("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">EU</LocationConstraint>"));
            Recorder.FailNth("GetBucketLocation", 2, _ => Xml("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"));

            Assert.Equal("eu-west-1", (await RunAsync(names: NameOf(1))).Single().Value.Region);
            Assert.Equal("us-east-1", (await RunAsync(names: NameOf(1))).Single().Value.Region);
        }

        [Fact]
        public async Task Cancelling_stops_starting_buckets()
        {
            await CreateAssortedBucketsAsync(40);
            using var cancel = new CancellationTokenSource();
            var started = 0;
            Recorder.Observer = request =>
            {
                if (Interlocked.Increment(ref started) == 20)
                    cancel.Cancel();
                return null;
            };

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(2, cancel.Token));

            Assert.InRange(started, 20, 20 + 2 * BucketDetailOperation.MaxRequestsPerBucket);
        }

        private static HttpResponseMessage Xml(string body)
            => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body, Encoding.UTF8, "application/xml") };

        private sealed class Ending : IDisposable
        {
            private readonly Action _action;
            public Ending(Action action) => _action = action;
            public void Dispose() => _action();
        }
    }
}
