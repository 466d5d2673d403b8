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
    /// <summary>
    /// One request as the recorder saw it. CredentialScope is the SigV4 scope (key id/date/region/service/aws4_request), never the signature.
    /// InvocationId and Attempt come from the SDK's amz-sdk-invocation-id and amz-sdk-request headers (the same id on every retry of one call).
    /// Injected names what answered instead of the server (FailNth, Throttling, SlowDown, Dropped, or Intercepted), null when it reached the server.
    /// ServerTime is how long the server took to answer (the added latency not included).
    /// </summary>
    public sealed record RecordedCall(string Service, string Action, string Method, string Url, string Body, HttpStatusCode? Status, string CredentialScope,
        string InvocationId = null, int Attempt = 1, int MaxAttempts = 0, string Injected = null, TimeSpan ServerTime = default);

    /// <summary>
    /// Plugs into every AWS client a session makes: records each request's service and Action (counting calls),
    /// measures concurrency, can add a fixed latency to every request, and can answer a chosen call (<see cref="FailNth"/>)
    /// or pseudo-random calls (<see cref="RandomFaults"/>) with a failure instead of sending it.
    /// Shared with the benchmark (bench/S3Credentials.Bench links this file).
    /// </summary>
    public sealed class RecordingHttpClientFactory : HttpClientFactory
    {
        private readonly ConcurrentQueue<RecordedCall> _calls = new ConcurrentQueue<RecordedCall>();
        private readonly List<Fault> _faults = new List<Fault>();
        private readonly List<(string Action, Func<HttpRequestMessage, string, HttpResponseMessage> Respond)> _interceptors = new List<(string, Func<HttpRequestMessage, string, HttpResponseMessage>)>();
        private readonly HashSet<string> _stalled = new HashSet<string>(StringComparer.Ordinal);
        private readonly HttpMessageHandler _sharedHandler;
        private int? _cap;
        private SemaphoreSlim _capGate;
        private int _inFlight;
        private int _maxInFlight;

        /// <param name="shareConnections">
        /// One connection pool for every client and request (as an application's long-lived clients have). By default each
        /// SDK client gets its own handler and the SDK disposes it after use, so no state leaks between requests of a test.
        /// </param>
        public RecordingHttpClientFactory(bool shareConnections = false)
        {
            if (shareConnections)
                _sharedHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10), MaxConnectionsPerServer = int.MaxValue };
        }

        public IReadOnlyList<RecordedCall> Calls => _calls.ToArray();
        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        /// <summary>Called as each request starts (after it is counted as in flight); the returned object is disposed when it ends.</summary>
        public Func<HttpRequestMessage, IDisposable> Observer { get; set; }

        /// <summary>Added to every request before it is answered (injected answers too: a refusal also costs a round trip).</summary>
        public TimeSpan Latency { get; set; }

        /// <summary>
        /// At most this many requests in flight at once, the others waiting (outside <see cref="MaxInFlight"/>); null for no cap.
        /// 1 gives a one-call-at-a-time run of any operation. Set it before the first request.
        /// </summary>
        public int? MaxConcurrentRequests
        {
            get => _cap;
            set
            {
                if (value < 1) throw new ArgumentOutOfRangeException(nameof(value));
                _cap = value;
                _capGate = value == null ? null : new SemaphoreSlim(value.Value, value.Value);
            }
        }

        /// <summary>Pseudo-random faults consulted for every request that <see cref="FailNth"/> did not answer; null for none.</summary>
        public RandomFaults RandomFaults { get; set; }

        /// <summary>The requests answered by an injected fault instead of the server.</summary>
        public IReadOnlyList<RecordedCall> InjectedCalls => Calls.Where(c => c.Injected != null && c.Injected != InterceptedName).ToList();

        /// <summary>Forgets the recorded calls and the in-flight maximum (faults stay armed).</summary>
        public void Reset()
        {
            Clear();
            Volatile.Write(ref _maxInFlight, 0);
        }

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

        /// <summary>
        /// Ctrl+C at a chosen moment: cancels <paramref name="stop"/> when the <paramref name="nth"/> call of <paramref name="action"/>
        /// is made. With <paramref name="inFlight"/> the request first reaches the server (the change is made, its answer is
        /// never read, as when the token is cancelled while the request is on the wire); without it the request is never sent.
        /// Either way the call ends as a cancelled HttpClient call does, in an OperationCanceledException.
        /// </summary>
        public void CancelAtNth(string action, int nth, CancellationTokenSource stop, bool inFlight)
        {
            lock (_faults) _faults.Add(new Fault(action, nth, null) { SendFirst = inFlight, Stop = stop });
        }

        /// <summary>
        /// Never answers a call of <paramref name="action"/>: it waits until its request is cancelled (by the client's
        /// timeout or token), as a server that hangs does. Counted as Stalled.
        /// </summary>
        public void Stall(string action)
        {
            lock (_stalled) _stalled.Add(action);
        }

        /// <summary>
        /// Answers every call of <paramref name="action"/> with what <paramref name="respond"/> returns (given the request and its body),
        /// or sends it as usual when it returns null. For shaping answers the emulator gives differently from AWS (such as paging).
        /// </summary>
        public void Intercept(string action, Func<HttpRequestMessage, string, HttpResponseMessage> respond)
        {
            lock (_interceptors) _interceptors.Add((action, respond));
        }

        /// <summary>An IAM/STS style Query error response.</summary>
        public static HttpResponseMessage QueryError(HttpStatusCode status, string code, string message) => new HttpResponseMessage(status)
        {
            Content = new StringContent(
                $"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>injected-{Guid.NewGuid():N}</RequestId></ErrorResponse>",
                Encoding.UTF8, "text/xml"),
        };

        /// <summary>An S3 style XML error; HEAD responses carry no body, as S3's do.</summary>
        public static HttpResponseMessage S3Error(HttpRequestMessage request, HttpStatusCode status, string code) => new HttpResponseMessage(status)
        {
            Content = request.Method == HttpMethod.Head
                ? new ByteArrayContent(Array.Empty<byte>())
                : new StringContent($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>injected {code}</Message><RequestId>injected-{Guid.NewGuid():N}</RequestId></Error>", Encoding.UTF8, "application/xml"),
        };

        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
            => _sharedHandler != null
                ? new HttpClient(new RecordingHandler(this, _sharedHandler), disposeHandler: false)
                : new HttpClient(new RecordingHandler(this, new HttpClientHandler()), disposeHandler: true);

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => _sharedHandler == null;
        public override string GetConfigUniqueString(IClientConfig clientConfig) => "recording";

        private sealed class Fault
        {
            public Fault(string action, int nth, Func<HttpRequestMessage, HttpResponseMessage> respond) { Action = action; Nth = nth; Respond = respond; }
            public string Action { get; }
            public int Nth { get; }
            public Func<HttpRequestMessage, HttpResponseMessage> Respond { get; }
            public bool SendFirst { get; set; }
            public CancellationTokenSource Stop { get; set; }
            public int Seen;
        }

        private sealed class RecordingHandler : DelegatingHandler
        {
            private readonly RecordingHttpClientFactory _owner;

            public RecordingHandler(RecordingHttpClientFactory owner, HttpMessageHandler inner) : base(inner) => _owner = owner;

            // Does not own the shared handler: disposing a client must not close the pool others use.
            protected override void Dispose(bool disposing)
            {
                if (_owner._sharedHandler == null)
                    base.Dispose(disposing);
            }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var body = request.Content == null ? "" : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var (service, action) = Classify(request, body);
                var (invocationId, attempt, maxAttempts) = SdkAttempt(request);
                var gate = _owner._capGate;
                if (gate != null)
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                var now = Interlocked.Increment(ref _owner._inFlight);
                int seen;
                while (now > (seen = Volatile.Read(ref _owner._maxInFlight)) && Interlocked.CompareExchange(ref _owner._maxInFlight, now, seen) != seen) { }
                var serverTime = TimeSpan.Zero;
                RecordedCall Record(HttpStatusCode? status, string injected)
                    => new RecordedCall(service, action, request.Method.Method, request.RequestUri?.ToString(), body, status, CredentialScope(request), invocationId, attempt, maxAttempts, injected, serverTime);
                IDisposable observation = null;
                try
                {
                    observation = _owner.Observer?.Invoke(request);
                    if (_owner.Latency > TimeSpan.Zero)
                        await Task.Delay(_owner.Latency, cancellationToken).ConfigureAwait(false);
                    bool stalled;
                    lock (_owner._stalled) stalled = _owner._stalled.Contains(action);
                    if (stalled)
                    {
                        _owner._calls.Enqueue(Record(null, StalledName));
                        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                    }
                    // In order: a FailNth fault, a random fault, an interceptor's answer, else the server's.
                    var (answer, answeredBy) = _owner.InjectedAnswer(request, body, service, action, invocationId, attempt, maxAttempts, out var stopping);
                    if (answeredBy == DroppedName)
                    {
                        _owner._calls.Enqueue(Record(null, DroppedName));
                        throw RandomFaults.DroppedConnection();
                    }
                    if (answeredBy == CancelledName)
                    {
                        if (stopping.SendFirst)
                            using (await base.SendAsync(request, CancellationToken.None).ConfigureAwait(false)) { }
                        _owner._calls.Enqueue(Record(null, CancelledName));
                        stopping.Stop.Cancel();
                        throw new TaskCanceledException("Injected: cancelled", null, stopping.Stop.Token);
                    }
                    if (answeredBy == LostName)
                    {
                        using (await base.SendAsync(request, cancellationToken).ConfigureAwait(false)) { }
                        _owner._calls.Enqueue(Record(null, LostName));
                        throw new HttpRequestException("Injected: the connection dropped before the response arrived.");
                    }
                    var sent = System.Diagnostics.Stopwatch.StartNew();
                    var response = answer ?? await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    serverTime = sent.Elapsed;
                    _owner._calls.Enqueue(Record(response.StatusCode, answeredBy));
                    return response;
                }
                finally
                {
                    observation?.Dispose();
                    Interlocked.Decrement(ref _owner._inFlight);
                    gate?.Release();
                }
            }
        }

        private const string DroppedName = "Dropped";
        private const string StalledName = "Stalled";
        private const string LostName = "ResponseLost";
        private const string CancelledName = "Cancelled";
        private const string InterceptedName = "Intercepted";

        /// <summary>The answer to give instead of sending the request, and what gave it; (null, null) to send it.</summary>
        private (HttpResponseMessage Answer, string AnsweredBy) InjectedAnswer(HttpRequestMessage request, string body, string service, string action, string invocationId, int attempt, int maxAttempts, out Fault stopping)
        {
            stopping = null;
            Fault failNth = null;
            lock (_faults)
                foreach (var fault in _faults.Where(f => f.Action == action))
                    if (++fault.Seen == fault.Nth)
                        failNth = fault;
            if (failNth != null && failNth.Stop != null)
            {
                stopping = failNth;
                return (null, CancelledName);
            }
            if (failNth != null && failNth.SendFirst)
                return (null, LostName);
            if (failNth != null)
                return (failNth.Respond(request), "FailNth");

            var kind = RandomFaults?.Decide(new RandomFaults.Request(service, action, request.Method.Method, request.RequestUri?.PathAndQuery ?? "", body, invocationId, attempt, maxAttempts))
                ?? RandomFaults.Kind.None;
            if (kind == RandomFaults.Kind.Dropped)
                return (null, DroppedName);
            if (kind == RandomFaults.Kind.Throttled)
                return service == "s3"
                    ? (S3Error(request, HttpStatusCode.ServiceUnavailable, "SlowDown"), "SlowDown")
                    : (QueryError(HttpStatusCode.BadRequest, "Throttling", "Rate exceeded"), "Throttling");

            List<Func<HttpRequestMessage, string, HttpResponseMessage>> interceptors;
            lock (_interceptors) interceptors = _interceptors.Where(i => i.Action == action).Select(i => i.Respond).ToList();
            foreach (var intercept in interceptors)
            {
                var answer = intercept(request, body);
                if (answer != null)
                    return (answer, InterceptedName);
            }
            return (null, null);
        }

        /// <summary>The SDK's invocation id (the same on every retry of one call) and attempt "attempt=N; max=M".</summary>
        private static (string InvocationId, int Attempt, int MaxAttempts) SdkAttempt(HttpRequestMessage request)
        {
            var id = request.Headers.TryGetValues("amz-sdk-invocation-id", out var ids) ? ids.FirstOrDefault() : null;
            var attempt = 1;
            var max = 0;
            if (request.Headers.TryGetValues("amz-sdk-request", out var values))
                foreach (var part in string.Join(";", values).Split(';'))
                {
                    var pair = part.Split('=');
                    if (pair.Length != 2) continue;
                    if (pair[0].Trim() == "attempt") int.TryParse(pair[1].Trim(), out attempt);
                    if (pair[0].Trim() == "max") int.TryParse(pair[1].Trim(), out max);
                }
            return (id, attempt, max);
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
