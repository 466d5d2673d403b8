using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;
using S3Credentials.Core.Sts;

namespace S3Credentials.Core.Operations.HandOff
{
    /// <summary>What Get-S3ConsoleSignInUrl was asked for; null values take the partition's defaults.</summary>
    public sealed class ConsoleSignInRequest
    {
        /// <summary>The console page to open; null for the partition's console home.</summary>
        public string Destination { get; set; }
        /// <summary>Where the console sends the user when the session ends; null for <see cref="ConsoleSignInOperation.DefaultIssuer"/>.</summary>
        public string Issuer { get; set; }
        /// <summary>The console session length (15 minutes to 12 hours); null for AWS's default.</summary>
        public TimeSpan? SessionDuration { get; set; }
        /// <summary>The federation endpoint; null for the partition's.</summary>
        public string FederationEndpoint { get; set; }
        /// <summary>With permanent credentials: the federated user name to get temporary credentials for (STS GetFederationToken).</summary>
        public string FederateAs { get; set; }

        /// <summary>Checks everything that can be checked without AWS, naming the parameter and the rule.</summary>
        public void Validate()
        {
            if (Destination != null)
                ValidateUrl(Destination, "Destination", requireHttps: false);
            if (Issuer != null && (Issuer.Trim().Length == 0 || Issuer.Any(char.IsControl) || Issuer.Length > 1024))
                throw S3CredentialsException.InvalidParameter("IssuerInvalid", "Issuer",
                    "-Issuer must be a name or the URL of your sign-in page: not empty, at most 1,024 characters, without control characters.");
            if (SessionDuration is TimeSpan duration)
                DurationParser.EnsureWithin(duration, ConsoleSignInOperation.MinimumSessionDuration, ConsoleSignInOperation.MaximumSessionDuration,
                    "an AWS console session", "SessionDuration");
            if (FederationEndpoint != null)
            {
                var uri = ValidateUrl(FederationEndpoint, "FederationEndpoint", requireHttps: true);
                if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
                    throw S3CredentialsException.InvalidParameter("FederationEndpointInvalid", "FederationEndpoint",
                        $"-FederationEndpoint '{FederationEndpoint}' must not have a query or fragment: give the endpoint itself, such as https://signin.aws.amazon.com/federation.");
            }
            if (FederateAs != null)
            {
                if (FederateAs.Length < 2 || FederateAs.Length > ConsoleSignInOperation.FederatedUserNameMaxLength
                    || !FederateAs.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "+=,.@_-".IndexOf(c) >= 0))
                    throw S3CredentialsException.InvalidParameter("FederateAsInvalid", "FederateAs",
                        $"-FederateAs '{FederateAs}' is not a valid federated user name: it must be 2 to {ConsoleSignInOperation.FederatedUserNameMaxLength} letters, digits and + = , . @ _ -.");
            }
        }

        /// <summary>An absolute http(s) URL; with <paramref name="requireHttps"/>, plain http only to this computer (loopback).</summary>
        private static Uri ValidateUrl(string text, string parameterName, bool requireHttps)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
                throw S3CredentialsException.InvalidParameter(parameterName + "Invalid", parameterName, $"-{parameterName} '{text}' is not an absolute http or https URL.");
            if (requireHttps && uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
                throw S3CredentialsException.InvalidParameter(parameterName + "NotHttps", parameterName,
                    $"-{parameterName} '{text}' must use https: the request carries the credentials' secret key and session token (plain http is allowed only to this computer, for tests).");
            return uri;
        }
    }

    /// <summary>
    /// Get-S3ConsoleSignInUrl: AWS's custom identity broker flow. Temporary credentials are sent to the federation
    /// endpoint (Action=getSigninToken), which answers with a sign-in token; the login URL (Action=login) carries that
    /// token, the issuer and the destination. Permanent credentials are first exchanged for temporary ones with STS
    /// GetFederationToken when a federated user name is given. Secrets, the token and the URL are never narrated.
    /// </summary>
    public sealed class ConsoleSignInOperation
    {
        public const string DefaultIssuer = "S3Credentials";
        public const int FederatedUserNameMaxLength = 32;
        public static readonly TimeSpan MinimumSessionDuration = TimeSpan.FromMinutes(15);
        public static readonly TimeSpan MaximumSessionDuration = TimeSpan.FromHours(12);
        /// <summary>How long -FederateAs credentials (and so their console session) last when -SessionDuration is not given.</summary>
        public static readonly TimeSpan DefaultFederationDuration = TimeSpan.FromHours(1);
        /// <summary>AWS's sign-in token must be used within 15 minutes of being issued.</summary>
        public static readonly TimeSpan SignInTokenLifetime = TimeSpan.FromMinutes(15);
        /// <summary>
        /// The session policy of -FederateAs credentials. GetFederationToken without a policy gives no permissions; with this
        /// one the console session may do in S3 what the IAM user itself may (the intersection), and nothing outside S3.
        /// </summary>
        public const string FederatedSessionPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
        private static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(30);

        private readonly AwsSession _session;
        private readonly IOperationHost _host;

        public ConsoleSignInOperation(AwsSession session, IOperationHost host)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _host = host ?? throw new ArgumentNullException(nameof(host));
        }

        /// <summary>
        /// Makes the HTTP client for the federation endpoint (tests replace it). By default the session's HttpClientFactory
        /// when it has one, so that the call is recorded with the AWS calls, else a plain HttpClient with a 30 s timeout.
        /// </summary>
        public Func<HttpClient> CreateHttpClient { get; set; }

        public async Task<ConsoleSignInUrl> RunAsync(ConsoleSignInRequest request, CancellationToken cancellationToken)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            request.Validate();
            var federationEndpoint = request.FederationEndpoint ?? _session.Partition.FederationEndpoint;
            var destination = request.Destination ?? _session.Partition.ConsoleUrl;
            var issuer = request.Issuer ?? DefaultIssuer;
            cancellationToken.ThrowIfCancellationRequested();

            var keys = await _session.Credentials.GetCredentialsAsync().ConfigureAwait(false);
            string federatedUser = null;
            TimeSpan? sessionDuration = request.SessionDuration;
            var sendSessionDuration = request.SessionDuration != null;
            if (keys.UseToken && request.FederateAs != null)
                throw S3CredentialsException.InvalidParameter("FederateAsNeedsPermanentCredentials", "FederateAs",
                    $"-FederateAs exchanges an IAM user's permanent keys with STS GetFederationToken, but these credentials (access key {keys.AccessKey}, from the {_session.DescribeCredentialSource()}) are already temporary: leave -FederateAs out.");
            if (!keys.UseToken)
            {
                if (request.FederateAs == null)
                    throw new S3CredentialsException("ConsoleSignInNeedsTemporaryCredentials", FailureKind.InvalidArgument,
                        $"A console sign-in link needs temporary credentials (with a session token), but these (access key {keys.AccessKey}, from the {_session.DescribeCredentialSource()}) are permanent. "
                        + "Pass temporary credentials, such as New-S3Credential -Duration 1h output, or add -FederateAs NAME to exchange these for a federated user's with STS GetFederationToken.");
                sessionDuration = request.SessionDuration ?? DefaultFederationDuration;
                sendSessionDuration = false; // the federation endpoint refuses SessionDuration for GetFederationToken credentials: the token's own duration applies
                (keys, federatedUser) = await FederateAsync(keys, request.FederateAs, sessionDuration.Value, cancellationToken).ConfigureAwait(false);
            }

            var signInToken = await GetSignInTokenAsync(federationEndpoint, keys, sendSessionDuration ? sessionDuration : null, cancellationToken).ConfigureAwait(false);
            var linkExpires = DateTime.UtcNow + SignInTokenLifetime;
            var url = federationEndpoint + "?Action=login"
                + "&Issuer=" + Uri.EscapeDataString(issuer)
                + "&Destination=" + Uri.EscapeDataString(destination)
                + "&SigninToken=" + Uri.EscapeDataString(signInToken);
            _host.Verbose($"Made a console sign-in link to {destination} for access key {keys.AccessKey}; it must be opened before {linkExpires:u}.");
            return new ConsoleSignInUrl
            {
                Url = url,
                Destination = destination,
                Issuer = issuer,
                AccessKeyId = keys.AccessKey,
                FederatedUser = federatedUser,
                SessionDuration = sessionDuration,
                LinkExpires = new DateTime(linkExpires.Ticks - linkExpires.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc),
            };
        }

        private async Task<(ImmutableCredentials Keys, string FederatedUser)> FederateAsync(ImmutableCredentials keys, string name, TimeSpan duration, CancellationToken cancellationToken)
        {
            _host.Verbose($"Exchanging the permanent access key {keys.AccessKey} for federated user '{name}' (STS GetFederationToken, {DurationParser.Describe(duration)}, session policy allowing s3:*).");
            using (var sts = _session.CreateStsClient())
            {
                var response = await sts.GetFederationTokenAsync(name, FederatedSessionPolicy, (int)duration.TotalSeconds, cancellationToken).ConfigureAwait(false);
                var credentials = response.Credentials;
                return (new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken), response.FederatedUserArn);
            }
        }

        private async Task<string> GetSignInTokenAsync(string federationEndpoint, ImmutableCredentials keys, TimeSpan? sessionDuration, CancellationToken cancellationToken)
        {
            var query = "?Action=getSigninToken"
                + (sessionDuration is TimeSpan duration ? "&SessionDuration=" + ((long)duration.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : "")
                + "&Session=" + Uri.EscapeDataString(SessionJson(keys));
            _host.Verbose($"Asking {federationEndpoint} for a console sign-in token for access key {keys.AccessKey}"
                + (sessionDuration is TimeSpan asked ? $" (console session {DurationParser.Describe(asked)})." : "."));
            HttpResponseMessage response;
            string body;
            var client = CreateHttpClient?.Invoke() ?? DefaultHttpClient();
            try
            {
                using (var message = new HttpRequestMessage(HttpMethod.Get, federationEndpoint + query))
                {
                    response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
                    body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is HttpRequestException || e is OperationCanceledException || e is IOException)
            {
                // The request URL holds the secret key and session token: report only the endpoint and the failure's kind.
                throw new S3CredentialsException("FederationEndpointUnreachable", FailureKind.ConnectionError,
                    $"Could not reach the federation endpoint {federationEndpoint}: {(e is OperationCanceledException ? $"no answer within {HttpTimeout.TotalSeconds:0} s" : e.GetType().Name + ": " + e.Message)}");
            }
            finally
            {
                client.Dispose();
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                    throw new S3CredentialsException("ConsoleSignInTokenRefused",
                        response.StatusCode == HttpStatusCode.BadRequest || response.StatusCode == HttpStatusCode.Unauthorized || response.StatusCode == HttpStatusCode.Forbidden
                            ? FailureKind.AuthenticationError : FailureKind.InvalidOperation,
                        $"The federation endpoint {federationEndpoint} refused to issue a sign-in token for access key {keys.AccessKey} (HTTP {(int)response.StatusCode}). "
                        + "It does so for expired or invalid temporary credentials, and for a -SessionDuration the credentials do not allow (role-chained credentials allow at most 1 hour).");
                var token = ReadSignInToken(body);
                if (token == null)
                    throw new S3CredentialsException("ConsoleSignInTokenMissing", FailureKind.InvalidOperation,
                        $"The federation endpoint {federationEndpoint} answered HTTP {(int)response.StatusCode} without a sign-in token (no JSON object with a SigninToken string).");
                return token;
            }
        }

        private HttpClient DefaultHttpClient()
        {
            var client = _session.HttpClientFactory != null
                ? _session.HttpClientFactory.CreateHttpClient(new StsClientConfig(_session.Region))
                : new HttpClient();
            client.Timeout = HttpTimeout;
            return client;
        }

        /// <summary>
        /// The Session parameter: {"sessionId":..., "sessionKey":..., "sessionToken":...} as AWS documents it. Relaxed escaping
        /// keeps + and / of secret keys as they are (the whole JSON is percent-encoded into the query afterwards).
        /// </summary>
        internal static string SessionJson(ImmutableCredentials keys)
        {
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    writer.WriteStartObject();
                    writer.WriteString("sessionId", keys.AccessKey);
                    writer.WriteString("sessionKey", keys.SecretKey);
                    writer.WriteString("sessionToken", keys.Token);
                    writer.WriteEndObject();
                }
                return Encoding.UTF8.GetString(stream.ToArray());
            }
        }

        private static string ReadSignInToken(string body)
        {
            try
            {
                using (var document = JsonDocument.Parse(body ?? ""))
                {
                    if (document.RootElement.ValueKind == JsonValueKind.Object
                        && document.RootElement.TryGetProperty("SigninToken", out var token)
                        && token.ValueKind == JsonValueKind.String
                        && !string.IsNullOrEmpty(token.GetString()))
                        return token.GetString();
                    return null;
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
