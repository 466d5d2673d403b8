using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace S3Credentials.Bench
{
    /// <summary>
    /// An HTTP proxy on 127.0.0.1 in front of moto for the peer (s3-credentials, in Python), which the .NET HTTP layer
    /// cannot delay: each request waits the added latency, is forwarded as it came, and is counted, as the module's are.
    /// </summary>
    internal sealed class LatencyProxy : IDisposable
    {
        private static readonly string[] HopByHop = { "Host", "Connection", "Content-Length", "Transfer-Encoding", "Keep-Alive", "Expect" };
        private readonly HttpListener _listener = new HttpListener();
        private readonly HttpClient _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        private readonly string _target;
        private int _inFlight;
        private int _maxInFlight;
        private int _requests;

        public LatencyProxy(string target)
        {
            _target = target.TrimEnd('/');
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Endpoint = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Endpoint + "/");
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public string Endpoint { get; }
        public TimeSpan Latency { get; set; }
        public int Requests => Volatile.Read(ref _requests);
        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public void ResetCounts()
        {
            Interlocked.Exchange(ref _requests, 0);
            Interlocked.Exchange(ref _maxInFlight, 0);
        }

        private async Task AcceptAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
                catch (Exception) when (!_listener.IsListening) { return; }
                catch (HttpListenerException) { return; }
                _ = Task.Run(() => ForwardAsync(context));
            }
        }

        private async Task ForwardAsync(HttpListenerContext context)
        {
            var now = Interlocked.Increment(ref _inFlight);
            Interlocked.Increment(ref _requests);
            int seen;
            while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen) { }
            try
            {
                var incoming = context.Request;
                var request = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), _target + incoming.RawUrl);
                var body = new System.IO.MemoryStream();
                await incoming.InputStream.CopyToAsync(body).ConfigureAwait(false);
                if (body.Length > 0 || incoming.HttpMethod == "POST" || incoming.HttpMethod == "PUT")
                    request.Content = new ByteArrayContent(body.ToArray());
                foreach (var name in incoming.Headers.AllKeys.Where(n => !HopByHop.Contains(n, StringComparer.OrdinalIgnoreCase)))
                    if (!request.Headers.TryAddWithoutValidation(name, incoming.Headers[name]))
                        request.Content?.Headers.TryAddWithoutValidation(name, incoming.Headers[name]);
                await Task.Delay(Latency).ConfigureAwait(false);
                using (var answer = await _client.SendAsync(request).ConfigureAwait(false))
                {
                    var bytes = await answer.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    context.Response.StatusCode = (int)answer.StatusCode;
                    foreach (var header in answer.Headers.Concat(answer.Content.Headers).Where(h => !HopByHop.Contains(h.Key, StringComparer.OrdinalIgnoreCase)))
                        context.Response.Headers[header.Key] = string.Join(",", header.Value);
                    if (incoming.HttpMethod != "HEAD")
                        await context.Response.OutputStream.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);
                    context.Response.Close();
                }
            }
            catch (Exception)
            {
                try { context.Response.StatusCode = 502; context.Response.Close(); } catch (Exception) { }
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _client.Dispose();
        }
    }
}
