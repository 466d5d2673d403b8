using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>One request the fake federation endpoint received: its path, its raw query and the query decoded.</summary>
    public sealed record FederationRequest(string Method, string Path, string RawQuery, IReadOnlyDictionary<string, string> Query);

    /// <summary>
    /// AWS's console federation endpoint, faked in-process with HttpListener on 127.0.0.1 and a free port. By default it
    /// answers Action=getSigninToken like AWS: 200 and {"SigninToken": ...} when Session is JSON holding exactly
    /// sessionId, sessionKey and sessionToken, 400 otherwise. Every request is recorded.
    /// </summary>
    public sealed class FakeFederationEndpoint : IDisposable
    {
        private readonly HttpListener _listener = new HttpListener();
        private readonly ConcurrentQueue<FederationRequest> _requests = new ConcurrentQueue<FederationRequest>();
        private readonly Task _loop;

        public FakeFederationEndpoint(string signInToken = "abc")
        {
            SignInToken = signInToken;
            Port = FreePort();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public int Port { get; }
        /// <summary>The URL to pass as -FederationEndpoint.</summary>
        public string Url => $"http://127.0.0.1:{Port}/federation";
        public string SignInToken { get; set; }
        public IReadOnlyList<FederationRequest> Requests => _requests.ToArray();

        /// <summary>Replaces the default answer: given the request, the status code and body to send.</summary>
        public Func<FederationRequest, (int Status, string Body)> Respond { get; set; }

        /// <summary>The Session parameter of a getSigninToken request, parsed; null when it is not a JSON object.</summary>
        public static Dictionary<string, string> SessionOf(FederationRequest request)
        {
            if (!request.Query.TryGetValue("Session", out var session)) return null;
            try
            {
                using var document = JsonDocument.Parse(session);
                if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
                return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private (int, string) DefaultAnswer(FederationRequest request)
        {
            if (request.Path != "/federation" || request.Query.GetValueOrDefault("Action") != "getSigninToken")
                return (400, "unknown action");
            var session = SessionOf(request);
            var keys = new[] { "sessionId", "sessionKey", "sessionToken" };
            if (session == null || !session.Keys.OrderBy(k => k, StringComparer.Ordinal).SequenceEqual(keys.OrderBy(k => k, StringComparer.Ordinal)) || session.Values.Any(string.IsNullOrEmpty))
                return (400, "Session must hold sessionId, sessionKey and sessionToken");
            return (200, JsonSerializer.Serialize(new { SigninToken = SignInToken }));
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpListenerException || e is ObjectDisposedException || e is InvalidOperationException)
                {
                    return;
                }
                var rawUrl = context.Request.RawUrl ?? "/";
                var question = rawUrl.IndexOf('?');
                var path = question < 0 ? rawUrl : rawUrl.Substring(0, question);
                var rawQuery = question < 0 ? "" : rawUrl.Substring(question + 1);
                var query = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var pair in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
                {
                    var equals = pair.IndexOf('=');
                    query[Uri.UnescapeDataString(equals < 0 ? pair : pair.Substring(0, equals))] = equals < 0 ? "" : Uri.UnescapeDataString(pair.Substring(equals + 1));
                }
                var request = new FederationRequest(context.Request.HttpMethod, path, rawQuery, query);
                _requests.Enqueue(request);
                var (status, body) = (Respond ?? DefaultAnswer)(request);
                var bytes = Encoding.UTF8.GetBytes(body ?? "");
                context.Response.StatusCode = status;
                context.Response.ContentType = status == 200 ? "application/json" : "text/plain";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        public void Dispose()
        {
            try { _listener.Stop(); } catch (ObjectDisposedException) { }
            _listener.Close();
            try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        }
    }
}
