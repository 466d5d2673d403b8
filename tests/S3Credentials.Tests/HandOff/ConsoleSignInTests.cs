using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.HandOff;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.HandOff
{
    /// <summary>
    /// Get-S3ConsoleSignInUrl's core: AWS's federation endpoint is faked in-process (HttpListener on 127.0.0.1), STS is moto.
    /// </summary>
    public sealed class ConsoleSignInTests : NewCredentialTestBase
    {
        private const string TemporaryKey = "ASIAIOSFODNN7EXAMPLE";
        private const string TemporarySecret = "tmpSecret+/With=Signs/K7MDENG/bPxRfiCYEXAMPLEKEY";
        private const string TemporaryToken = "FwoGZXIvYXdzE+token/with=signs&such\"quotes\"";

        /// <summary>The secret key moto's GetFederationToken always answers with.</summary>
        private const string MotoFederationSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";

        private readonly FakeFederationEndpoint _federation = new FakeFederationEndpoint();

        public ConsoleSignInTests(MotoServer moto) : base(moto) { }

        public override void Dispose()
        {
            _federation.Dispose();
            base.Dispose();
        }

        private AwsSession SessionWith(CredentialValues credential, string region = "us-east-1")
        {
            var options = MotoOptions(region: region);
            options.AccessKey = null;
            options.SecretKey = null;
            options.Credential = credential;
            return SessionResolver.Resolve(options);
        }

        private AwsSession TemporarySession(string region = "us-east-1")
            => SessionWith(new CredentialValues(TemporaryKey, TemporarySecret, TemporaryToken), region);

        private Task<ConsoleSignInUrl> SignInAsync(AwsSession session, ConsoleSignInRequest request)
        {
            request.FederationEndpoint ??= _federation.Url;
            return new ConsoleSignInOperation(session, Host).RunAsync(request, CancellationToken.None);
        }

        private string[] Narration => Host.VerboseMessages.Concat(Host.Warnings).ToArray();

        private static void AssertNoSecretIn(IEnumerable<string> texts, params string[] secrets)
        {
            foreach (var text in texts)
                foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
                {
                    Assert.DoesNotContain(secret, text);
                    Assert.DoesNotContain(Uri.EscapeDataString(secret), text);
                }
        }

        [Fact]
        public async Task Temporary_credentials_give_a_login_URL_with_every_part_encoded()
        {
            _federation.SignInToken = "tok+en/with=signs&more?x y";
            var request = new ConsoleSignInRequest
            {
                Destination = "https://console.aws.amazon.com/s3/buckets/reports?region=eu-west-1&tab=objects",
                Issuer = "https://sso.example.com/login?from=s3&lang=en",
                SessionDuration = TimeSpan.FromHours(2),
            };

            var link = await SignInAsync(TemporarySession(), request);

            Assert.Equal(_federation.Url
                + "?Action=login"
                + "&Issuer=https%3A%2F%2Fsso.example.com%2Flogin%3Ffrom%3Ds3%26lang%3Den"
                + "&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fs3%2Fbuckets%2Freports%3Fregion%3Deu-west-1%26tab%3Dobjects"
                + "&SigninToken=tok%2Ben%2Fwith%3Dsigns%26more%3Fx%20y", link.Url);
            Assert.Equal(request.Destination, link.Destination);
            Assert.Equal(request.Issuer, link.Issuer);
            Assert.Equal(TemporaryKey, link.AccessKeyId);
            Assert.Null(link.FederatedUser);
            Assert.Equal(TimeSpan.FromHours(2), link.SessionDuration);
            Assert.InRange(link.LinkExpires, DateTime.UtcNow.AddMinutes(14), DateTime.UtcNow.AddMinutes(15));

            var sent = Assert.Single(_federation.Requests);
            Assert.Equal("GET", sent.Method);
            Assert.Equal("/federation", sent.Path);
            Assert.StartsWith("Action=getSigninToken&SessionDuration=7200&Session=%7B%22sessionId%22%3A%22", sent.RawQuery);
            Assert.Equal(new Dictionary<string, string> { ["sessionId"] = TemporaryKey, ["sessionKey"] = TemporarySecret, ["sessionToken"] = TemporaryToken },
                FakeFederationEndpoint.SessionOf(sent));
            Assert.Equal(new[] { "Action", "Session", "SessionDuration" }, sent.Query.Keys.OrderBy(k => k, StringComparer.Ordinal));

            AssertNoSecretIn(Narration, TemporarySecret, TemporaryToken, _federation.SignInToken, link.Url);
            Assert.Contains(Host.VerboseMessages, m => m.Contains(TemporaryKey) && m.Contains(_federation.Url));
        }

        [Fact]
        public async Task New_S3Credential_output_hands_off_to_a_console_link()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("console-hand-off");
            var credential = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "console-hand-off" }, Duration = TimeSpan.FromHours(1) }, admin);
            Recorder.Clear();

            var link = await SignInAsync(SessionWith(new CredentialValues(credential.AccessKeyId, credential.SecretAccessKey, credential.SessionToken, credential.Expiration)), new ConsoleSignInRequest());

            Assert.Equal(credential.AccessKeyId, link.AccessKeyId);
            var session = FakeFederationEndpoint.SessionOf(Assert.Single(_federation.Requests));
            Assert.Equal(credential.AccessKeyId, session["sessionId"]);
            Assert.Equal(credential.SecretAccessKey, session["sessionKey"]);
            Assert.Equal(credential.SessionToken, session["sessionToken"]);
            Assert.EndsWith("&SigninToken=abc", link.Url);
            // The federation call goes through the session's HTTP layer, so it is recorded with the AWS calls: it is the only call.
            var call = Assert.Single(Recorder.Calls);
            Assert.StartsWith(_federation.Url + "?Action=getSigninToken&Session=", call.Url);
            AssertNoSecretIn(Narration, credential.SecretAccessKey, credential.SessionToken);
        }

        [Fact]
        public async Task Without_options_the_link_opens_the_console_home_sends_no_SessionDuration_and_names_this_module_as_issuer()
        {
            var link = await SignInAsync(TemporarySession(), new ConsoleSignInRequest());

            Assert.Equal(_federation.Url + "?Action=login&Issuer=S3Credentials&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken=abc", link.Url);
            Assert.Null(link.SessionDuration);
            Assert.DoesNotContain("SessionDuration", Assert.Single(_federation.Requests).Query.Keys);
        }

        [Theory]
        [InlineData("us-east-1", "https://signin.aws.amazon.com/federation", "https://console.aws.amazon.com/")]
        [InlineData("eu-west-2", "https://signin.aws.amazon.com/federation", "https://console.aws.amazon.com/")]
        [InlineData("cn-north-1", "https://signin.amazonaws.cn/federation", "https://console.amazonaws.cn/")]
        [InlineData("us-gov-west-1", "https://signin.amazonaws-us-gov.com/federation", "https://console.amazonaws-us-gov.com/")]
        public async Task The_federation_endpoint_and_the_console_follow_the_partition(string region, string federation, string console)
        {
            var seen = new List<Uri>();
            var operation = new ConsoleSignInOperation(TemporarySession(region), Host)
            {
                CreateHttpClient = () => new HttpClient(new StubHandler(request =>
                {
                    seen.Add(request.RequestUri);
                    return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"SigninToken\":\"xyz\"}", Encoding.UTF8, "application/json") };
                })),
            };

            var link = await operation.RunAsync(new ConsoleSignInRequest(), CancellationToken.None);

            Assert.StartsWith(federation + "?Action=getSigninToken&Session=", Assert.Single(seen).AbsoluteUri);
            Assert.Equal($"{federation}?Action=login&Issuer=S3Credentials&Destination={Uri.EscapeDataString(console)}&SigninToken=xyz", link.Url);
            Assert.Equal(console, link.Destination);
        }

        [Fact]
        public async Task Permanent_credentials_are_refused_without_FederateAs_before_any_call()
        {
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => SignInAsync(MotoSession(), new ConsoleSignInRequest()));

            Assert.Equal("ConsoleSignInNeedsTemporaryCredentials", error.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.Contains("-FederateAs", error.Message);
            Assert.Contains(TestAccessKey, error.Message);
            AssertNoSecretIn(new[] { error.Message }, TestSecretKey);
            Assert.Empty(_federation.Requests);
            Assert.Empty(Recorder.Calls);
        }

        [Fact]
        public async Task FederateAs_exchanges_permanent_keys_with_GetFederationToken_and_sends_no_SessionDuration()
        {
            var link = await SignInAsync(MotoSession(), new ConsoleSignInRequest { FederateAs = "alice@example", SessionDuration = TimeSpan.FromHours(3) });

            var federate = Assert.Single(Recorder.Calls, c => c.Action == "GetFederationToken");
            var form = Form(federate.Body);
            Assert.Equal("alice@example", form["Name"]);
            Assert.Equal("10800", form["DurationSeconds"]);
            Assert.Equal(ConsoleSignInOperation.FederatedSessionPolicy, form["Policy"]);
            Assert.Equal(2, Recorder.Calls.Count); // GetFederationToken, then the federation endpoint

            var sent = Assert.Single(_federation.Requests);
            Assert.DoesNotContain("SessionDuration", sent.Query.Keys);
            var session = FakeFederationEndpoint.SessionOf(sent);
            // moto answers every GetFederationToken with the same fixed keys (its key id happens to be the test key's id);
            // the secret and the token are GetFederationToken's, not the caller's.
            Assert.Equal(link.AccessKeyId, session["sessionId"]);
            Assert.Equal(MotoFederationSecret, session["sessionKey"]);
            Assert.StartsWith("AQoDYXdzEPT//////////wEXAMPLE", session["sessionToken"]);
            Assert.Equal("arn:aws:sts::123456789012:federated-user/alice@example", link.FederatedUser);
            Assert.Equal(TimeSpan.FromHours(3), link.SessionDuration);
            AssertNoSecretIn(Narration, TestSecretKey, session["sessionKey"], session["sessionToken"]);
        }

        [Fact]
        public async Task FederateAs_lasts_one_hour_when_no_SessionDuration_is_given()
        {
            var link = await SignInAsync(MotoSession(), new ConsoleSignInRequest { FederateAs = "bob" });
            Assert.Equal("3600", Form(Assert.Single(Recorder.Calls, c => c.Action == "GetFederationToken").Body)["DurationSeconds"]);
            Assert.Equal(TimeSpan.FromHours(1), link.SessionDuration);
        }

        [Fact]
        public async Task FederateAs_is_refused_for_credentials_that_are_already_temporary()
        {
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => SignInAsync(TemporarySession(), new ConsoleSignInRequest { FederateAs = "alice" }));

            Assert.Equal("FederateAsNeedsPermanentCredentials", error.ErrorId);
            Assert.Equal("FederateAs", error.ParameterName);
            Assert.Empty(Recorder.Calls);
            Assert.Empty(_federation.Requests);
        }

        [Fact]
        public async Task A_refusal_of_the_federation_endpoint_is_reported_without_secrets()
        {
            _federation.Respond = _ => (400, "Invalid credentials for " + TemporarySecret);

            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => SignInAsync(TemporarySession(), new ConsoleSignInRequest { SessionDuration = TimeSpan.FromHours(12) }));

            Assert.Equal("ConsoleSignInTokenRefused", error.ErrorId);
            Assert.Equal(FailureKind.AuthenticationError, error.Kind);
            Assert.Contains("HTTP 400", error.Message);
            Assert.Contains(_federation.Url, error.Message);
            AssertNoSecretIn(new[] { error.Message }.Concat(Narration), TemporarySecret, TemporaryToken);
            Assert.Equal("ConsoleSignInTokenRefused", ErrorDescription.Describe(error).ErrorId);
        }

        [Theory]
        [InlineData("{\"Token\":\"abc\"}")]
        [InlineData("<html>sign in</html>")]
        [InlineData("{\"SigninToken\":42}")]
        public async Task An_answer_without_a_sign_in_token_is_an_error(string body)
        {
            _federation.Respond = _ => (200, body);
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => SignInAsync(TemporarySession(), new ConsoleSignInRequest()));
            Assert.Equal("ConsoleSignInTokenMissing", error.ErrorId);
        }

        [Fact]
        public async Task An_unreachable_federation_endpoint_is_a_connection_error_that_names_only_the_endpoint()
        {
            var closed = new FakeFederationEndpoint();
            var url = closed.Url;
            closed.Dispose();

            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => SignInAsync(TemporarySession(), new ConsoleSignInRequest { FederationEndpoint = url }));

            Assert.Equal("FederationEndpointUnreachable", error.ErrorId);
            Assert.Equal(FailureKind.ConnectionError, error.Kind);
            Assert.Contains(url, error.Message);
            Assert.DoesNotContain("getSigninToken", error.Message);
            AssertNoSecretIn(new[] { error.Message }, TemporarySecret, TemporaryToken, TemporaryKey);
        }

        public static TheoryData<string, string, string, string, string, string, string> BadInput => new()
        {
            // destination, issuer, session duration, federation endpoint, federate as -> parameter, error id
            { "console.aws.amazon.com", null, null, null, null, "Destination", "DestinationInvalid" },
            { "ftp://console.aws.amazon.com/", null, null, null, null, "Destination", "DestinationInvalid" },
            { null, "line\nbreak", null, null, null, "Issuer", "IssuerInvalid" },
            { null, "   ", null, null, null, "Issuer", "IssuerInvalid" },
            { null, null, "14m", null, null, "SessionDuration", "DurationOutOfRange" },
            { null, null, "43201", null, null, "SessionDuration", "DurationOutOfRange" },
            { null, null, "1d", null, null, "SessionDuration", "DurationOutOfRange" },
            { null, null, "1w", null, null, "SessionDuration", "DurationInvalid" },
            { null, null, null, "http://signin.example.com/federation", null, "FederationEndpoint", "FederationEndpointNotHttps" },
            { null, null, null, "https://signin.aws.amazon.com/federation?Action=login", null, "FederationEndpoint", "FederationEndpointInvalid" },
            { null, null, null, "signin.aws.amazon.com/federation", null, "FederationEndpoint", "FederationEndpointInvalid" },
            { null, null, null, null, "a", "FederateAs", "FederateAsInvalid" },
            { null, null, null, null, new string('n', 33), "FederateAs", "FederateAsInvalid" },
            { null, null, null, null, "bad name!", "FederateAs", "FederateAsInvalid" },
        };

        [Theory]
        [MemberData(nameof(BadInput))]
        public async Task Bad_input_is_refused_naming_the_parameter_before_any_call(string destination, string issuer, string sessionDuration, string federationEndpoint, string federateAs, string parameter, string errorId)
        {
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => SignInAsync(MotoSession(), new ConsoleSignInRequest
            {
                Destination = destination,
                Issuer = issuer,
                SessionDuration = sessionDuration == null ? (TimeSpan?)null : DurationParser.Parse(sessionDuration, "SessionDuration"),
                FederationEndpoint = federationEndpoint,
                FederateAs = federateAs,
            }));

            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(parameter, error.ParameterName);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.Contains("-" + parameter, error.Message);
            Assert.Empty(Recorder.Calls);
            Assert.Empty(_federation.Requests);
        }

        private static Dictionary<string, string> Form(string body)
            => body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));

        private sealed class StubHandler : HttpMessageHandler
        {
            private readonly Func<HttpRequestMessage, HttpResponseMessage> _respond;
            public StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) => _respond = respond;
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(_respond(request));
        }
    }
}
