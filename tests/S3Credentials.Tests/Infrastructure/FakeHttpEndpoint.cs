using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// One request a fake endpoint received: its method, its path, its raw query, the query decoded, its headers
    /// (names in lower case) and its body (UTF-8 text, empty when there is none).
    /// </summary>
    public sealed record FakeHttpRequest(string Method, string Path, string RawQuery, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>What a fake endpoint answers: a status code, a body and headers besides Content-Type (none when null).</summary>
    public sealed record FakeHttpResponse(int Status, string Body, IReadOnlyDictionary<string, string> Headers = null);

    /// <summary>
    /// A small HTTP endpoint in the test process, with HttpListener on 127.0.0.1 and a free port: every request is
    /// recorded, then answered with the status code, body and headers that <see cref="Respond"/> gives (JSON when the
    /// status is 200, plain text otherwise). The fakes of AWS endpoints that moto does not emulate are built on it
    /// (<see cref="FakeFederationEndpoint"/>, <see cref="FakeSsoPortal"/>).
    /// </summary>
    public sealed class FakeHttpEndpoint : IDisposable
    {
        private readonly HttpListener _listener = new HttpListener();
        private readonly ConcurrentQueue<FakeHttpRequest> _requests = new ConcurrentQueue<FakeHttpRequest>();
        private readonly Task _loop;

        public FakeHttpEndpoint(Func<FakeHttpRequest, (int Status, string Body)> respond)
            : this(AsResponse(respond ?? throw new ArgumentNullException(nameof(respond))))
        {
        }

        public FakeHttpEndpoint(Func<FakeHttpRequest, FakeHttpResponse> respond)
        {
            Respond = respond ?? throw new ArgumentNullException(nameof(respond));
            Port = FreePort();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public int Port { get; }
        /// <summary>http://127.0.0.1:PORT, without a trailing slash.</summary>
        public string BaseUrl => $"http://127.0.0.1:{Port}";
        public IReadOnlyList<FakeHttpRequest> Requests => _requests.ToArray();

        /// <summary>Given a request, the status code, body and headers to send.</summary>
        public Func<FakeHttpRequest, FakeHttpResponse> Respond { get; set; }

        private static Func<FakeHttpRequest, FakeHttpResponse> AsResponse(Func<FakeHttpRequest, (int Status, string Body)> respond)
            => request =>
            {
                var (status, body) = respond(request);
                return new FakeHttpResponse(status, body);
            };

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
                var headers = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var name in context.Request.Headers.AllKeys)
                    if (name != null)
                        headers[name.ToLowerInvariant()] = context.Request.Headers[name];
                string requestBody;
                using (var reader = new System.IO.StreamReader(context.Request.InputStream, Encoding.UTF8))
                    requestBody = await reader.ReadToEndAsync().ConfigureAwait(false);
                var request = new FakeHttpRequest(context.Request.HttpMethod, path, rawQuery, query, headers, requestBody);
                _requests.Enqueue(request);
                var response = Respond(request);
                var bytes = Encoding.UTF8.GetBytes(response.Body ?? "");
                context.Response.StatusCode = response.Status;
                context.Response.ContentType = response.Status == 200 ? "application/json" : "text/plain";
                foreach (var header in response.Headers ?? new Dictionary<string, string>())
                    context.Response.Headers[header.Key] = header.Value;
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
