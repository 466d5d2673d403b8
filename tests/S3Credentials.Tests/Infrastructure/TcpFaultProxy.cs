using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// A real HTTP/1.1 proxy on a loopback socket in front of moto, below the client's own HttpClient, so that what the
    /// HTTP layer does by itself (keep-alive connections, re-sending a request on a reused connection) is seen.
    /// Per request (by the Action form field) it passes the request on, drops the connection without passing it on, or
    /// passes it on and drops the connection instead of relaying the answer (the change is made, its answer is lost).
    /// Each request received is counted, whoever sent it.
    /// </summary>
    public sealed class TcpFaultProxy : IDisposable
    {
        public enum Fault { None, Drop, LoseAnswer }

        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly HttpClient _upstream = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        private readonly string _target;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentQueue<string> _received = new ConcurrentQueue<string>();

        public TcpFaultProxy(string target)
        {
            _target = target.TrimEnd('/');
            _listener.Start();
            _ = AcceptAsync();
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        /// <summary>What to do with a request: its action and how many of that action were received before it (0 for the first).</summary>
        public Func<string, int, Fault> Decide { get; set; } = (action, nth) => Fault.None;

        /// <summary>The actions of the requests received, in order.</summary>
        public IReadOnlyList<string> Received => _received.ToArray();

        public int Count(string action) => _received.Count(a => a == action);

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false); }
                catch (Exception) { return; }
                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            using (var stream = client.GetStream())
            {
                try
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        var request = await ReadRequestAsync(stream).ConfigureAwait(false);
                        if (request == null) return;
                        var action = ActionOf(request.Body) ?? request.Method + " " + request.Path;
                        int nth;
                        lock (_received)
                        {
                            nth = _received.Count(a => a == action);
                            _received.Enqueue(action);
                        }
                        var fault = Decide(action, nth);
                        if (fault == Fault.Drop) return;
                        var answer = await ForwardAsync(request).ConfigureAwait(false);
                        if (fault == Fault.LoseAnswer) return;
                        await stream.WriteAsync(answer, 0, answer.Length).ConfigureAwait(false);
                    }
                }
                catch (Exception)
                {
                    // a client that went away
                }
            }
        }

        private sealed class Request
        {
            public string Method, Path;
            public List<(string Name, string Value)> Headers = new List<(string, string)>();
            public byte[] Body;
        }

        private static async Task<Request> ReadRequestAsync(Stream stream)
        {
            var head = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                if (await stream.ReadAsync(one, 0, 1).ConfigureAwait(false) == 0) return null;
                head.Add(one[0]);
                var n = head.Count;
                if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n') break;
            }
            var lines = Encoding.ASCII.GetString(head.ToArray()).Split(new[] { "\r\n" }, StringSplitOptions.RemoveEmptyEntries);
            var first = lines[0].Split(' ');
            var request = new Request { Method = first[0], Path = first[1] };
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':');
                request.Headers.Add((line.Substring(0, colon).Trim(), line.Substring(colon + 1).Trim()));
            }
            var length = request.Headers.Where(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => int.Parse(h.Value)).FirstOrDefault();
            request.Body = new byte[length];
            for (var read = 0; read < length;)
            {
                var got = await stream.ReadAsync(request.Body, read, length - read).ConfigureAwait(false);
                if (got == 0) return null;
                read += got;
            }
            return request;
        }

        private static string ActionOf(byte[] body)
        {
            var text = Encoding.UTF8.GetString(body);
            foreach (var pair in text.Split('&'))
                if (pair.StartsWith("Action=", StringComparison.Ordinal))
                    return Uri.UnescapeDataString(pair.Substring(7));
            return null;
        }

        private async Task<byte[]> ForwardAsync(Request request)
        {
            var message = new HttpRequestMessage(new HttpMethod(request.Method), _target + request.Path) { Content = new ByteArrayContent(request.Body) };
            foreach (var (name, value) in request.Headers)
            {
                if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) continue;
                if (!message.Headers.TryAddWithoutValidation(name, value))
                    message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            using (var response = await _upstream.SendAsync(message).ConfigureAwait(false))
            {
                var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                var text = new StringBuilder($"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}\r\n");
                foreach (var header in response.Headers.Concat(response.Content.Headers))
                {
                    if (header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase)) continue;
                    text.Append(header.Key).Append(": ").Append(string.Join(", ", header.Value)).Append("\r\n");
                }
                text.Append($"Content-Length: {body.Length}\r\n\r\n");
                return Encoding.ASCII.GetBytes(text.ToString()).Concat(body).ToArray();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _upstream.Dispose();
        }
    }
}
