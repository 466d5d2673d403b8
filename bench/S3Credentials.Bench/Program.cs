using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;
using S3Credentials.Core.Operations;
using S3Credentials.Moto;
using S3Credentials.Tests.Infrastructure;

namespace S3Credentials.Bench
{
    /// <summary>
    /// Runs the core operations against a moto_server it starts itself, through an HTTP layer that adds a fixed latency to
    /// every request and counts them, and prints a Markdown table: AWS calls, wall time, the lower bound the latency allows,
    /// and how a one-call-at-a-time run of the same operation compares. See bench/README.md.
    /// </summary>
    internal static class Program
    {
        /// <param name="Concurrency">The limit for every scenario; null for each operation's own default.</param>
        private sealed record Options(int LatencyMs, int? Concurrency, int Runs, bool Verbose, string Only, string PeerPython, string PeerPath, bool SkipOneAtATime);

        private sealed record PeerMeasurement(TimeSpan Wall, int Calls, string Problem);

        private sealed record Measurement(TimeSpan Wall, int Calls, int MaxInFlight, IReadOnlyDictionary<string, int> ByAction, IReadOnlyList<RecordedCall> Recorded);

        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        private static async Task<int> Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "--objects")
                return await RunObjectsAsync(args.Skip(1).ToArray());
            Options options;
            try
            {
                options = Parse(args);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                Console.Error.WriteLine("Usage: dotnet run -c Release --project bench/S3Credentials.Bench -- [--latency-ms 50] [--concurrency N] [--runs 3] [--verbose] [--skip-one-at-a-time] [--only TEXT] [--peer PYTHON [--peer-path DIR]]");
                return 2;
            }
            if (options == null)
                return 0;

            LoadBefore = LoadAverage();
            // Only the explicit keys and endpoints below are used; keep the machine's instance metadata out of it.
            Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
            var repoRoot = RepoRoot;
            var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var total = Stopwatch.StartNew();
            using var moto = new MotoProcess(repoRoot, home);
            var context = new BenchContext(moto);
            var latency = TimeSpan.FromMilliseconds(options.LatencyMs);
            Console.Error.WriteLine($"moto_server on {moto.Endpoint}; {options.LatencyMs} ms added per request, concurrency {LimitText(options)}, median of {options.Runs} run(s).");

            using var proxy = options.PeerPython == null ? null : new LatencyProxy(moto.Endpoint) { Latency = latency };
            var rows = new List<string>();
            var notes = new List<string>();
            var failed = false;
            foreach (var scenario in Scenarios.All(repoRoot).Where(s => options.Only == null || s.Name.IndexOf(options.Only, StringComparison.OrdinalIgnoreCase) >= 0))
            {
                if (scenario.NotRun != null)
                {
                    rows.Add($"| {scenario.Name} | — | — | — | — | — | — | — | — | — | {scenario.NotRun} |");
                    continue;
                }
                Console.Error.WriteLine("• " + scenario.Name);
                var limit = options.Concurrency ?? scenario.DefaultLimit;
                try
                {
                    // Unreported warm-up (JIT, SDK caches), then the measured runs.
                    await MeasureAsync(context, scenario, limit, TimeSpan.Zero, oneAtATime: false);
                    // With and without the added latency taking turns, so that other load on the machine weighs on both alike.
                    var (concurrent, unloaded) = await PairedMediansAsync(options.Runs,
                        () => MeasureAsync(context, scenario, limit, latency, oneAtATime: false),
                        () => MeasureAsync(context, scenario, limit, TimeSpan.Zero, oneAtATime: false));
                    // Bulk one-at-a-time runs are long (hundreds of round trips) and steady: one is enough.
                    var sequential = scenario.NoSequentialRun || options.SkipOneAtATime ? null
                        : await MedianAsync(scenario.Bulk ? 1 : options.Runs, () => MeasureAsync(context, scenario, 1, latency, oneAtATime: true));
                    var peer = proxy == null || scenario.PeerCommand == null ? null : await MeasurePeerAsync(context, scenario, proxy, options);

                    if (options.Verbose)
                        Console.Error.WriteLine(ServerTimes(concurrent.Recorded));
                    var boundTrips = scenario.LowerBoundRoundTrips(limit);
                    var bound = TimeSpan.FromMilliseconds(boundTrips * options.LatencyMs);
                    var ratio = options.LatencyMs == 0 ? double.NaN : concurrent.Wall / bound;
                    var target = !scenario.Bulk ? "" : ratio <= 1.5 ? " ✓" : " ✗ misses 1.5×";
                    var calls = concurrent.Calls == scenario.ExpectedCalls ? concurrent.Calls.ToString(Invariant) : $"{concurrent.Calls} (expected {scenario.ExpectedCalls})";
                    var peerCell = peer == null ? "—" : peer.Problem != null ? "failed" : $"{peer.Calls} / {Ms(peer.Wall)} ({peer.Wall / concurrent.Wall:0.0}× ours)";
                    rows.Add($"| {scenario.Name} | {calls} | {Ms(concurrent.Wall)} | {Ms(bound)} ({boundTrips} × {options.LatencyMs} ms) | {ratio:0.00}×{target} | " +
                             (sequential == null ? "— | — | " : $"{Ms(sequential.Wall)} | {concurrent.Wall / sequential.Wall:0.00}× | ") +
                             $"{concurrent.MaxInFlight} of {limit} | {Ms(unloaded.Wall)} ({concurrent.Wall / unloaded.Wall:0.00}×) | {peerCell} | {scenario.CriticalPath} |");
                    if (peer?.Problem != null)
                        notes.Add($"{scenario.Name}: s3-credentials failed: {peer.Problem}");
                    if (concurrent.Calls != scenario.ExpectedCalls)
                        notes.Add($"{scenario.Name}: {concurrent.Calls} calls, expected {scenario.ExpectedCalls}: {Describe(concurrent.ByAction)}.");
                    if (scenario.Note != null)
                        notes.Add($"{scenario.Name}: {scenario.Note}");
                }
                catch (Exception e)
                {
                    failed = true;
                    rows.Add($"| {scenario.Name} | — | — | — | — | — | — | — | — | — | failed: {e.GetType().Name}: {e.Message.Replace('|', '/')} |");
                    Console.Error.WriteLine(e);
                    Console.Error.WriteLine(moto.RecentLog);
                }
            }

            Console.WriteLine(Report(options, rows, notes, total.Elapsed));
            return failed ? 1 : 0;
        }

        private static string RepoRoot => Path.GetFullPath(typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value);

        private static Scenario _setUpFor;
        private static object _state;

        /// <summary>A scenario that changes nothing is set up once; the others start from an empty moto every run.</summary>
        private static async Task<object> SetUpAsync(BenchContext context, Scenario scenario)
        {
            if (!scenario.ReadOnly || _setUpFor != scenario)
            {
                context.Moto.Reset();
                // After a reset moto builds its IAM backend on first use, loading ~1,000 AWS managed policies (~0.7 s; any
                // request, even S3's HeadBucket, looks the caller's key up there). AWS has no such cost: pay it before timing.
                using (var iam = context.SetupSession().CreateIamClient())
                    await iam.ListUsersAsync();
                _state = await scenario.SetUpAsync(context);
                _setUpFor = scenario;
            }
            return _state;
        }

        private static async Task<Measurement> MeasureAsync(BenchContext context, Scenario scenario, int limit, TimeSpan latency, bool oneAtATime)
        {
            context.Factory = null;
            var state = await SetUpAsync(context, scenario);
            var factory = new RecordingHttpClientFactory(shareConnections: true) { Latency = latency };
            if (oneAtATime)
                factory.MaxConcurrentRequests = 1;
            context.Factory = factory;
            var watch = Stopwatch.StartNew();
            await scenario.RunAsync(context, state, limit);
            watch.Stop();
            return new Measurement(watch.Elapsed, factory.Calls.Count, factory.MaxInFlight, factory.CountsByAction(), factory.Calls);
        }

        /// <summary>
        /// The peer, s3-credentials 0.17, doing the same against the same moto state through the latency proxy: one run, in its
        /// own Python process, timed inside it from the command's start (bench/peer.py), so Python's start-up is not counted.
        /// </summary>
        private static async Task<PeerMeasurement> MeasurePeerAsync(BenchContext context, Scenario scenario, LatencyProxy proxy, Options options)
        {
            var state = await SetUpAsync(context, scenario);
            var start = new ProcessStartInfo(options.PeerPython) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(RepoRoot, "bench", "peer.py"));
            foreach (var argument in scenario.PeerCommand(state))
                start.ArgumentList.Add(argument);
            start.ArgumentList.Add("--endpoint-url");
            start.ArgumentList.Add(proxy.Endpoint);
            start.Environment["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE";
            start.Environment["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
            start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
            start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            if (options.PeerPath != null)
                start.Environment["PYTHONPATH"] = options.PeerPath;
            proxy.ResetCounts();
            using var process = Process.Start(start);
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var calls = proxy.Requests;
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse((await output).Trim().Split('\n').Last());
                var root = json.RootElement;
                var problem = root.GetProperty("exit_code").GetInt32() != 0 ? root.GetProperty("error").ToString() : null;
                return new PeerMeasurement(TimeSpan.FromSeconds(root.GetProperty("seconds").GetDouble()), calls, problem);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException || e is InvalidOperationException || e is KeyNotFoundException)
            {
                return new PeerMeasurement(TimeSpan.Zero, calls, (await error).Trim().Split('\n').LastOrDefault() ?? e.Message);
            }
        }

        private static async Task<Measurement> MedianAsync(int runs, Func<Task<Measurement>> measure)
            => (await PairedMediansAsync(runs, measure, null)).First;

        /// <summary>The median of each of two measurements, run alternately (<paramref name="second"/> may be null).</summary>
        private static async Task<(Measurement First, Measurement Second)> PairedMediansAsync(int runs, Func<Task<Measurement>> first, Func<Task<Measurement>> second)
        {
            var firsts = new List<Measurement>();
            var seconds = new List<Measurement>();
            for (var i = 0; i < runs; i++)
            {
                firsts.Add(await first());
                if (second != null)
                    seconds.Add(await second());
            }
            static Measurement Median(List<Measurement> all) => all.Count == 0 ? null : all.OrderBy(m => m.Wall).ElementAt(all.Count / 2);
            return (Median(firsts), Median(seconds));
        }

        private static string Report(Options options, IEnumerable<string> rows, IEnumerable<string> notes, TimeSpan elapsed)
        {
            var text = new StringBuilder();
            text.AppendLine($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Machine()}; {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}; load average before/after: {LoadBefore} / {LoadAverage()}.");
            text.AppendLine($"Every request to moto gets {options.LatencyMs} ms added; concurrency (ThrottleLimit) {LimitText(options)}; " +
                            $"wall times are the median of {options.Runs} run(s) (bulk one-at-a-time runs: one run). The whole benchmark took {elapsed.TotalSeconds:0} s.");
            text.AppendLine();
            text.AppendLine($"| Scenario | AWS calls | Wall time | Lower bound | ÷ bound | One call at a time | ÷ one at a time | Max in flight of limit | No added latency (wall ÷ it) | s3-credentials 0.17: calls / time | Critical path |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var row in rows)
                text.AppendLine(row);
            var list = notes.ToList();
            if (list.Count > 0)
            {
                text.AppendLine();
                foreach (var note in list)
                    text.AppendLine("- " + note);
            }
            return text.ToString();
        }

        private static string LimitText(Options options)
            => options.Concurrency?.ToString(Invariant)
               ?? $"each operation's default, {BoundedConcurrency.DefaultLimit} (Get-S3BucketDetail {BucketDetailOperation.DefaultThrottleLimit})";

        private static string LoadBefore = "n/a";

        /// <summary>The 1-minute load average (other work on the machine skews the figures), or "n/a".</summary>
        private static string LoadAverage()
        {
            try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
            catch (IOException) { return "n/a"; }
            catch (UnauthorizedAccessException) { return "n/a"; }
        }

        private static string Machine()
        {
            string cpu = null;
            try
            {
                cpu = File.ReadLines("/proc/cpuinfo").Where(l => l.StartsWith("model name", StringComparison.Ordinal)).Select(l => l.Substring(l.IndexOf(':') + 1).Trim()).FirstOrDefault();
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            return $"{Environment.ProcessorCount} CPU(s) (nproc), {cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}";
        }

        /// <summary>Per action: calls, and the server's answer time (added latency excluded), mean and slowest.</summary>
        private static string ServerTimes(IReadOnlyList<RecordedCall> calls)
            => "    server time per call: " + string.Join("; ", calls.GroupBy(c => c.Action).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} ×{g.Count()} mean {g.Average(c => c.ServerTime.TotalMilliseconds):0.0} ms, max {g.Max(c => c.ServerTime.TotalMilliseconds):0.0} ms"));

        private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("#,0", Invariant) + " ms";

        private static string Describe(IReadOnlyDictionary<string, int> byAction) => string.Join(", ", byAction.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"));

        /// <summary>--objects [--large-mib 1024] [--small 1000] [--peer "COMMAND"]: see ObjectsBench and bench/README.md.</summary>
        private static async Task<int> RunObjectsAsync(string[] args)
        {
            long largeMib = 1024;
            var small = 1000;
            string peer = null;
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => ++i < args.Length ? args[i] : throw new ArgumentException(args[i - 1] + " needs a value.");
                switch (args[i])
                {
                    case "--large-mib": largeMib = long.Parse(Next(), Invariant); break;
                    case "--small": small = int.Parse(Next(), Invariant); break;
                    case "--peer": peer = Next(); break;
                    default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }
            Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
            var repoRoot = Path.GetFullPath(typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value);
            var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            using var moto = new MotoProcess(repoRoot, home);
            Console.Error.WriteLine($"moto_server on {moto.Endpoint}; large file {largeMib} MiB (and a quarter of it), {small} small files" + (peer == null ? "; no --peer, so no s3-credentials column" : $"; peer: {peer}"));
            return await ObjectsBench.RunAsync(new BenchContext(moto), largeMib * 1024 * 1024, small, peer);
        }

        private static Options Parse(string[] args)
        {
            int latency = 50, runs = 3;
            int? concurrency = null;
            bool verbose = false, skipOneAtATime = false;
            string only = null, peerPython = null, peerPath = null;
            for (var i = 0; i < args.Length; i++)
            {
                int Next(string name)
                {
                    if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, Invariant, out var value))
                        throw new ArgumentException($"{name} needs a whole number.");
                    i++;
                    return value;
                }
                switch (args[i])
                {
                    case "--latency-ms": latency = Next("--latency-ms"); break;
                    case "--concurrency": concurrency = Next("--concurrency"); break;
                    case "--runs": runs = Next("--runs"); break;
                    case "--verbose": verbose = true; break;
                    case "--skip-one-at-a-time": skipOneAtATime = true; break;
                    case "--only":
                        if (++i >= args.Length) throw new ArgumentException("--only needs part of a scenario's name.");
                        only = args[i];
                        break;
                    case "--peer":
                        if (++i >= args.Length) throw new ArgumentException("--peer needs the Python that runs s3-credentials 0.17.");
                        peerPython = args[i];
                        break;
                    case "--peer-path":
                        if (++i >= args.Length) throw new ArgumentException("--peer-path needs a folder (PYTHONPATH) holding the s3_credentials package.");
                        peerPath = args[i];
                        break;
                    case "-h":
                    case "--help":
                        Console.WriteLine("Usage: dotnet run -c Release --project bench/S3Credentials.Bench -- [--latency-ms 50] [--concurrency N] [--runs 3] [--verbose] [--skip-one-at-a-time] [--only TEXT] [--peer PYTHON [--peer-path DIR]]");
                        return null;
                    default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }
            if (concurrency < 1) throw new ArgumentException("--concurrency must be at least 1.");
            if (runs < 1) throw new ArgumentException("--runs must be at least 1.");
            return new Options(latency, concurrency, runs, verbose, only, peerPython, peerPath, skipOneAtATime);
        }
    }
}
