using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.Inspection
{
    /// <summary>
    /// Every property of Get-S3BucketDetail's output, for buckets with every setting it reports, against a record of what the
    /// operation returned when it still sent all seven reads of every bucket (GetBucketLocation, GetBucketAcl,
    /// GetPublicAccessBlock, GetBucketWebsite, GetBucketPolicy, GetBucketPolicyStatus, GetBucketCors): fewer requests must
    /// not change one value.
    /// </summary>
    public sealed class BucketDetailOutputTests : NewCredentialTestBase
    {
        public BucketDetailOutputTests(MotoServer moto) : base(moto) { }

        private const string Owner = "<owner>";

        private static string PolicyOf(string bucket)
            => $"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Sid\":\"read\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::{bucket}/*\"}}]}}";

        /// <summary>The buckets and their settings; IsPublic comes from S3's policy status, which moto lacks (answered here for the g-policy-* buckets).</summary>
        private async Task CreateBucketsAsync()
        {
            using var s3 = SetupSession().CreateS3Client();
            async Task Create(string name, string region = null)
                => await s3.PutBucketAsync(new PutBucketRequest
                {
                    BucketName = name,
                    PutBucketConfiguration = region == null ? null : new PutBucketConfiguration { LocationConstraint = new BucketLocationConstraint(region) },
                });
            await Create("g-plain");
            await Create("g-europe", "eu-west-1");
            await Create("g-frankfurt-site", "eu-central-1");
            await Create("g-sydney-site", "ap-southeast-2");
            await Create("g-site");
            await Create("g-site-error");
            await Create("g-block-all");
            await Create("g-block-some", "eu-west-1");
            await Create("g-policy-public");
            await Create("g-policy-private", "eu-west-1");
            await Create("g-policy-unknown");
            await Create("g-public-read");
            await Create("g-cors-one");
            await Create("g-cors-two", "eu-central-1");
            await Create("g-everything", "eu-west-1");

            foreach (var (name, error) in new[] { ("g-frankfurt-site", "oops.html"), ("g-sydney-site", null), ("g-site", null), ("g-site-error", "error.html"), ("g-everything", "e.html") })
                await s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest
                {
                    BucketName = name,
                    WebsiteConfiguration = new WebsiteConfiguration { IndexDocumentSuffix = "index.html", ErrorDocument = error },
                });
            foreach (var (name, all) in new[] { ("g-block-all", true), ("g-block-some", false), ("g-everything", false) })
                await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
                {
                    BucketName = name,
                    PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { BlockPublicAcls = all, IgnorePublicAcls = true, BlockPublicPolicy = all, RestrictPublicBuckets = false },
                });
            foreach (var name in new[] { "g-policy-public", "g-policy-private", "g-policy-unknown", "g-everything" })
                await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = name, Policy = PolicyOf(name) });
            foreach (var name in new[] { "g-public-read", "g-everything" })
                await s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = name, ACL = S3CannedACL.PublicRead });
            var getRule = new CORSRule { Id = "get", AllowedMethods = new List<string> { "GET" }, AllowedOrigins = new List<string> { "*" }, MaxAgeSeconds = 600 };
            var putRule = new CORSRule
            {
                AllowedMethods = new List<string> { "PUT", "POST" }, AllowedOrigins = new List<string> { "https://example.com" },
                AllowedHeaders = new List<string> { "*" }, ExposeHeaders = new List<string> { "ETag" },
            };
            foreach (var (name, rules) in new[] { ("g-cors-one", new List<CORSRule> { getRule }), ("g-cors-two", new List<CORSRule> { getRule, putRule }), ("g-everything", new List<CORSRule> { putRule }) })
                await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest { BucketName = name, Configuration = new CORSConfiguration { Rules = rules } });
        }

        /// <summary>S3's verdict for the buckets that have a policy; moto answers GetBucketPolicyStatus with a bucket listing.</summary>
        private void AnswerPolicyStatus()
            => Recorder.Intercept("GetBucketPolicyStatus", (request, _) =>
            {
                var bucket = request.RequestUri.AbsolutePath.Trim('/').Split('/')[0];
                var verdict = bucket == "g-policy-public" || bucket == "g-everything" ? "true" : bucket == "g-policy-private" ? "false" : null;
                return verdict == null ? null : new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><PolicyStatus><IsPublic>{verdict}</IsPublic></PolicyStatus>", Encoding.UTF8, "application/xml"),
                };
            });

        /// <summary>One line of JSON per bucket holding every public property, the owner's id and the creation time masked (moto's own).</summary>
        private static IReadOnlyList<string> Lines(IEnumerable<ItemResult<string, S3BucketDetail>> results, string ownerId)
        {
            var lines = new List<string>();
            foreach (var result in results)
            {
                Assert.True(result.Error == null, result.Input + ": " + result.Error?.Message);
                var detail = result.Value;
                Assert.NotNull(detail.CreationDate);
                var text = new StringBuilder("{");
                foreach (var property in typeof(S3BucketDetail).GetProperties())
                {
                    var value = property.Name == "CreationDate" ? "<created>" : property.GetValue(detail);
                    var json = JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object), Readable);
                    text.Append(text.Length == 1 ? "" : ",").Append('"').Append(property.Name).Append("\":").Append(json.Replace(ownerId, Owner, StringComparison.Ordinal));
                }
                lines.Add(text.Append('}').ToString());
            }
            return lines;
        }

        private static readonly JsonSerializerOptions Readable = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private async Task<string> OwnerIdAsync()
        {
            using var s3 = SetupSession().CreateS3Client();
            return (await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = "g-plain" })).Owner.Id;
        }

        /// <summary>Recorded from the operation that sent all seven reads of every bucket (commit before the reads were cut).</summary>
        private static readonly string[] Recorded = GoldenLines.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        private const string GoldenLines = """
            {"Name":"g-block-all","CreationDate":"<created>","Region":"us-east-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL","HasPublicAccessBlock":true,"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":false,"HasWebsite":false,"WebsiteIndexDocument":null,"WebsiteErrorDocument":null,"WebsiteUrl":null,"CorsRuleCount":0,"CorsRules":null,"HasBucketPolicy":false,"BucketPolicy":null,"IsPublic":null}
            {"Name":"g-block-some","CreationDate":"<created>","Region":"eu-west-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL","HasPublicAccessBlock":true,"BlockPublicAcls":false,"IgnorePublicAcls":true,"BlockPublicPolicy":false,"RestrictPublicBuckets":false,"HasWebsite":false,"WebsiteIndexDocument":null,"WebsiteErrorDocument":null,"WebsiteUrl":null,"CorsRuleCount":0,"CorsRules":null,"HasBucketPolicy":false,"BucketPolicy":null,"IsPublic":null}
            {"Name":"g-cors-one","CreationDate":"<created>","Region":"us-east-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL","HasPublicAccessBlock":false,"BlockPublicAcls":null,"IgnorePublicAcls":null,"BlockPublicPolicy":null,"RestrictPublicBuckets":null,"HasWebsite":false,"WebsiteIndexDocument":null,"WebsiteErrorDocument":null,"WebsiteUrl":null,"CorsRuleCount":1,"CorsRules":"{\"CORSRules\":[{\"ID\":\"get\",\"AllowedOrigins\":[\"*\"],\"AllowedMethods\":[\"GET\"],\"MaxAgeSeconds\":600}]}","HasBucketPolicy":false,"BucketPolicy":null,"IsPublic":null}
            {"Name":"g-cors-two","CreationDate":"<created>","Region":"eu-central-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL","HasPublicAccessBlock":false,"BlockPublicAcls":null,"IgnorePublicAcls":null,"BlockPublicPolicy":null,"RestrictPublicBuckets":null,"HasWebsite":false,"WebsiteIndexDocument":null,"WebsiteErrorDocument":null,"WebsiteUrl":null,"CorsRuleCount":2,"CorsRules":"{\"CORSRules\":[{\"ID\":\"get\",\"AllowedOrigins\":[\"*\"],\"AllowedMethods\":[\"GET\"],\"MaxAgeSeconds\":600},{\"AllowedOrigins\":[\"https://example.com\"],\"AllowedMethods\":[\"PUT\",\"POST\"],\"AllowedHeaders\":[\"*\"],\"ExposeHeaders\":[\"ETag\"]}]}","HasBucketPolicy":false,"BucketPolicy":null,"IsPublic":null}
            {"Name":"g-europe","CreationDate":"<created>","Region":"eu-west-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL","HasPublicAccessBlock":false,"BlockPublicAcls":null,"IgnorePublicAcls":null,"BlockPublicPolicy":null,"RestrictPublicBuckets":null,"HasWebsite":false,"WebsiteIndexDocument":null,"WebsiteErrorDocument":null,"WebsiteUrl":null,"CorsRuleCount":0,"CorsRules":null,"HasBucketPolicy":false,"BucketPolicy":null,"IsPublic":null}
            {"Name":"g-everything","CreationDate":"<created>","Region":"eu-west-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL","Group:http://acs.amazonaws.com/groups/global/AllUsers:READ"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL; Group:http://acs.amazonaws.com/groups/global/AllUsers:READ","HasPublicAccessBlock":true,"BlockPublicAcls":false,"IgnorePublicAcls":true,"BlockPublicPolicy":false,"RestrictPublicBuckets":false,"HasWebsite":true,"WebsiteIndexDocument":"index.html","WebsiteErrorDocument":"e.html","WebsiteUrl":"http://g-everything.s3-website-eu-west-1.amazonaws.com","CorsRuleCount":1,"CorsRules":"{\"CORSRules\":[{\"AllowedOrigins\":[\"https://example.com\"],\"AllowedMethods\":[\"PUT\",\"POST\"],\"AllowedHeaders\":[\"*\"],\"ExposeHeaders\":[\"ETag\"]}]}","HasBucketPolicy":true,"BucketPolicy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"read\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::g-everything/*\"}]}","IsPublic":true}
            {"Name":"g-frankfurt-site","CreationDate":"<created>","Region":"eu-central-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL","HasPublicAccessBlock":false,"BlockPublicAcls":null,"IgnorePublicAcls":null,"BlockPublicPolicy":null,"RestrictPublicBuckets":null,"HasWebsite":true,"WebsiteIndexDocument":"index.html","WebsiteErrorDocument":"oops.html","WebsiteUrl":"http://g-frankfurt-site.s3-website.eu-central-1.amazonaws.com","CorsRuleCount":0,"CorsRules":null,"HasBucketPolicy":false,"BucketPolicy":null,"IsPublic":null}
            {"Name":"g-plain","CreationDate":"<created>","Region":"us-east-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL","HasPublicAccessBlock":false,"BlockPublicAcls":null,"IgnorePublicAcls":null,"BlockPublicPolicy":null,"RestrictPublicBuckets":null,"HasWebsite":false,"WebsiteIndexDocument":null,"WebsiteErrorDocument":null,"WebsiteUrl":null,"CorsRuleCount":0,"CorsRules":null,"HasBucketPolicy":false,"BucketPolicy":null,"IsPublic":null}
            {"Name":"g-policy-private","CreationDate":"<created>","Region":"eu-west-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL","HasPublicAccessBlock":false,"BlockPublicAcls":null,"IgnorePublicAcls":null,"BlockPublicPolicy":null,"RestrictPublicBuckets":null,"HasWebsite":false,"WebsiteIndexDocument":null,"WebsiteErrorDocument":null,"WebsiteUrl":null,"CorsRuleCount":0,"CorsRules":null,"HasBucketPolicy":true,"BucketPolicy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"read\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::g-policy-private/*\"}]}","IsPublic":false}
            {"Name":"g-policy-public","CreationDate":"<created>","Region":"us-east-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL","HasPublicAccessBlock":false,"BlockPublicAcls":null,"IgnorePublicAcls":null,"BlockPublicPolicy":null,"RestrictPublicBuckets":null,"HasWebsite":false,"WebsiteIndexDocument":null,"WebsiteErrorDocument":null,"WebsiteUrl":null,"CorsRuleCount":0,"CorsRules":null,"HasBucketPolicy":true,"BucketPolicy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"read\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::g-policy-public/*\"}]}","IsPublic":true}
            {"Name":"g-policy-unknown","CreationDate":"<created>","Region":"us-east-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL","HasPublicAccessBlock":false,"BlockPublicAcls":null,"IgnorePublicAcls":null,"BlockPublicPolicy":null,"RestrictPublicBuckets":null,"HasWebsite":false,"WebsiteIndexDocument":null,"WebsiteErrorDocument":null,"WebsiteUrl":null,"CorsRuleCount":0,"CorsRules":null,"HasBucketPolicy":true,"BucketPolicy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"read\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::g-policy-unknown/*\"}]}","IsPublic":null}
            {"Name":"g-public-read","CreationDate":"<created>","Region":"us-east-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL","Group:http://acs.amazonaws.com/groups/global/AllUsers:READ"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL; Group:http://acs.amazonaws.com/groups/global/AllUsers:READ","HasPublicAccessBlock":false,"BlockPublicAcls":null,"IgnorePublicAcls":null,"BlockPublicPolicy":null,"RestrictPublicBuckets":null,"HasWebsite":false,"WebsiteIndexDocument":null,"WebsiteErrorDocument":null,"WebsiteUrl":null,"CorsRuleCount":0,"CorsRules":null,"HasBucketPolicy":false,"BucketPolicy":null,"IsPublic":null}
            {"Name":"g-site","CreationDate":"<created>","Region":"us-east-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL","HasPublicAccessBlock":false,"BlockPublicAcls":null,"IgnorePublicAcls":null,"BlockPublicPolicy":null,"RestrictPublicBuckets":null,"HasWebsite":true,"WebsiteIndexDocument":"index.html","WebsiteErrorDocument":null,"WebsiteUrl":"http://g-site.s3-website-us-east-1.amazonaws.com","CorsRuleCount":0,"CorsRules":null,"HasBucketPolicy":false,"BucketPolicy":null,"IsPublic":null}
            {"Name":"g-site-error","CreationDate":"<created>","Region":"us-east-1","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL","HasPublicAccessBlock":false,"BlockPublicAcls":null,"IgnorePublicAcls":null,"BlockPublicPolicy":null,"RestrictPublicBuckets":null,"HasWebsite":true,"WebsiteIndexDocument":"index.html","WebsiteErrorDocument":"error.html","WebsiteUrl":"http://g-site-error.s3-website-us-east-1.amazonaws.com","CorsRuleCount":0,"CorsRules":null,"HasBucketPolicy":false,"BucketPolicy":null,"IsPublic":null}
            {"Name":"g-sydney-site","CreationDate":"<created>","Region":"ap-southeast-2","OwnerId":"<owner>","OwnerDisplayName":"webfile","Grants":["CanonicalUser:<owner>:FULL_CONTROL"],"GrantList":"CanonicalUser:<owner>:FULL_CONTROL","HasPublicAccessBlock":false,"BlockPublicAcls":null,"IgnorePublicAcls":null,"BlockPublicPolicy":null,"RestrictPublicBuckets":null,"HasWebsite":true,"WebsiteIndexDocument":"index.html","WebsiteErrorDocument":null,"WebsiteUrl":"http://g-sydney-site.s3-website-ap-southeast-2.amazonaws.com","CorsRuleCount":0,"CorsRules":null,"HasBucketPolicy":false,"BucketPolicy":null,"IsPublic":null}
            """;

        private const int Buckets = 15;
        private const int WithPolicy = 4;

        [Fact]
        public async Task Every_property_of_every_bucket_is_what_seven_reads_per_bucket_returned()
        {
            await CreateBucketsAsync();
            var ownerId = await OwnerIdAsync();
            AnswerPolicyStatus();

            var results = await BucketDetailOperation.RunAsync(MotoSession(), Array.Empty<string>(), BucketDetailOperation.DefaultThrottleLimit, Host, default);

            BucketDetailTests.AssertLines(Recorded, Lines(results, ownerId));
            // moto's ListBuckets gives no region: GetBucketLocation for each bucket; the policy status only where there is a policy.
            Assert.Equal(Buckets, Recorder.Count("GetBucketLocation"));
            Assert.Equal(WithPolicy, Recorder.Count("GetBucketPolicyStatus"));
            Assert.Equal(1 + Buckets * (BucketDetailOperation.RequestsPerBucket + 1) + WithPolicy, Recorder.Calls.Count);
        }

        [Fact]
        public async Task With_the_region_in_ListBuckets_as_AWS_gives_it_no_GetBucketLocation_is_sent_and_every_property_is_the_same()
        {
            await CreateBucketsAsync();
            var ownerId = await OwnerIdAsync();
            AnswerPolicyStatus();
            // AWS's ListBuckets gives each bucket's BucketRegion when the request has a parameter (ours has max-buckets); moto's does not.
            var listing = new StringBuilder();
            using (var s3 = SetupSession().CreateS3Client())
                foreach (var bucket in (await s3.ListBucketsAsync(new ListBucketsRequest())).Buckets)
                {
                    var location = (await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket.BucketName })).Location?.Value;
                    listing.Append($"<Bucket><Name>{bucket.BucketName}</Name><CreationDate>{bucket.CreationDate.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}</CreationDate>"
                        + $"<BucketRegion>{(string.IsNullOrEmpty(location) ? "us-east-1" : location)}</BucketRegion></Bucket>");
                }
            Recorder.Intercept("ListBuckets", (request, _) =>
            {
                Assert.Contains("max-buckets=", request.RequestUri.Query);
                return new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                        + $"<Owner><ID>{ownerId}</ID><DisplayName>webfile</DisplayName></Owner><Buckets>{listing}</Buckets></ListAllMyBucketsResult>", Encoding.UTF8, "application/xml"),
                };
            });

            var results = await BucketDetailOperation.RunAsync(MotoSession(), Array.Empty<string>(), BucketDetailOperation.DefaultThrottleLimit, Host, default);

            BucketDetailTests.AssertLines(Recorded, Lines(results, ownerId));
            Assert.Equal(0, Recorder.Count("GetBucketLocation"));
            Assert.Equal(WithPolicy, Recorder.Count("GetBucketPolicyStatus"));
            Assert.Equal(1 + Buckets * BucketDetailOperation.RequestsPerBucket + WithPolicy, Recorder.Calls.Count);
            Assert.Contains(Host.VerboseMessages, m => m.Contains($"ListBuckets returned {Buckets} bucket(s); {Buckets} selected. Reading 5 settings of each, GetBucketLocation too for the 0 whose region ListBuckets did not give"));
        }
    }
}
