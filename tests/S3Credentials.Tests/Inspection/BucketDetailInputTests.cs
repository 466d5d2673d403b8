using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Operations;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Inspection
{
    /// <summary>
    /// Get-S3BucketDetail without moto: name patterns, the checks made before any request, and answers only an injected
    /// response can give. The endpoint is a closed port, so a request that was not injected would fail the test.
    /// </summary>
    [Collection(S3Credentials.Tests.Infrastructure.MotoCollection.Name)] // changes the process environment (EnvironmentScope)
    public sealed class BucketDetailInputTests : IDisposable
    {
        private readonly EnvironmentScope _environment = new EnvironmentScope();
        private readonly RecordingHttpClientFactory _recorder = new RecordingHttpClientFactory();

        public void Dispose() => _environment.Dispose();

        private AwsSession Session() => SessionResolver.Resolve(new SessionOptions
        {
            AccessKey = MotoTestBase.TestAccessKey,
            SecretKey = MotoTestBase.TestSecretKey,
            Region = "us-east-1",
            EndpointUrl = "http://127.0.0.1:9",
            HttpClientFactory = _recorder,
        });

        private Task RunAsync(int throttleLimit, params string[] names)
            => BucketDetailOperation.RunAsync(Session(), names, throttleLimit, new RecordingOperationHost(), CancellationToken.None);

        [Theory]
        [InlineData("", "BucketNamePatternEmpty")]
        [InlineData(null, "BucketNamePatternEmpty")]
        [InlineData("logs/2026", "BucketNamePatternInvalidCharacter")]
        [InlineData("my bucket", "BucketNamePatternInvalidCharacter")]
        [InlineData("tab\there", "BucketNamePatternInvalidCharacter")]
        [InlineData("caf\u00e9-*", "BucketNamePatternInvalidCharacter")]
        [InlineData("logs-[ab]", "BucketNamePatternUnsupportedWildcard")]
        [InlineData("logs-`*", "BucketNamePatternUnsupportedWildcard")]
        [InlineData("ab", "BucketNamePatternLength")]
        [InlineData("x", "BucketNamePatternLength")]
        public async Task Names_that_can_never_match_a_bucket_are_refused_before_any_request(string name, string errorId)
        {
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => RunAsync(8, "fine-bucket", name));

            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.Equal("BucketName", error.ParameterName);
            Assert.StartsWith("-BucketName", error.Message);
            Assert.DoesNotContain("\t", error.Message);
            Assert.Empty(_recorder.Calls);
        }

        [Fact]
        public void A_name_without_wildcards_may_be_255_characters_but_not_256()
        {
            Assert.False(BucketNamePattern.Parse(new string('a', 255)).HasWildcards);
            Assert.Equal("BucketNamePatternLength", Assert.Throws<S3CredentialsException>(() => BucketNamePattern.Parse(new string('a', 256))).ErrorId);
            Assert.True(BucketNamePattern.Parse(new string('a', 300) + "*").HasWildcards);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(65)]
        public async Task A_ThrottleLimit_out_of_range_is_refused_before_any_request(int limit)
        {
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => RunAsync(limit));

            Assert.Equal("ThrottleLimitOutOfRange", error.ErrorId);
            Assert.Equal("ThrottleLimit", error.ParameterName);
            Assert.Contains(limit.ToString(), error.Message);
            Assert.Empty(_recorder.Calls);
        }

        [Theory]
        [InlineData("logs-*", "logs-2026", true)]
        [InlineData("logs-*", "logs-", true)]
        [InlineData("logs-*", "old-logs-2026", false)]
        [InlineData("*-logs", "app-logs", true)]
        [InlineData("*", "anything.at.all", true)]
        [InlineData("a?c", "abc", true)]
        [InlineData("a?c", "ac", false)]
        [InlineData("a?c", "abbc", false)]
        [InlineData("a.c", "abc", false)]
        [InlineData("a*b*c", "a-x-b-y-c", true)]
        [InlineData("Logs-*", "logs-2026", false)]
        [InlineData("logs-2026", "logs-2026", true)]
        [InlineData("logs-2026", "Logs-2026", false)]
        [InlineData("logs-2026", "logs-2026-x", false)]
        public void Patterns_match_whole_names_case_sensitively_with_star_and_question_mark(string pattern, string name, bool matches)
            => Assert.Equal(matches, BucketNamePattern.Parse(pattern).IsMatch(name));

        [Theory]
        [InlineData(null, "us-east-1")]
        [InlineData("", "us-east-1")]
        [InlineData("US", "us-east-1")]
        [InlineData("EU", "eu-west-1")]
        [InlineData("eu-central-1", "eu-central-1")]
        public void RegionOf_maps_location_constraints(string location, string region)
            => Assert.Equal(region, BucketDetailOperation.RegionOf(location));

        [Fact]
        public void Grants_read_type_grantee_and_permission()
        {
            Assert.Equal("CanonicalUser:abc123:FULL_CONTROL", BucketDetailOperation.FormatGrant(new S3Grant
            {
                Grantee = new S3Grantee { CanonicalUser = "abc123" }, Permission = S3Permission.FULL_CONTROL,
            }));
            Assert.Equal("Group:http://acs.amazonaws.com/groups/global/AllUsers:READ", BucketDetailOperation.FormatGrant(new S3Grant
            {
                Grantee = new S3Grantee { URI = "http://acs.amazonaws.com/groups/global/AllUsers" }, Permission = S3Permission.READ,
            }));
            Assert.Equal("AmazonCustomerByEmail:someone@example.com:WRITE_ACP", BucketDetailOperation.FormatGrant(new S3Grant
            {
                Grantee = new S3Grantee { EmailAddress = "someone@example.com" }, Permission = S3Permission.WRITE_ACP,
            }));
        }

        [Fact]
        public async Task A_continuation_token_that_comes_back_again_stops_the_listing()
        {
            _recorder.FailNth("ListBuckets", 1, _ => ListBucketsPage("same-token"));
            _recorder.FailNth("ListBuckets", 2, _ => ListBucketsPage("same-token"));

            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => RunAsync(8));

            Assert.Equal("ListBucketsTokenRepeated", error.ErrorId);
            Assert.Equal(2, _recorder.Calls.Count);
        }

        [Fact]
        public async Task Without_ListBuckets_permission_the_whole_command_fails()
        {
            _recorder.FailNth("ListBuckets", 1, _ => new HttpResponseMessage(HttpStatusCode.Forbidden)
            {
                Content = new StringContent("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>r1</RequestId></Error>", Encoding.UTF8, "application/xml"),
            });

            var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => RunAsync(8, "logs-*"));

            Assert.Equal("AccessDenied", error.ErrorCode);
            Assert.Equal(FailureKind.PermissionDenied, ErrorDescription.Describe(error).Kind);
            Assert.Single(_recorder.Calls);
        }

        internal static HttpResponseMessage ListBucketsPage(string continuationToken, params string[] names)
        {
            var buckets = new StringBuilder();
            foreach (var name in names)
                buckets.Append($"<Bucket><Name>{name}</Name><CreationDate>2026-01-02T03:04:05.000Z</CreationDate></Bucket>");
            var token = continuationToken == null ? "" : $"<ContinuationToken>{continuationToken}</ContinuationToken>";
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + $"<Owner><ID>owner</ID><DisplayName>owner</DisplayName></Owner><Buckets>{buckets}</Buckets>{token}</ListAllMyBucketsResult>",
                    Encoding.UTF8, "application/xml"),
            };
        }
    }
}
