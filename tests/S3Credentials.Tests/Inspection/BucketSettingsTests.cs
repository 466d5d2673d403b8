using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3.Model;
using S3Credentials.Core;
using S3Credentials.Core.Operations;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.Inspection
{
    /// <summary>Set-S3BucketDetail's operation against moto: policy, public access block, CORS and website.</summary>
    public sealed class BucketSettingsTests : NewCredentialTestBase
    {
        private const string Bucket = "settings-bucket";
        private const string PublicPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AllowAllGetObject\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::settings-bucket/*\"]}]}";

        public BucketSettingsTests(MotoServer moto) : base(moto) { }

        private Task<S3Credentials.Core.Models.S3BucketDetail> SetAsync(BucketSettingsRequest request)
        {
            request.BucketName ??= Bucket;
            return BucketSettingsOperation.RunAsync(MotoSession(), request, Host, CancellationToken.None);
        }

        [Fact]
        public async Task Every_setting_is_written_the_block_first_and_Get_S3BucketDetail_reads_CORS_and_the_website_URL_back()
        {
            await CreateBucketsAsync(Bucket);

            var detail = await SetAsync(new BucketSettingsRequest
            {
                BlockPublicAcls = true,
                BlockPublicPolicy = false,
                Policy = PublicPolicy,
                CorsAllowedMethod = new[] { "get", "PUT" },
                CorsExposeHeader = new[] { "ETag" },
                CorsMaxAgeSeconds = 300,
                WebsiteIndexDocument = "index.html",
                WebsiteErrorDocument = "error.html",
            });

            Assert.Equal(new[] { "PutBucketPublicAccessBlock", "PutBucketPolicy", "PutBucketCors", "PutBucketWebsite" },
                Recorder.Calls.Where(c => c.Method == "PUT").Select(c => c.Action));
            Assert.True(detail.BlockPublicAcls);
            Assert.False(detail.IgnorePublicAcls);
            Assert.False(detail.BlockPublicPolicy);
            Assert.Contains("AllowAllGetObject", detail.BucketPolicy);
            Assert.Equal(1, detail.CorsRuleCount);
            Assert.Equal("{\"CORSRules\":[{\"ID\":\"set-by-s3credentials\",\"AllowedOrigins\":[\"*\"],\"AllowedMethods\":[\"GET\",\"PUT\"],\"ExposeHeaders\":[\"ETag\"],\"MaxAgeSeconds\":300}]}", detail.CorsRules);
            Assert.Equal("http://settings-bucket.s3-website-us-east-1.amazonaws.com", detail.WebsiteUrl);
            Assert.Equal("error.html", detail.WebsiteErrorDocument);
        }

        [Fact]
        public async Task Under_WhatIf_the_question_shows_the_document_to_write_and_the_one_it_replaces_and_nothing_is_written()
        {
            await CreateBucketsAsync(Bucket);
            await SetAsync(new BucketSettingsRequest { Cors = "{\"CORSRules\":[{\"AllowedOrigins\":[\"https://old.example\"],\"AllowedMethods\":[\"GET\"]}]}" });
            Recorder.Clear();
            Host.Confirmations.Clear();
            Host.IsWhatIf = true;

            Assert.Null(await SetAsync(new BucketSettingsRequest { Cors = "[{\"AllowedOrigins\":[\"https://new.example\"],\"AllowedMethods\":[\"HEAD\"]}]" }));

            var (target, action) = Assert.Single(Host.Confirmations);
            Assert.Equal("bucket settings-bucket", target);
            Assert.StartsWith("Set the CORS rules to:\n{\n  \"CORSRules\": [", action);
            Assert.Contains("https://new.example", action.Substring(0, action.IndexOf("replacing")));
            Assert.Contains("https://old.example", action.Substring(action.IndexOf("replacing:")));
            Assert.DoesNotContain(Recorder.Calls, c => c.Method == "PUT" || c.Method == "DELETE");
        }

        [Fact]
        public async Task Removing_deletes_policy_CORS_and_website()
        {
            await CreateBucketsAsync(Bucket);
            await SetAsync(new BucketSettingsRequest { Policy = PublicPolicy, CorsAllowedOrigin = new[] { "*" }, WebsiteIndexDocument = "index.html" });

            var detail = await SetAsync(new BucketSettingsRequest { RemovePolicy = true, RemoveCors = true, RemoveWebsite = true });

            Assert.False(detail.HasBucketPolicy);
            Assert.Equal(0, detail.CorsRuleCount);
            Assert.Null(detail.CorsRules);
            Assert.False(detail.HasWebsite);
            Assert.Null(detail.WebsiteUrl);
        }

        private const string OtherPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"OldGetObject\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::settings-bucket/old/*\"]}]}";

        private async Task<string> PolicyOrNullAsync()
        {
            using var s3 = SetupSession().CreateS3Client();
            try
            {
                var response = await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = Bucket });
                return (int)response.HttpStatusCode >= 300 || string.IsNullOrEmpty(response.Policy) ? null : response.Policy;
            }
            catch (Amazon.S3.AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucketPolicy")
            {
                return null;
            }
        }

        [Fact]
        public async Task Under_WhatIf_the_walk_asks_the_same_steps_as_a_real_run_and_writes_nothing()
        {
            await CreateBucketsAsync(Bucket);
            var request = new BucketSettingsRequest { BlockPublicAcls = true, Policy = PublicPolicy, CorsAllowedOrigin = new[] { "*" }, WebsiteIndexDocument = "index.html" };
            Host.IsWhatIf = true;

            Assert.Null(await SetAsync(request));

            var shown = Host.Confirmations.ToList();
            Assert.Equal(4, shown.Count);
            Assert.DoesNotContain(Recorder.Calls, c => c.Method == "PUT" || c.Method == "DELETE");
            Host.IsWhatIf = false;
            Host.Confirmations.Clear();
            Assert.NotNull(await SetAsync(request));
            Assert.Equal(shown, Host.Confirmations);
        }

        [Fact]
        public async Task A_CORS_write_that_fails_after_the_policy_write_puts_the_replaced_policy_back()
        {
            await CreateBucketsAsync(Bucket);
            await SetAsync(new BucketSettingsRequest { Policy = OtherPolicy });
            Recorder.Clear();
            Recorder.FailNth("PutBucketCors", 1, r => RecordingHttpClientFactory.S3Error(r, System.Net.HttpStatusCode.BadRequest, "MalformedXML"));

            var error = await Assert.ThrowsAnyAsync<System.Exception>(() => SetAsync(new BucketSettingsRequest { Policy = PublicPolicy, CorsAllowedOrigin = new[] { "*" } }));

            Assert.Contains("MalformedXML", error.Message);
            Assert.Equal(new[] { "PutBucketPolicy", "PutBucketCors", "PutBucketPolicy" }, Recorder.Calls.Where(c => c.Method == "PUT").Select(c => c.Action));
            Assert.Contains("OldGetObject", await PolicyOrNullAsync());
            Assert.Empty(Host.Warnings);
        }

        [Fact]
        public async Task A_policy_written_where_there_was_none_is_removed_when_the_CORS_write_fails()
        {
            await CreateBucketsAsync(Bucket);
            Recorder.FailNth("PutBucketCors", 1, r => RecordingHttpClientFactory.S3Error(r, System.Net.HttpStatusCode.BadRequest, "MalformedXML"));

            await Assert.ThrowsAnyAsync<System.Exception>(() => SetAsync(new BucketSettingsRequest { Policy = PublicPolicy, CorsAllowedOrigin = new[] { "*" } }));

            Assert.Equal(1, Recorder.Count("DeleteBucketPolicy"));
            Assert.Null(await PolicyOrNullAsync());
        }

        [Fact]
        public async Task Stopped_while_the_CORS_write_is_in_flight_both_the_CORS_rules_and_the_policy_are_removed_again()
        {
            await CreateBucketsAsync(Bucket);
            using var stop = new CancellationTokenSource();
            Recorder.CancelAtNth("PutBucketCors", 1, stop, inFlight: true);

            await Assert.ThrowsAnyAsync<System.OperationCanceledException>(() => BucketSettingsOperation.RunAsync(MotoSession(),
                new BucketSettingsRequest { BucketName = Bucket, Policy = PublicPolicy, CorsAllowedOrigin = new[] { "*" } }, Host, stop.Token));

            Assert.Equal(new[] { "DeleteBucketCors", "DeleteBucketPolicy" }, Recorder.Calls.Where(c => c.Method == "DELETE").Select(c => c.Action));
            Assert.Null(await PolicyOrNullAsync());
            using var s3 = SetupSession().CreateS3Client();
            Assert.Null(await BucketSettingsOperation.CurrentCorsAsync(s3, Bucket, CancellationToken.None));
            Assert.Empty(Host.Warnings);
        }

        [Fact]
        public async Task Declined_at_the_second_question_the_third_is_not_asked_and_the_first_setting_is_put_back()
        {
            await CreateBucketsAsync(Bucket);
            Host.Answer = (target, action) => !action.StartsWith("Set the bucket policy", System.StringComparison.Ordinal);

            Assert.Null(await SetAsync(new BucketSettingsRequest { BlockPublicAcls = true, Policy = PublicPolicy, CorsAllowedOrigin = new[] { "*" } }));

            Assert.Equal(new[] { "Set the public access block", "Set the bucket policy" },
                Host.Confirmations.Select(c => c.Action.Substring(0, c.Action.IndexOf(" to:", System.StringComparison.Ordinal))));
            Assert.Equal(new[] { "PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock" },
                Recorder.Calls.Where(c => c.Method == "PUT" || c.Method == "DELETE").Select(c => c.Action));
            Assert.Contains(Host.Warnings, w => w.StartsWith("A step was declined: undoing", System.StringComparison.Ordinal));
            using var s3 = SetupSession().CreateS3Client();
            var block = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = Bucket }));
            Assert.Equal("NoSuchPublicAccessBlockConfiguration", block.ErrorCode);
            Assert.Null(await PolicyOrNullAsync());
            Assert.Null(await BucketSettingsOperation.CurrentCorsAsync(s3, Bucket, CancellationToken.None));
        }

        [Fact]
        public async Task Declined_at_the_first_question_nothing_is_written_and_nothing_more_is_asked()
        {
            await CreateBucketsAsync(Bucket);
            Host.Answer = (target, action) => false;

            Assert.Null(await SetAsync(new BucketSettingsRequest { Policy = PublicPolicy, CorsAllowedOrigin = new[] { "*" } }));

            Assert.Single(Host.Confirmations);
            Assert.DoesNotContain(Recorder.Calls, c => c.Method == "PUT" || c.Method == "DELETE");
            Assert.Empty(Host.Warnings);
        }

        [Fact]
        public async Task What_the_rollback_cannot_put_back_is_named_in_a_warning_and_in_the_error()
        {
            await CreateBucketsAsync(Bucket);
            Recorder.FailNth("PutBucketCors", 1, r => RecordingHttpClientFactory.S3Error(r, System.Net.HttpStatusCode.BadRequest, "MalformedXML"));
            Recorder.FailNth("DeleteBucketPolicy", 1, r => RecordingHttpClientFactory.S3Error(r, System.Net.HttpStatusCode.Forbidden, "AccessDenied"));

            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => SetAsync(new BucketSettingsRequest { Policy = PublicPolicy, CorsAllowedOrigin = new[] { "*" } }));

            Assert.Contains("Could not undo", error.Message);
            Assert.Contains("bucket policy of bucket 'settings-bucket'", error.Message);
            Assert.Contains(Host.Warnings, w => w.Contains("bucket policy of bucket 'settings-bucket'"));
            Assert.NotNull(await PolicyOrNullAsync());
        }

        [Theory]
        [InlineData("Policy")]
        [InlineData("Cors")]
        [InlineData("CorsAllowedMethod")]
        [InlineData("Nothing")]
        public async Task Bad_or_contradicting_settings_are_refused_before_any_request_naming_the_parameter(string what)
        {
            var request = what switch
            {
                "Policy" => new BucketSettingsRequest { Policy = "{\"Version\":\"2012-10-17\"}" },
                "Cors" => new BucketSettingsRequest { Cors = "{}", RemoveCors = true },
                "CorsAllowedMethod" => new BucketSettingsRequest { CorsAllowedMethod = new[] { "PATCH" } },
                _ => new BucketSettingsRequest(),
            };
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => SetAsync(request));
            Assert.Equal(what == "Nothing" ? "Policy" : what == "Cors" ? "RemoveCors" : what, error.ParameterName);
            Assert.Empty(Recorder.Calls);
        }

        [Fact]
        public void The_website_URL_uses_a_dash_in_older_regions_and_a_dot_in_newer_ones()
        {
            Assert.Equal("http://b.s3-website-eu-west-1.amazonaws.com", BucketSettingsOperation.WebsiteUrl("b", "eu-west-1", S3Credentials.Core.Aws.AwsPartition.Aws));
            Assert.Equal("http://b.s3-website.eu-central-1.amazonaws.com", BucketSettingsOperation.WebsiteUrl("b", "eu-central-1", S3Credentials.Core.Aws.AwsPartition.Aws));
        }
    }
}
