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
    /// One request a fake endpoint received: its method, its path, its raw query, the query decoded and its headers
    /// (names in lower case).
    /// </summary>
    public sealed record FakeHttpRequest(string Method, string Path, string RawQuery, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers);

    /// <summary>
    /// A small HTTP endpoint in the test process, with HttpListener on 127.0.0.1 and a free port: every request is
    /// recorded, then answered with the status code and body that <see cref="Respond"/> gives (JSON when the status is
    /// 200, plain text otherwise). The fakes of AWS endpoints that moto does not emulate are built on it
    /// (<see cref="FakeFederationEndpoint"/>, <see cref="FakeSsoPortal"/>).
    /// </summary>
    public sealed class FakeHttpEndpoint : IDisposable
    {
        private readonly HttpListener _listener = new HttpListener();
        private readonly ConcurrentQueue<FakeHttpRequest> _requests = new ConcurrentQueue<FakeHttpRequest>();
        private readonly Task _loop;

        public FakeHttpEndpoint(Func<FakeHttpRequest, (int Status, string Body)> respond)
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

        /// <summary>Given a request, the status code and body to send.</summary>
        public Func<FakeHttpRequest, (int Status, string Body)> Respond { get; set; }

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
                var request = new FakeHttpRequest(context.Request.HttpMethod, path, rawQuery, query, headers);
                _requests.Enqueue(request);
                var (status, body) = Respond(request);
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
