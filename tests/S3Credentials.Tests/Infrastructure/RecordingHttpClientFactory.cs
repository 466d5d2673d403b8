using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>One request as the recorder saw it. CredentialScope is the SigV4 scope (key id/date/region/service/aws4_request), never the signature.</summary>
    public sealed record RecordedCall(string Service, string Action, string Method, string Url, string Body, HttpStatusCode? Status, string CredentialScope);

    /// <summary>
    /// Plugs into every AWS client a session makes: records each request's service and Action (counting calls),
    /// measures concurrency, and can answer a chosen call with a failure instead of sending it.
    /// </summary>
    public sealed class RecordingHttpClientFactory : HttpClientFactory
    {
        private readonly ConcurrentQueue<RecordedCall> _calls = new ConcurrentQueue<RecordedCall>();
        private readonly List<Fault> _faults = new List<Fault>();
        private int _inFlight;
        private int _maxInFlight;

        public IReadOnlyList<RecordedCall> Calls => _calls.ToArray();
        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        /// <summary>Called as each request starts (after it is counted as in flight); the returned object is disposed when it ends.</summary>
        public Func<HttpRequestMessage, IDisposable> Observer { get; set; }

        public int Count(string action) => Calls.Count(c => c.Action == action);

        public IReadOnlyDictionary<string, int> CountsByAction()
            => Calls.GroupBy(c => c.Action).ToDictionary(g => g.Key, g => g.Count());

        public void Clear()
        {
            while (_calls.TryDequeue(out _)) { }
        }

        /// <summary>Answers the <paramref name="nth"/> call (1-based) of <paramref name="action"/> with <paramref name="respond"/>, without sending it.</summary>
        public void FailNth(string action, int nth, Func<HttpRequestMessage, HttpResponseMessage> respond)
        {
            lock (_faults) _faults.Add(new Fault(action, nth, respond));
        }

        /// <summary>
        /// Sends the <paramref name="nth"/> call of <paramref name="action"/> to the server, then drops its response
        /// (as a broken connection would): the server did the work, the client never hears of it.
        /// </summary>
        public void LoseResponseOfNth(string action, int nth)
        {
            lock (_faults) _faults.Add(new Fault(action, nth, null) { SendFirst = true });
        }

        /// <summary>An IAM/STS style Query error response.</summary>
        public static HttpResponseMessage QueryError(HttpStatusCode status, string code, string message) => new HttpResponseMessage(status)
        {
            Content = new StringContent(
                $"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>injected-{Guid.NewGuid():N}</RequestId></ErrorResponse>",
                Encoding.UTF8, "text/xml"),
        };

        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
            => new HttpClient(new RecordingHandler(this, new HttpClientHandler()), disposeHandler: true);

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
        public override string GetConfigUniqueString(IClientConfig clientConfig) => "recording";

        private sealed class Fault
        {
            public Fault(string action, int nth, Func<HttpRequestMessage, HttpResponseMessage> respond) { Action = action; Nth = nth; Respond = respond; }
            public string Action { get; }
            public int Nth { get; }
            public Func<HttpRequestMessage, HttpResponseMessage> Respond { get; }
            public bool SendFirst { get; set; }
            public int Seen;
        }

        private sealed class RecordingHandler : DelegatingHandler
        {
            private readonly RecordingHttpClientFactory _owner;

            public RecordingHandler(RecordingHttpClientFactory owner, HttpMessageHandler inner) : base(inner) => _owner = owner;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var body = request.Content == null ? "" : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var (service, action) = Classify(request, body);
                var now = Interlocked.Increment(ref _owner._inFlight);
                int seen;
                while (now > (seen = Volatile.Read(ref _owner._maxInFlight)) && Interlocked.CompareExchange(ref _owner._maxInFlight, now, seen) != seen) { }
                IDisposable observation = null;
                try
                {
                    observation = _owner.Observer?.Invoke(request);
                    Fault injected = null;
                    lock (_owner._faults)
                        foreach (var fault in _owner._faults.Where(f => f.Action == action))
                            if (++fault.Seen == fault.Nth)
                                injected = fault;
                    HttpResponseMessage response;
                    if (injected != null && injected.SendFirst)
                    {
                        using (await base.SendAsync(request, cancellationToken).ConfigureAwait(false)) { }
                        _owner._calls.Enqueue(new RecordedCall(service, action, request.Method.Method, request.RequestUri?.ToString(), body, null, CredentialScope(request)));
                        throw new HttpRequestException("Injected: the connection dropped before the response arrived.");
                    }
                    if (injected != null)
                        response = injected.Respond(request);
                    else
                        response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    _owner._calls.Enqueue(new RecordedCall(service, action, request.Method.Method, request.RequestUri?.ToString(), body, response.StatusCode, CredentialScope(request)));
                    return response;
                }
                finally
                {
                    observation?.Dispose();
                    Interlocked.Decrement(ref _owner._inFlight);
                }
            }
        }

        private static string CredentialScope(HttpRequestMessage request)
        {
            var authorization = request.Headers.TryGetValues("Authorization", out var values) ? string.Join(",", values) : "";
            var start = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            if (start < 0) return null;
            start += "Credential=".Length;
            var end = authorization.IndexOf(',', start);
            return end < 0 ? authorization.Substring(start) : authorization.Substring(start, end - start);
        }

        /// <summary>IAM and STS name their Action in the form body; S3 is named from method, path and query.</summary>
        internal static (string Service, string Action) Classify(HttpRequestMessage request, string body)
        {
            var form = ParseForm(body);
            if (form.TryGetValue("Action", out var action))
            {
                var version = form.TryGetValue("Version", out var v) ? v : "";
                return (version == "2011-06-15" ? "sts" : "iam", action);
            }
            var uri = request.RequestUri;
            var query = ParseForm(uri?.Query.TrimStart('?') ?? "");
            var segments = (uri?.AbsolutePath ?? "/").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            var method = request.Method.Method;
            if (segments.Length == 0)
                return ("s3", method == "GET" ? "ListBuckets" : method + "Service");
            if (segments.Length == 1)
            {
                string sub = new[] { "policy", "acl", "website", "publicAccessBlock", "location", "policyStatus", "cors", "tagging" }.FirstOrDefault(query.ContainsKey);
                if (sub != null)
                    return ("s3", method switch { "GET" => "GetBucket", "PUT" => "PutBucket", "DELETE" => "DeleteBucket", _ => method + "Bucket" } + char.ToUpperInvariant(sub[0]) + sub.Substring(1));
                return ("s3", method switch
                {
                    "HEAD" => "HeadBucket",
                    "PUT" => "CreateBucket",
                    "DELETE" => "DeleteBucket",
                    "GET" => query.ContainsKey("list-type") ? "ListObjectsV2" : "ListObjects",
                    "POST" => query.ContainsKey("delete") ? "DeleteObjects" : "PostBucket",
                    _ => method + "Bucket",
                });
            }
            return ("s3", method switch
            {
                "HEAD" => "HeadObject",
                "GET" => "GetObject",
                "PUT" => "PutObject",
                "DELETE" => "DeleteObject",
                _ => method + "Object",
            });
        }

        private static Dictionary<string, string> ParseForm(string text)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in (text ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=');
                var key = Uri.UnescapeDataString((equals < 0 ? pair : pair.Substring(0, equals)).Replace('+', ' '));
                var value = equals < 0 ? "" : Uri.UnescapeDataString(pair.Substring(equals + 1).Replace('+', ' '));
                result[key] = value;
            }
            return result;
        }
    }
}
