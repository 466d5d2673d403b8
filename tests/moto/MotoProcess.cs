// Shared by the xunit fixture (tests/S3Credentials.Tests/Infrastructure/MotoServer.cs) and the benchmark
// (bench/S3Credentials.Bench): both link this file with <Compile Include="..." Link="..."/>, so finding Python
// and launching moto live in one place. No test framework here.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace S3Credentials.Moto
{
    /// <summary>
    /// moto_server started through tests/moto/run_moto.py on 127.0.0.1 and a free port, killed on Dispose.
    /// Fails at once, saying so, when no Python on this machine can import moto.
    /// </summary>
    internal sealed class MotoProcess : IDisposable
    {
        public const string AccountId = "123456789012";
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _log = new ConcurrentQueue<string>();
        private readonly HttpClient _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        /// <param name="repoRoot">Where tests/moto/run_moto.py is.</param>
        /// <param name="home">HOME for moto and for finding pyenv (the real one, not a test's temporary HOME).</param>
        public MotoProcess(string repoRoot, string home)
        {
            var python = FindPython(repoRoot, home);
            Port = FreePort();
            Endpoint = "http://127.0.0.1:" + Port;
            var launcher = Path.Combine(repoRoot, "tests", "moto", "run_moto.py");
            var start = new ProcessStartInfo(python)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            start.ArgumentList.Add(launcher);
            start.ArgumentList.Add("127.0.0.1");
            start.ArgumentList.Add(Port.ToString());
            start.Environment["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true";
            start.Environment["HOME"] = home;
            foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
                start.Environment.Remove(key);
            _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + python);
            _process.OutputDataReceived += (_, e) => Remember(e.Data);
            _process.ErrorDataReceived += (_, e) => Remember(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            WaitUntilReady();
        }

        public int Port { get; }
        public string Endpoint { get; }

        /// <summary>Clears every bucket, user, role and key, and turns enforcement off.</summary>
        public void Reset()
        {
            Post("/moto-api/reset", "");
            SetAuthEnforced(false);
        }

        /// <summary>Turns moto's auth mode on (signatures and identity policies are checked) or off.</summary>
        public void SetAuthEnforced(bool enforced) => Post("/moto-api/reset-auth", enforced ? "0" : "inf");

        public string RecentLog => string.Join(Environment.NewLine, _log);

        private void Post(string path, string body)
        {
            using var response = _http.PostAsync(Endpoint + path, new StringContent(body, Encoding.UTF8, "text/plain")).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"moto {path} answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }

        private void Remember(string line)
        {
            if (line == null) return;
            _log.Enqueue(line);
            while (_log.Count > 200 && _log.TryDequeue(out _)) { }
        }

        private void WaitUntilReady()
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < StartTimeout)
            {
                if (_process.HasExited)
                    throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{RecentLog}");
                try
                {
                    using var response = _http.GetAsync(Endpoint + "/moto-api/data.json").GetAwaiter().GetResult();
                    if (response.StatusCode == HttpStatusCode.OK)
                        return;
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                Thread.Sleep(50);
            }
            Dispose();
            throw new TimeoutException($"moto_server did not answer on {Endpoint} within {StartTimeout.TotalSeconds} s:{Environment.NewLine}{RecentLog}");
        }

        /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
        internal static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        /// <summary>
        /// The Python that can import moto, as tests/moto/find-moto-python finds it (the one finder .ci/run and the Pester
        /// suite use too), run with <paramref name="home"/> as HOME for pyenv.
        /// </summary>
        public static string FindPython(string repoRoot, string home)
        {
            var start = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(repoRoot, "tests", "moto", "find-moto-python"));
            start.Environment["HOME"] = home;
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start sh for tests/moto/find-moto-python.");
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd().Trim();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(true);
                throw new InvalidOperationException("tests/moto/find-moto-python did not finish within 120 s.");
            }
            if (process.ExitCode != 0 || output.Length == 0)
                throw new InvalidOperationException(error.Result.Trim());
            return output;
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10000);
                }
            }
            catch (InvalidOperationException) { }
            _process.Dispose();
            _http.Dispose();
        }
    }
}
