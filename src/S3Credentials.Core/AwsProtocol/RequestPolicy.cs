using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace S3Credentials.Core.AwsProtocol
{
    /// <summary>
    /// The one retry policy of every request the module sends (IAM, STS, S3): at most <see cref="Attempts"/> attempts with
    /// the SDK's standard exponential backoff with full jitter, each attempt given <see cref="AttemptTimeout"/>, and every
    /// request (IAM, STS and S3) given <see cref="TotalTimeCap"/> in all, attempts and backoff together
    /// (<see cref="TotalTimeCapHandler"/>). A dropped connection is one failed attempt like a
    /// 500 or throttling. No request is sent again by the HTTP layer
    /// (<see cref="OneSendHttpClientFactory"/>), and calls that are not idempotent (CreateUser, CreateRole, CreateAccessKey)
    /// get one attempt, so neither the SDK nor the HTTP layer sends them twice blind; their callers find out what happened by reading state (OnceOnlyCreation, AccessKeyCreation).
    /// </summary>
    public static class RequestPolicy
    {
        public const int Attempts = 3;
        public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(20);
        public static readonly TimeSpan TotalTimeCap = TimeSpan.FromSeconds(60);

        /// <summary>Applies the policy to a client's config; <paramref name="onceOnly"/> for a non-idempotent call.</summary>
        internal static void Apply(ClientConfig config, bool onceOnly)
        {
            config.RetryMode = RequestRetryMode.Standard;
            config.MaxErrorRetry = onceOnly ? 0 : Attempts - 1;
            config.Timeout = AttemptTimeout;
            config.HttpClientFactory = new OneSendHttpClientFactory(config.HttpClientFactory);
        }
    }

    /// <summary>
    /// HttpClients that send each attempt once. When a connection breaks before any answer, a request was sent again
    /// below the SDK's counted retries: seen through a proxy, the first attempt of a call went out 11 times (same
    /// amz-sdk-request attempt=1 header, a new HttpRequestMessage each time), and a CreateAccessKey sent with no retry
    /// allowed, whose answer was lost, went out twice and made two keys. Here the same attempt fails, unsent, the second
    /// time; the body of one message is also written at most once. So the module's own policy decides: the SDK's counted
    /// retries, or for a create the read-back.
    /// </summary>
    internal sealed class OneSendHttpClientFactory : HttpClientFactory
    {
        private readonly HttpClientFactory _inner;

        public OneSendHttpClientFactory(HttpClientFactory inner) => _inner = inner;

        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            HttpMessageHandler transport;
            if (_inner != null)
                transport = new ForwardingHandler(_inner.CreateHttpClient(clientConfig));
            else
            {
                var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
                var proxy = clientConfig.GetWebProxy();
                if (proxy != null)
                {
                    handler.Proxy = proxy;
                    handler.UseProxy = true;
                }
                transport = handler;
            }
            var client = new HttpClient(new OneSendHandler(transport));
            if (clientConfig.Timeout.HasValue)
                client.Timeout = clientConfig.Timeout.Value;
            return client;
        }

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => _inner == null || _inner.UseSDKHttpClientCaching(clientConfig);
        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => _inner != null && _inner.DisposeHttpClientsAfterUse(clientConfig);
        public override string GetConfigUniqueString(IClientConfig clientConfig) => (_inner?.GetConfigUniqueString(clientConfig) ?? "own") + "+one-send";

        /// <summary>Hands requests to another HttpClient (a factory's, such as the tests' recorder).</summary>
        private sealed class ForwardingHandler : HttpMessageHandler
        {
            private readonly HttpClient _client;
            public ForwardingHandler(HttpClient client) => _client = client;
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                // An HttpClient sends a message once: hand it a copy (same content).
                var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = request.Content, Version = request.Version };
                foreach (var header in request.Headers)
                    copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
                return _client.SendAsync(copy, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            protected override void Dispose(bool disposing)
            {
                if (disposing) _client.Dispose();
                base.Dispose(disposing);
            }
        }

        /// <summary>
        /// Lets each attempt of the SDK (its amz-sdk-invocation-id and amz-sdk-request attempt=N headers) reach the network
        /// once; the same attempt sent again fails here, unsent, like the broken connection that made it.
        /// </summary>
        private sealed class OneSendHandler : DelegatingHandler
        {
            /// <summary>
            /// Attempts under way or broken, by invocation and attempt, with what broke them. Shared: the SDK may make an
            /// HttpClient per request. Answered attempts leave it; it is emptied if it ever grows large.
            /// </summary>
            private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Exception> Attempts = new System.Collections.Concurrent.ConcurrentDictionary<string, Exception>(StringComparer.Ordinal);
            private static readonly Exception UnderWay = new Exception("under way");

            public OneSendHandler(HttpMessageHandler inner) : base(inner) { }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var attempt = AttemptOf(request);
                if (attempt != null)
                {
                    if (Attempts.Count > 10000)
                        Attempts.Clear();
                    if (!Attempts.TryAdd(attempt, UnderWay))
                    {
                        Attempts.TryGetValue(attempt, out var broken);
                        throw new HttpRequestException("The connection broke before an answer came; the same attempt is not sent again blind.", broken == UnderWay ? null : broken);
                    }
                }
                if (request.Content != null && !(request.Content is OneSendContent))
                    request.Content = new OneSendContent(request.Content);
                try
                {
                    var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    if (attempt != null)
                        Attempts.TryRemove(attempt, out _); // answered: this attempt is over
                    return response;
                }
                catch (Exception e) when (attempt != null)
                {
                    Attempts[attempt] = e;
                    throw;
                }
            }

            private static string AttemptOf(HttpRequestMessage request)
                => request.Headers.TryGetValues("amz-sdk-invocation-id", out var ids) && request.Headers.TryGetValues("amz-sdk-request", out var attempts)
                    ? string.Join(",", ids) + "|" + string.Join(",", attempts)
                    : null;
        }

        private sealed class OneSendContent : HttpContent
        {
            private readonly HttpContent _inner;
            private int _sent;

            public OneSendContent(HttpContent inner)
            {
                _inner = inner;
                foreach (var header in inner.Headers)
                    Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            protected override Task SerializeToStreamAsync(System.IO.Stream stream, System.Net.TransportContext context)
            {
                if (Interlocked.Exchange(ref _sent, 1) == 1)
                    throw new HttpRequestException("The connection broke before an answer came, and the HTTP layer tried to send the request again by itself: not sent twice.");
                return _inner.CopyToAsync(stream);
            }

            protected override bool TryComputeLength(out long length)
            {
                var known = _inner.Headers.ContentLength;
                length = known ?? 0;
                return known.HasValue;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) _inner.Dispose();
                base.Dispose(disposing);
            }
        }
    }

    /// <summary>
    /// The total time cap of <see cref="RequestPolicy"/> on one call, over all its attempts and the backoff between them:
    /// placed outside the SDK's retry handler, it gives the call a token cancelled after the cap (linked to the caller's).
    /// When the cap fires the call fails as <see cref="AwsConnectionException"/> naming the service, the action and
    /// "gave up after N s", never as a cancellation the user asked for (the caller's own token is not cancelled).
    /// </summary>
    internal sealed class TotalTimeCapHandler : PipelineHandler
    {
        private readonly Func<TimeSpan> _cap;

        /// <param name="cap">Read at each call (a client's cap can be set after its pipeline is built).</param>
        public TotalTimeCapHandler(Func<TimeSpan> cap) => _cap = cap ?? throw new ArgumentNullException(nameof(cap));

        /// <summary>Adds the cap outside the retry handler of a client's pipeline.</summary>
        public static void AddTo(RuntimePipeline pipeline, Func<TimeSpan> cap)
            => pipeline.AddHandlerBefore<RetryHandler>(new TotalTimeCapHandler(cap));

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            if (!(executionContext.RequestContext is RequestContext context))
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            var callers = context.CancellationToken;
            var cap = _cap();
            using (var capped = CancellationTokenSource.CreateLinkedTokenSource(callers))
            {
                capped.CancelAfter(cap);
                context.CancellationToken = capped.Token;
                try
                {
                    return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
                }
                catch (Exception e) when (capped.IsCancellationRequested && !callers.IsCancellationRequested && !(e is AwsConnectionException))
                {
                    throw new AwsConnectionException(context.ClientConfig.ServiceId, ActionOf(context), context.Retries + 1, e, cap);
                }
                finally
                {
                    context.CancellationToken = callers;
                }
            }
        }

        /// <summary>The action of a call: a Query request's Action, else the SDK's request name without "Request" (PutObject).</summary>
        private static string ActionOf(IRequestContext context)
        {
            if (context.OriginalRequest is QueryRequest query)
                return query.Action;
            var name = context.RequestName ?? context.OriginalRequest?.GetType().Name ?? "request";
            return name.EndsWith("Request", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Request".Length) : name;
        }
    }

    /// <summary>
    /// A request that got no answer after every attempt of <see cref="RequestPolicy"/> (a dropped connection, a timeout),
    /// or that reached the total time cap: names the service, the action and the cause. Whether the change was made is
    /// unknown (FailureClassification).
    /// </summary>
    public sealed class AwsConnectionException : AmazonClientException
    {
        /// <param name="gaveUpAfter">The total time cap, when it was reached (the message says "gave up after N s").</param>
        public AwsConnectionException(string service, string action, int attempts, Exception cause, TimeSpan? gaveUpAfter = null)
            : base($"{service} {action} " + (gaveUpAfter is TimeSpan cap
                       // The last attempt's own error is only the cap's cancellation: not named as a cause.
                       ? $"gave up after {cap.TotalSeconds:0.###} s with no answer ({(attempts == 1 ? "1 attempt, cut off" : attempts + " attempts, the last cut off")})"
                       : $"got no answer ({attempts} attempt{(attempts == 1 ? "" : "s")}; last: {Describe(cause)})") +
                   ". Check the network, the proxy and the endpoint, then run the command again.", cause)
        {
            Service = service;
            Action = action;
            GaveUpAfter = gaveUpAfter;
        }

        public string Service { get; }
        public string Action { get; }
        /// <summary>The total time cap when the request reached it; null when every attempt failed before.</summary>
        public TimeSpan? GaveUpAfter { get; }

        private static string Describe(Exception cause)
        {
            var innermost = cause;
            while (innermost.InnerException != null && !(innermost is System.IO.IOException) && !(innermost is HttpRequestException))
                innermost = innermost.InnerException;
            return innermost is TaskCanceledException || innermost is OperationCanceledException ? "no answer in time" : innermost.GetType().Name + ": " + innermost.Message;
        }
    }
}
