using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Sts;
using S3Credentials.Core;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.HandOff;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.HandOff
{
    /// <summary>
    /// New-S3PresignedUrl's core against moto. In auth mode moto (through tests/moto/run_moto.py) checks a presigned
    /// URL's SigV4 signature, its session token, its expiry and the identity policies of the key that signed it.
    /// </summary>
    public sealed class PresignedUrlTests : NewCredentialTestBase
    {
        private const string Bucket = "hand-off";
        private static readonly HttpClient Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        public PresignedUrlTests(MotoServer moto) : base(moto) { }

        /// <summary>The module's role, trusting the admin, as New-S3Credential -Duration makes it on first use.</summary>
        private async Task CreateModuleRoleAsync()
        {
            using var iam = Iam();
            await iam.CreateRoleAsync(CredentialPlan.DefaultRoleName, TrustPolicies.ForPrincipal("arn:aws:iam::123456789012:user/admin").ToJson(), null, 43200, CredentialPlan.ManagedPath);
            await iam.PutRolePolicyAsync(CredentialPlan.DefaultRoleName, "s3-access", S3AccessPolicies.RolePermissionsPolicy(AwsPartition.Aws).ToJson());
        }

        /// <summary>Temporary credentials as New-S3Credential -Duration makes them (AssumeRole), with moto in auth mode.</summary>
        private async Task<S3Credential> TemporaryCredentialAsync(TimeSpan duration)
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync(Bucket);
            await CreateModuleRoleAsync();
            Moto.SetAuthEnforced(true);
            return await CreateAsync(new NewCredentialRequest { BucketNames = new[] { Bucket }, Duration = duration }, admin);
        }

        /// <summary>A session whose credentials are the given object, as -Credential passes New-S3Credential's output.</summary>
        private AwsSession SessionFor(S3Credential credential)
        {
            var options = MotoOptions();
            options.AccessKey = null;
            options.SecretKey = null;
            options.Credential = new CredentialValues(credential.AccessKeyId, credential.SecretAccessKey, credential.SessionToken, credential.Expiration);
            return SessionResolver.Resolve(options);
        }

        private Task<S3PresignedUrl> PresignAsync(AwsSession session, string key, PresignedUrlMethod method = PresignedUrlMethod.Get, TimeSpan? expires = null, string contentType = null)
            => PresignedUrlOperation.CreateAsync(session, new PresignedUrlRequest { BucketName = Bucket, Key = key, Method = method, Expires = expires, ContentType = contentType }, Host, CancellationToken.None);

        private static async Task<(HttpStatusCode Status, string Body, string ContentType)> SendAsync(HttpMethod method, string url, string body = null, string contentType = null)
        {
            using var request = new HttpRequestMessage(method, url);
            if (body != null)
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType != null)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            using var response = await Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString());
        }

        private static string QueryValue(string url, string name)
            => new Uri(url).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Where(p => Uri.UnescapeDataString(p[0]) == name).Select(p => Uri.UnescapeDataString(p[1])).SingleOrDefault();

        private string[] Narration => Host.VerboseMessages.Concat(Host.Warnings).ToArray();

        [Fact]
        public async Task A_PUT_then_a_GET_made_with_temporary_credentials_work_with_a_plain_HttpClient_and_moto_checks_their_signatures()
        {
            var credential = await TemporaryCredentialAsync(TimeSpan.FromHours(1));
            Assert.StartsWith("ASIA", credential.AccessKeyId);
            var session = SessionFor(credential);
            Recorder.Clear();

            var put = await PresignAsync(session, "reports/2026.csv", PresignedUrlMethod.Put, contentType: "text/csv");
            var get = await PresignAsync(session, "reports/2026.csv");
            Assert.Empty(Recorder.Calls); // presigning is local: no AWS call

            foreach (var presigned in new[] { put, get })
            {
                Assert.StartsWith($"{Moto.Endpoint}/{Bucket}/reports/2026.csv?", presigned.Url); // path style, as for every custom endpoint
                Assert.Equal("AWS4-HMAC-SHA256", QueryValue(presigned.Url, "X-Amz-Algorithm"));
                Assert.StartsWith(credential.AccessKeyId + "/", QueryValue(presigned.Url, "X-Amz-Credential"));
                Assert.EndsWith("/us-east-1/s3/aws4_request", QueryValue(presigned.Url, "X-Amz-Credential"));
                Assert.Equal(credential.SessionToken, QueryValue(presigned.Url, "X-Amz-Security-Token"));
                Assert.Equal("3600", QueryValue(presigned.Url, "X-Amz-Expires"));
                Assert.Equal(Bucket, presigned.BucketName);
                Assert.Equal("reports/2026.csv", presigned.Key);
                Assert.InRange(presigned.Expires, DateTime.UtcNow.AddMinutes(59), DateTime.UtcNow.AddMinutes(61));
                Assert.Equal(DateTimeKind.Utc, presigned.Expires.Kind);
            }
            Assert.Equal("PUT", put.Method);
            Assert.Equal("GET", get.Method);
            Assert.Equal("host;content-type", string.Join(";", QueryValue(put.Url, "X-Amz-SignedHeaders").Split(';').OrderByDescending(h => h)));

            var upload = await SendAsync(HttpMethod.Put, put.Url, "year,total\n2026,42\n", "text/csv");
            Assert.Equal(HttpStatusCode.OK, upload.Status);
            var download = await SendAsync(HttpMethod.Get, get.Url);
            Assert.Equal(HttpStatusCode.OK, download.Status);
            Assert.Equal("year,total\n2026,42\n", download.Body);

            // The signature covers the method, the key and the signed Content-Type: moto refuses each change.
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, put.Url)).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Put, put.Url, "x", "text/plain")).Status);
            var otherKey = await SendAsync(HttpMethod.Get, get.Url.Replace("/reports/2026.csv?", "/reports/2025.csv?"));
            Assert.Equal(HttpStatusCode.Forbidden, otherKey.Status);
            Assert.Contains("SignatureDoesNotMatch", otherKey.Body);
            Assert.DoesNotContain(Narration, m => m.Contains(credential.SecretAccessKey) || m.Contains(credential.SessionToken) || m.Contains(QueryValue(get.Url, "X-Amz-Signature")));
        }

        [Fact]
        public async Task Keys_with_spaces_plus_signs_and_non_ASCII_characters_are_signed_as_S3_reads_them()
        {
            var credential = await TemporaryCredentialAsync(TimeSpan.FromHours(1));
            var session = SessionFor(credential);
            const string key = "in box/2026 Q1/naïve+plan (v2)&more.txt";

            var put = await PresignAsync(session, key, PresignedUrlMethod.Put);
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, put.Url, "plan")).Status);
            var get = await PresignAsync(session, key);
            var download = await SendAsync(HttpMethod.Get, get.Url);
            Assert.Equal(HttpStatusCode.OK, download.Status);
            Assert.Equal("plan", download.Body);

            Moto.SetAuthEnforced(false);
            using var s3 = SetupSession().CreateS3Client();
            Assert.Contains(key, (await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = Bucket })).S3Objects.Select(o => o.Key));
        }

        [Fact]
        public async Task Moto_refuses_a_URL_once_it_has_expired_and_a_URL_whose_session_token_was_changed()
        {
            var credential = await TemporaryCredentialAsync(TimeSpan.FromHours(1));
            var session = SessionFor(credential);
            var put = await PresignAsync(session, "short.txt", PresignedUrlMethod.Put, TimeSpan.FromMinutes(5));
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, put.Url, "short")).Status);

            var shortLived = await PresignAsync(session, "short.txt", expires: TimeSpan.FromSeconds(1));
            Assert.Equal("1", QueryValue(shortLived.Url, "X-Amz-Expires"));
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            var expired = await SendAsync(HttpMethod.Get, shortLived.Url);
            Assert.Equal(HttpStatusCode.Forbidden, expired.Status);
            Assert.Contains("AccessDenied", expired.Body);

            var get = await PresignAsync(session, "short.txt");
            var token = Uri.EscapeDataString(credential.SessionToken);
            Assert.Contains("X-Amz-Security-Token=" + token, get.Url);
            var otherToken = await SendAsync(HttpMethod.Get, get.Url.Replace("X-Amz-Security-Token=" + token, "X-Amz-Security-Token=" + token.Substring(0, 20)));
            Assert.NotEqual(HttpStatusCode.OK, otherToken.Status);
            Assert.Contains("InvalidToken", otherToken.Body);
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, get.Url)).Status);
        }

        [Fact]
        public async Task A_URL_can_do_only_what_the_credentials_that_signed_it_may_do()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync(Bucket);
            using (var iam = Iam())
            {
                await iam.CreateRoleAsync("reader", TrustPolicies.ForPrincipal("arn:aws:iam::123456789012:user/admin").ToJson());
                await iam.PutRolePolicyAsync("reader", "read", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":\"*\"}]}");
            }
            using (var s3 = SetupSession().CreateS3Client())
                await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = Bucket, Key = "readme.txt", ContentBody = "read me" });
            Moto.SetAuthEnforced(true);
            StsCredentials keys;
            using (var sts = admin.CreateStsClient())
                keys = (await sts.AssumeRoleAsync(new StsAssumeRoleRequest { RoleArn = "arn:aws:iam::123456789012:role/reader", RoleSessionName = "presign-reader", DurationSeconds = 900 })).Credentials;
            var session = SessionFor(new S3Credential { AccessKeyId = keys.AccessKeyId, SecretAccessKey = keys.SecretAccessKey, SessionToken = keys.SessionToken, Expiration = keys.Expiration });

            var get = await SendAsync(HttpMethod.Get, (await PresignAsync(session, "readme.txt")).Url);
            Assert.Equal(HttpStatusCode.OK, get.Status);
            Assert.Equal("read me", get.Body);
            var put = await SendAsync(HttpMethod.Put, (await PresignAsync(session, "readme.txt", PresignedUrlMethod.Put, TimeSpan.FromMinutes(5))).Url, "overwritten");
            Assert.Equal(HttpStatusCode.Forbidden, put.Status);
            Assert.Contains("AccessDenied", put.Body);
        }

        [Fact]
        public async Task A_GET_can_ask_S3_for_another_Content_Type_and_that_request_is_signed_too()
        {
            var credential = await TemporaryCredentialAsync(TimeSpan.FromHours(1));
            var session = SessionFor(credential);
            var put = await PresignAsync(session, "data.bin", PresignedUrlMethod.Put, contentType: "application/octet-stream");
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, put.Url, "{\"a\":1}", "application/octet-stream")).Status);

            var get = await PresignAsync(session, "data.bin", contentType: "application/json");

            Assert.Equal("application/json", QueryValue(get.Url, "response-content-type"));
            Assert.Equal("application/json", get.ContentType);
            var download = await SendAsync(HttpMethod.Get, get.Url);
            Assert.Equal(HttpStatusCode.OK, download.Status);
            Assert.Equal("{\"a\":1}", download.Body);
            // moto 5.2.1 ignores response-content-type (S3 answers with it), so only the signature over it is checked here.
            var changed = await SendAsync(HttpMethod.Get, get.Url.Replace("response-content-type=application%2Fjson", "response-content-type=text%2Fhtml"));
            Assert.Equal(HttpStatusCode.Forbidden, changed.Status);
            Assert.Contains("SignatureDoesNotMatch", changed.Body);
        }

        [Fact]
        public async Task Permanent_keys_give_a_URL_without_a_session_token()
        {
            await CreateBucketsAsync(Bucket);
            var get = await PresignAsync(MotoSession(), "public-ish.txt");
            Assert.Null(QueryValue(get.Url, "X-Amz-Security-Token"));
            Assert.StartsWith(TestAccessKey + "/", QueryValue(get.Url, "X-Amz-Credential"));
        }

        [Fact]
        public async Task An_expiry_beyond_the_credentials_expiration_is_cut_to_it_with_a_warning()
        {
            var credential = await TemporaryCredentialAsync(TimeSpan.FromMinutes(15));
            var session = SessionFor(credential);
            Assert.Equal(credential.Expiration, (await session.GetCredentialsWithExpirationAsync()).Expiration);

            var get = await PresignAsync(session, "capped.txt", expires: TimeSpan.FromDays(2));

            var warning = Assert.Single(Host.Warnings);
            Assert.Contains("-Expires 48h outlasts the credentials", warning);
            Assert.Contains($"{credential.Expiration:u}", warning);
            Assert.InRange(long.Parse(QueryValue(get.Url, "X-Amz-Expires")), 850, 901);
            Assert.InRange(get.Expires, credential.Expiration.Value.AddSeconds(-2), credential.Expiration.Value.AddSeconds(2));

            Host.Warnings.Clear();
            var shorter = await PresignAsync(session, "capped.txt", expires: TimeSpan.FromMinutes(5));
            Assert.Empty(Host.Warnings);
            Assert.Equal("300", QueryValue(shorter.Url, "X-Amz-Expires"));
        }

        [Fact]
        public async Task Refreshing_credentials_of_a_role_profile_cap_the_expiry_at_their_own_expiration()
        {
            await AdminSessionAsync();
            Environment.WriteCredentials($"[presign-base]\naws_access_key_id = {TestAccessKey}\naws_secret_access_key = {TestSecretKey}\n");
            Environment.WriteConfig("[profile presign-role]\nrole_arn = arn:aws:iam::123456789012:role/presign-role\nsource_profile = presign-base\nrole_session_name = presign\nduration_seconds = 900\n");
            Environment.Set("AWS_ENDPOINT_URL_STS", Moto.Endpoint);
            var session = SessionResolver.Resolve(new SessionOptions { ProfileName = "presign-role", Region = "us-east-1", EndpointUrl = Moto.Endpoint, StsEndpointUrl = Moto.Endpoint, HttpClientFactory = Recorder });
            Assert.Null(session.CredentialExpiration);

            var get = await PresignAsync(session, "from-profile.txt", expires: TimeSpan.FromHours(6));

            var (keys, expiration) = await session.GetCredentialsWithExpirationAsync();
            Assert.StartsWith("ASIA", keys.AccessKey);
            Assert.NotNull(expiration);
            Assert.InRange(expiration.Value, DateTime.UtcNow.AddMinutes(5), DateTime.UtcNow.AddHours(1).AddMinutes(1));
            Assert.Contains("outlasts the credentials", Assert.Single(Host.Warnings));
            Assert.InRange(get.Expires, expiration.Value.AddSeconds(-2), expiration.Value.AddSeconds(2));
            Assert.Equal(keys.Token, QueryValue(get.Url, "X-Amz-Security-Token"));
        }

        [Fact]
        public async Task Expired_credentials_are_refused_before_signing()
        {
            var session = SessionFor(new S3Credential { AccessKeyId = "ASIAIOSFODNN7EXAMPLE", SecretAccessKey = TestSecretKey, SessionToken = "token-of-the-past", Expiration = DateTime.UtcNow.AddMinutes(-1) });

            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => PresignAsync(session, "late.txt"));

            Assert.Equal("CredentialsExpired", error.ErrorId);
            Assert.Equal(FailureKind.AuthenticationError, error.Kind);
            Assert.DoesNotContain("token-of-the-past", error.Message);
            Assert.DoesNotContain(TestSecretKey, error.Message);
        }

        [Fact]
        public async Task Permanent_keys_sign_for_up_to_seven_days_and_by_default_for_one_hour()
        {
            var session = MotoSession();

            var week = await PresignAsync(session, "weekly.zip", PresignedUrlMethod.Put, TimeSpan.FromDays(7));
            var hour = await PresignAsync(session, "weekly.zip");

            Assert.Equal("604800", QueryValue(week.Url, "X-Amz-Expires"));
            Assert.Equal("3600", QueryValue(hour.Url, "X-Amz-Expires"));
            Assert.Equal(PresignedUrlOperation.ReadExpiry(week.Url), week.Expires);
            Assert.Empty(Host.Warnings);
            Assert.Empty(Host.Confirmations);
        }

        [Theory]
        [InlineData("eu-west-2", "https://hand-off.s3.eu-west-2.amazonaws.com/reports/2026.csv?")]
        [InlineData("us-east-1", "https://hand-off.s3.us-east-1.amazonaws.com/reports/2026.csv?")]
        [InlineData("cn-north-1", "https://hand-off.s3.cn-north-1.amazonaws.com.cn/reports/2026.csv?")]
        public async Task Without_a_custom_endpoint_the_URL_is_AWSs_virtual_hosted_one_signed_for_the_region(string region, string start)
        {
            var options = MotoOptions(region: region);
            options.EndpointUrl = null;
            var get = await PresignAsync(SessionResolver.Resolve(options), "reports/2026.csv");
            Assert.StartsWith(start, get.Url);
            Assert.EndsWith($"/{region}/s3/aws4_request", QueryValue(get.Url, "X-Amz-Credential"));
            Assert.Empty(Recorder.Calls);
        }

        [Fact]
        public async Task Presigning_changes_nothing_so_it_asks_no_question_even_under_WhatIf()
        {
            Host.IsWhatIf = true; // $WhatIfPreference set in the session
            Assert.NotNull(await PresignAsync(MotoSession(), "maybe.txt"));
            Assert.Empty(Host.Confirmations);
        }

        public static TheoryData<string, string, string, string, string, string> BadInput => new()
        {
            // bucket, key, expires, content type -> parameter, error id
            { "Bad_Bucket", "a.txt", null, null, "BucketName", "InvalidBucketNameCharacters" },
            { "hand-off", "", null, null, "Key", "KeyEmpty" },
            { "hand-off", "/a.txt", null, null, "Key", "KeyLeadingSlash" },
            { "hand-off", "a\u0001.txt", null, null, "Key", "KeyControlCharacter" },
            { "hand-off", new string('k', 1025), null, null, "Key", "KeyTooLong" },
            { "hand-off", "a.txt", "8.00:00:00", null, "Expires", "DurationOutOfRange" },
            { "hand-off", "a.txt", "604801", null, "Expires", "DurationOutOfRange" },
            { "hand-off", "a.txt", "0", null, "Expires", "DurationOutOfRange" },
            { "hand-off", "a.txt", "00:00:01.5", null, "Expires", "DurationNotWholeSeconds" },
            { "hand-off", "a.txt", "soon", null, "Expires", "DurationInvalid" },
            { "hand-off", "a.txt", null, "csv", "ContentType", "ContentTypeInvalid" },
            { "hand-off", "a.txt", null, "text/csv\r\nX-Evil: 1", "ContentType", "ContentTypeInvalid" },
        };

        [Theory]
        [MemberData(nameof(BadInput))]
        public async Task Bad_input_is_refused_naming_the_parameter_before_any_call(string bucket, string key, string expires, string contentType, string parameter, string errorId)
        {
            var error = await Assert.ThrowsAsync<S3CredentialsException>(async () =>
            {
                var request = new PresignedUrlRequest
                {
                    BucketName = bucket,
                    Key = key,
                    Expires = expires == null ? (TimeSpan?)null : DurationParser.Parse(expires, "Expires"),
                    ContentType = contentType,
                };
                await PresignedUrlOperation.CreateAsync(MotoSession(), request, Host, CancellationToken.None);
            });

            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(parameter, error.ParameterName);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.Contains("-" + parameter, error.Message);
            Assert.Empty(Recorder.Calls);
            Assert.Empty(Host.Confirmations);
        }
    }
}
