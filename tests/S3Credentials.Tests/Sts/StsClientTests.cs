using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;
using S3Credentials.Core.AwsProtocol;
using S3Credentials.Core.Sts;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Sts
{
    /// <summary>
    /// The module's own STS client (Query protocol on AWSSDK.Core's pipeline) against moto: each operation's parameters
    /// as sent, its answer as read, errors, endpoints and signing, and the ICoreAmazonSTS face AWSSDK.Core uses for role
    /// and web-identity credentials.
    /// </summary>
    public sealed class StsClientTests : MotoTestBase
    {
        private const string RoleArn = "arn:aws:iam::123456789012:role/reader";

        public StsClientTests(MotoServer moto) : base(moto) { }

        private StsClient Client(AWSCredentials credentials = null) => MotoSession().CreateOwnStsClient(credentials);

        [Fact]
        public async Task Caller_identity_is_read_from_the_answer()
        {
            using var sts = Client();
            var identity = await sts.GetCallerIdentityAsync();

            Assert.Equal(MotoServer.AccountId, identity.Account);
            Assert.Equal($"arn:aws:sts::{MotoServer.AccountId}:user/moto", identity.Arn);
            Assert.False(string.IsNullOrEmpty(identity.UserId));
            var call = Recorder.Calls.Single(c => c.Action == "GetCallerIdentity");
            Assert.Equal("sts", call.Service);
            Assert.Equal("POST", call.Method);
            Assert.Contains("Version=2011-06-15", call.Body);
        }

        [Fact]
        public async Task AssumeRole_sends_every_parameter_and_reads_the_credentials_and_the_assumed_role()
        {
            using var sts = Client();
            var role = await sts.AssumeRoleAsync(new StsAssumeRoleRequest
            {
                RoleArn = RoleArn,
                RoleSessionName = "reader-session",
                DurationSeconds = 900,
                Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}",
                PolicyArns = new[] { "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" },
                ExternalId = "external-1",
                SerialNumber = "arn:aws:iam::123456789012:mfa/alice",
                TokenCode = "123456",
                SourceIdentity = "alice",
                Tags = new[] { new KeyValuePair<string, string>("team", "data ops") },
                TransitiveTagKeys = new[] { "team" },
            });

            Assert.StartsWith("ASIA", role.Credentials.AccessKeyId);
            Assert.False(string.IsNullOrEmpty(role.Credentials.SecretAccessKey));
            Assert.False(string.IsNullOrEmpty(role.Credentials.SessionToken));
            Assert.Equal(DateTimeKind.Utc, role.Credentials.Expiration.Kind);
            Assert.InRange(role.Credentials.Expiration, DateTime.UtcNow.AddMinutes(10), DateTime.UtcNow.AddMinutes(20));
            Assert.Equal($"arn:aws:sts::{MotoServer.AccountId}:assumed-role/reader/reader-session", role.AssumedRoleArn);
            Assert.EndsWith(":reader-session", role.AssumedRoleId);
            Assert.DoesNotContain(role.Credentials.SecretAccessKey, role.Credentials.ToString());
            Assert.DoesNotContain(role.Credentials.SessionToken, role.Credentials.ToString());

            var body = Recorder.Calls.Single(c => c.Action == "AssumeRole").Body;
            foreach (var expected in new[]
            {
                "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Freader", "RoleSessionName=reader-session", "DurationSeconds=900",
                "Policy=%7B", "PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAmazonS3ReadOnlyAccess",
                "ExternalId=external-1", "SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice", "TokenCode=123456",
                "SourceIdentity=alice", "Tags.member.1.Key=team", "Tags.member.1.Value=data%20ops", "TransitiveTagKeys.member.1=team",
            })
                Assert.Contains(expected, body);
        }

        [Fact]
        public async Task Parameters_not_given_are_not_sent()
        {
            using var sts = Client();
            await sts.AssumeRoleAsync(new StsAssumeRoleRequest { RoleArn = RoleArn, RoleSessionName = "plain" });

            var body = Recorder.Calls.Single(c => c.Action == "AssumeRole").Body;
            foreach (var absent in new[] { "DurationSeconds", "Policy", "ExternalId", "SerialNumber", "TokenCode", "SourceIdentity", "Tags", "TransitiveTagKeys" })
                Assert.DoesNotContain(absent + "=", body);
        }

        [Fact]
        public async Task A_federation_token_names_the_federated_user()
        {
            using var sts = Client();
            var token = await sts.GetFederationTokenAsync("carol", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", 3600);

            Assert.Equal($"arn:aws:sts::{MotoServer.AccountId}:federated-user/carol", token.FederatedUserArn);
            Assert.Equal($"{MotoServer.AccountId}:carol", token.FederatedUserId);
            Assert.False(string.IsNullOrEmpty(token.Credentials.SessionToken));
            Assert.InRange(token.Credentials.Expiration, DateTime.UtcNow.AddMinutes(50), DateTime.UtcNow.AddMinutes(70));
            Assert.Contains("Name=carol", Recorder.Calls.Single(c => c.Action == "GetFederationToken").Body);
        }

        [Fact]
        public async Task AssumeRoleWithWebIdentity_is_sent_unsigned_and_other_calls_signed()
        {
            using var sts = Client(new AnonymousAWSCredentials());
            var role = await sts.AssumeRoleWithWebIdentityAsync(new StsWebIdentityRequest
            {
                RoleArn = RoleArn, RoleSessionName = "web", WebIdentityToken = "a-web-identity-token", DurationSeconds = 1200,
                PolicyArns = new[] { "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" },
            });
            using (var signed = Client())
                await signed.GetCallerIdentityAsync();

            Assert.Equal($"arn:aws:sts::{MotoServer.AccountId}:assumed-role/reader/web", role.AssumedRoleArn);
            var web = Recorder.Calls.Single(c => c.Action == "AssumeRoleWithWebIdentity");
            Assert.Null(web.CredentialScope);
            Assert.Contains("WebIdentityToken=a-web-identity-token", web.Body);
            Assert.Contains("DurationSeconds=1200", web.Body);
            Assert.Contains("PolicyArns.member.1.arn=", web.Body);
            Assert.Contains("/us-east-1/sts/aws4_request", Recorder.Calls.Single(c => c.Action == "GetCallerIdentity").CredentialScope);
        }

        [Fact]
        public async Task Errors_become_StsServiceException_with_code_request_id_and_status_and_no_secret()
        {
            Moto.SetAuthEnforced(true);
            using var sts = Client(new BasicAWSCredentials("AKIAUNKNOWN000000001", TestSecretKey));

            var error = await Assert.ThrowsAsync<StsServiceException>(() => sts.GetCallerIdentityAsync());

            Assert.Equal("InvalidClientTokenId", error.ErrorCode);
            Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
            Assert.DoesNotContain(TestSecretKey, error.ToString());

            // moto's refusals carry no request id; AWS's do, and it is kept.
            Moto.SetAuthEnforced(false);
            Recorder.FailNth("AssumeRole", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "User is not authorized to perform: sts:AssumeRole"));
            var refused = await Assert.ThrowsAsync<StsServiceException>(() => sts.AssumeRoleAsync(new StsAssumeRoleRequest { RoleArn = RoleArn, RoleSessionName = "refused" }));
            Assert.Equal("AccessDenied", refused.ErrorCode);
            Assert.StartsWith("injected-", refused.RequestId);
            Assert.Equal(ErrorType.Sender, refused.ErrorType);
            Assert.Contains("sts:AssumeRole", refused.Message);
        }

        [Theory]
        [InlineData("us-east-1", "https://sts.us-east-1.amazonaws.com")]
        [InlineData("eu-west-3", "https://sts.eu-west-3.amazonaws.com")]
        [InlineData("cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn")]
        [InlineData("us-gov-west-1", "https://sts.us-gov-west-1.amazonaws.com")]
        public async Task The_regional_endpoint_is_used_and_requests_are_signed_for_the_region_also_at_another_endpoint(string region, string endpoint)
        {
            var config = new StsClientConfig(region);
            Assert.Equal(endpoint, config.EndpointProvider.ResolveEndpoint(new OwnEndpointParameters { Region = region }).URL);

            using var sts = MotoSession(region: region).CreateStsClient();
            await sts.GetCallerIdentityAsync();
            Assert.StartsWith(Moto.Endpoint, Recorder.Calls.Single().Url);
            Assert.Contains("/" + region + "/sts/aws4_request", Recorder.Calls.Single().CredentialScope);
        }

        [Fact]
        public async Task AWS_ENDPOINT_URL_STS_sends_the_client_elsewhere()
        {
            Environment.Set("AWS_ENDPOINT_URL_STS", Moto.Endpoint);
            using var sts = new StsClient(new BasicAWSCredentials(TestAccessKey, TestSecretKey), new StsClientConfig("eu-west-1") { HttpClientFactory = Recorder });

            var identity = await sts.GetCallerIdentityAsync();

            Assert.Equal(MotoServer.AccountId, identity.Account);
            Assert.StartsWith(Moto.Endpoint, Recorder.Calls.Single().Url);
        }

        [Theory]
        [InlineData(true, false, "FIPS")]
        [InlineData(false, true, "dual-stack")]
        public async Task FIPS_or_dual_stack_without_an_endpoint_URL_is_refused_before_sending_not_silently_downgraded(bool fips, bool dualStack, string variant)
        {
            var keys = new BasicAWSCredentials(TestAccessKey, TestSecretKey);
            // Should the refusal ever go, what would be sent to AWS is answered here instead (and recorded).
            var guard = new RecordingHttpClientFactory();
            foreach (var action in new[] { "GetCallerIdentity", "ListUsers" })
                guard.Intercept(action, (_, _) => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "NotSent", "this request should not have been sent"));
            using (var sts = new StsClient(keys, new StsClientConfig("us-east-1") { UseFIPSEndpoint = fips, UseDualstackEndpoint = dualStack, HttpClientFactory = guard }))
            {
                var error = await Assert.ThrowsAsync<AmazonClientException>(() => sts.GetCallerIdentityAsync());
                Assert.Contains(variant + " endpoints", error.Message);
                Assert.Contains("AWS_ENDPOINT_URL_STS", error.Message);
            }
            using (var iam = new S3Credentials.Core.Iam.IamClient(keys, new S3Credentials.Core.Iam.IamClientConfig { UseFIPSEndpoint = fips, UseDualstackEndpoint = dualStack, HttpClientFactory = guard }))
                Assert.Contains("AWS_ENDPOINT_URL_IAM", (await Assert.ThrowsAsync<AmazonClientException>(() => iam.ListUsersAsync())).Message);
            Assert.Empty(guard.Calls);

            // With an endpoint URL, that URL is used as given.
            using var pointed = new StsClient(keys, new StsClientConfig("us-east-1") { UseFIPSEndpoint = fips, UseDualstackEndpoint = dualStack, ServiceURL = Moto.Endpoint, HttpClientFactory = Recorder });
            Assert.Equal(MotoServer.AccountId, (await pointed.GetCallerIdentityAsync()).Account);
        }

        [Fact]
        public async Task As_ICoreAmazonSTS_it_makes_the_SDKs_AssumeRole_call_with_every_option_and_asks_for_the_MFA_code()
        {
            using var sts = Client();
            var asked = 0;
            var options = new AssumeRoleAWSCredentialsOptions
            {
                ExternalId = "external-2",
                MfaSerialNumber = "arn:aws:iam::123456789012:mfa/bob",
                MfaTokenCodeCallback = () => { asked++; return "654321"; },
                DurationSeconds = 1800,
                Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
                SourceIdentity = "bob",
                Tags = new List<KeyValuePair<string, string>> { new KeyValuePair<string, string>("project", "x") },
                TransitiveTagKeys = new List<string> { "project" },
            };

            var credentials = await ((ICoreAmazonSTS)sts).CredentialsFromAssumeRoleAuthenticationAsync(RoleArn, "core-session", options);

            Assert.StartsWith("ASIA", credentials.AccessKey);
            Assert.True(credentials.UseToken);
            Assert.InRange(credentials.Expiration, DateTime.UtcNow.AddMinutes(25), DateTime.UtcNow.AddMinutes(35));
            Assert.Equal(1, asked);
            var body = Recorder.Calls.Single(c => c.Action == "AssumeRole").Body;
            foreach (var expected in new[] { "RoleSessionName=core-session", "ExternalId=external-2", "SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fbob",
                "TokenCode=654321", "DurationSeconds=1800", "Policy=", "SourceIdentity=bob", "Tags.member.1.Key=project", "TransitiveTagKeys.member.1=project" })
                Assert.Contains(expected, body);
        }

        [Fact]
        public async Task As_ICoreAmazonSTS_a_refusal_is_the_SDKs_AmazonClientException_naming_the_role_with_STSs_error_inside()
        {
            Moto.SetAuthEnforced(true);
            using var sts = Client(new BasicAWSCredentials("AKIAUNKNOWN000000002", TestSecretKey));

            var error = await Assert.ThrowsAsync<AmazonClientException>(() => ((ICoreAmazonSTS)sts).CredentialsFromAssumeRoleAuthenticationAsync(RoleArn, "refused", new AssumeRoleAWSCredentialsOptions()));

            Assert.Equal("Error calling AssumeRole for role " + RoleArn, error.Message);
            Assert.Equal("InvalidClientTokenId", Assert.IsType<StsServiceException>(error.InnerException).ErrorCode);
        }

        [Fact]
        public void SAML_is_refused_with_a_clear_error_before_any_request()
        {
            using var sts = Client();
            var error = Assert.Throws<NotSupportedException>(() => ((ICoreAmazonSTS)sts).CredentialsFromSAMLAuthentication("https://adfs.example.com", "Kerberos", RoleArn, TimeSpan.FromHours(1), null));
            Assert.Contains("SAML", error.Message);
            Assert.Empty(Recorder.Calls);
        }
    }
}
