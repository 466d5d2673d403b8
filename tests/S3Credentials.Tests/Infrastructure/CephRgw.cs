using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Credentials;
using S3Credentials.Moto;
using Xunit;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// A Ceph RADOS Gateway (RGW) for tests that need an S3 which enforces session policies (moto does not): a
    /// one-monitor cluster with one memstore OSD and one radosgw, all on 127.0.0.1 under a temporary folder, on free
    /// ports (the monitor's too), started once for the tests that use it and stopped (the daemons' PIDs) at their end.
    /// The set-up is the one ../shared/reference/environment.md found to work with Ceph 16.2 (Debian packages radosgw,
    /// ceph-mon and ceph-osd). Missing packages are installed when running as root with apt-get (.ci/run installs
    /// them up-front); where neither is possible the tests are skipped (<see cref="RgwFactAttribute"/>) saying why.
    /// Holds: an RGW user (radosgw-admin) with the roles capability, a role made through RGW's IAM API that trusts
    /// only that user, and buckets with objects.
    /// </summary>
    public sealed class CephRgw : IDisposable
    {
        public const string UserId = "s3credentials-admin";
        public const string AccessKey = "RGWADMINKEY00000000";
        public const string SecretKey = "rgwAdminSecret0000000000000000000000000000";
        public const string RoleName = "S3Credentials-RgwTest";

        private static readonly string[] Daemons = { "ceph-mon", "ceph-osd", "radosgw" };
        private static readonly string[] Packages = { "radosgw", "ceph-mon", "ceph-osd" };
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
        private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
        private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

        private readonly string _folder;
        private readonly string _config;

        public CephRgw()
        {
            var watch = Stopwatch.StartNew();
            EnsureInstalled();
            _folder = Path.Combine(Path.GetTempPath(), "s3credentials-rgw-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            _config = Path.Combine(_folder, "ceph.conf");
            try
            {
                Start();
                RoleArn = CreateRole();
            }
            catch
            {
                Dispose();
                throw;
            }
            StartTime = watch.Elapsed;
        }

        /// <summary>The S3, IAM and STS endpoint (one URL for all three, as RGW serves them).</summary>
        public string Endpoint { get; private set; }
        /// <summary>The role the tests assume: arn:aws:iam:::role/s3credentials/NAME (RGW's ARNs have no account).</summary>
        public string RoleArn { get; }
        /// <summary>Set by the matrix tests once their buckets and objects are in place (they are made once per run).</summary>
        public bool MatrixSeeded { get; set; }
        /// <summary>How long installing (when needed) and starting took.</summary>
        public TimeSpan StartTime { get; }

        /// <summary>Why the RGW tests cannot run here, or null when they can (installed, or installable: root with apt-get).</summary>
        public static string SkipReason
        {
            get
            {
                if (MissingDaemons().Count == 0) return null;
                if (IsRoot() && FindOnPath("apt-get") != null) return null;
                return $"Ceph RGW is not installed ({string.Join(", ", MissingDaemons())} missing) and cannot be installed here " +
                       $"({(IsRoot() ? "no apt-get" : "not root")}): install the Debian packages {string.Join(" ", Packages)} (.ci/run does as root).";
            }
        }

        /// <summary>
        /// Options for a session against this RGW with the admin user's keys (or others), S3, IAM and STS all at RGW.
        /// Every request goes on a connection of its own: RGW 16 answers a refused PutObject (403) without reading the
        /// body the client already sent, keeps the connection, and reads that body as the next request, which then fails
        /// with 400 Bad Request whatever it was.
        /// </summary>
        public SessionOptions Options(string accessKey = AccessKey, string secretKey = SecretKey, string sessionToken = null)
            => new SessionOptions
            {
                AccessKey = accessKey,
                SecretKey = secretKey,
                SessionToken = sessionToken,
                Region = "us-east-1",
                EndpointUrl = Endpoint,
                IamEndpointUrl = Endpoint,
                StsEndpointUrl = Endpoint,
                HttpClientFactory = new RecordingHttpClientFactory(),
            };

        public AwsSession Session(string accessKey = AccessKey, string secretKey = SecretKey, string sessionToken = null)
            => SessionResolver.Resolve(Options(accessKey, secretKey, sessionToken));

        private static void EnsureInstalled()
        {
            if (MissingDaemons().Count == 0) return;
            var reason = SkipReason;
            if (reason != null) throw new InvalidOperationException(reason);
            var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            var install = new[] { "install", "-y", "-q", "--no-install-recommends" }.Concat(Packages).ToArray();
            var (code, output) = Run("apt-get", install, InstallTimeout, environment, check: false);
            if (code != 0)
            {
                // A fresh image has no package lists: read them, then try once more.
                Run("apt-get", new[] { "update", "-q" }, InstallTimeout, environment);
                Run("apt-get", install, InstallTimeout, environment);
            }
            if (MissingDaemons().Count > 0)
                throw new InvalidOperationException($"apt-get installed {string.Join(" ", Packages)} but {string.Join(", ", MissingDaemons())} is still missing:\n{output}");
        }

        private void Start()
        {
            var monitorPort = MotoProcess.FreePort();
            var gatewayPort = MotoProcess.FreePort();
            Endpoint = "http://127.0.0.1:" + gatewayPort;
            var fsid = Guid.NewGuid().ToString();
            foreach (var sub in new[] { "run", "mon", "osd", "rgw", "log" })
                Directory.CreateDirectory(Path.Combine(_folder, sub));
            File.WriteAllText(_config, string.Join("\n", new[]
            {
                "[global]",
                "fsid = " + fsid,
                $"mon host = v1:127.0.0.1:{monitorPort}",
                "public network = 127.0.0.0/8",
                "auth cluster required = none",
                "auth service required = none",
                "auth client required = none",
                "ms bind ipv6 = false",
                $"run dir = {_folder}/run",
                $"admin socket = {_folder}/run/$name.asok",
                $"log file = {_folder}/log/$name.log",
                $"pid file = {_folder}/run/$name.pid",
                $"mon data = {_folder}/mon/$id",
                $"osd data = {_folder}/osd/$id",
                "osd objectstore = memstore",
                "memstore device bytes = 1073741824",
                "osd pool default size = 1",
                "osd pool default min size = 1",
                "osd pool default pg num = 8",
                "osd pool default pgp num = 8",
                "osd pool default pg autoscale mode = off",
                "mon allow pool size one = true",
                "osd crush chooseleaf type = 0",
                "mon max pg per osd = 1000",
                // Without these two the OSD exits 250 ("wrong fsid") on this set-up.
                "osd crush update on start = false",
                "osd class update on start = false",
                "[client.rgw.local]",
                $"rgw frontends = beast endpoint=127.0.0.1:{gatewayPort}",
                "rgw sts key = " + "s3credentialsrgw".Substring(0, 16),
                "rgw s3 auth use sts = true",
                $"rgw data = {_folder}/rgw",
                "",
            }));

            // The monitor address must be given as v1: monmaptool takes a bare address on any port but 6789 for msgr v2,
            // which the v1 'mon host' above never reaches.
            var monmap = Path.Combine(_folder, "monmap");
            Run("monmaptool", new[] { "--create", "--addv", "a", $"[v1:127.0.0.1:{monitorPort}]", "--fsid", fsid, monmap });
            Ceph("ceph-mon", "--mkfs", "-i", "a", "--monmap", monmap);
            Ceph("ceph-mon", "-i", "a");
            var osdUuid = Guid.NewGuid().ToString();
            // Both are asked of a monitor that may still be starting ("EPERM: problem getting command descriptions from mon"
            // was seen on a loaded machine): asked again until it answers. Both may be repeated: 'osd new' with the same uuid
            // gives the same id.
            var osdId = CephUntilAnswered("osd", "new", osdUuid).Trim();
            CephUntilAnswered("osd", "crush", "add", "osd." + osdId, "1.0", "root=default", "host=localhost");
            Directory.CreateDirectory(Path.Combine(_folder, "osd", osdId));
            Ceph("ceph-osd", "-i", osdId, "--mkfs", "--osd-uuid", osdUuid);
            Ceph("ceph-osd", "-i", osdId);
            Ceph("radosgw", "-n", "client.rgw.local");
            WaitUntilAnswering();
            Ceph("radosgw-admin", "user", "create", "--uid", UserId, "--display-name", UserId, "--access-key", AccessKey, "--secret", SecretKey);
            Ceph("radosgw-admin", "caps", "add", "--uid", UserId, "--caps", "roles=*");
        }

        /// <summary>The test role, through RGW's IAM API as the admin user: trusting only that user, allowed s3:* (narrowed by each session policy).</summary>
        private string CreateRole()
        {
            using var iam = Session().CreateIamClient();
            var trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam:::user/" + UserId + "\"]},\"Action\":[\"sts:AssumeRole\"]}]}";
            var role = iam.CreateRoleAsync(RoleName, trust, maxSessionDuration: 3600, path: "/s3credentials/").GetAwaiter().GetResult();
            iam.PutRolePolicyAsync(RoleName, "s3-access", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::*\"}]}").GetAwaiter().GetResult();
            return role.Arn;
        }

        private void WaitUntilAnswering()
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < StartTimeout)
            {
                try
                {
                    using var response = http.GetAsync(Endpoint + "/").GetAwaiter().GetResult();
                    if (response.StatusCode == HttpStatusCode.OK)
                        return;
                }
                catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException)
                {
                    // not listening yet
                }
                Thread.Sleep(100);
            }
            throw new TimeoutException($"radosgw did not answer on {Endpoint} within {StartTimeout.TotalSeconds} s:\n{RecentLog()}");
        }

        /// <summary>The last lines of every daemon's log, for failure messages.</summary>
        public string RecentLog()
        {
            var logs = Path.Combine(_folder, "log");
            if (!Directory.Exists(logs)) return "";
            return string.Join("\n", Directory.GetFiles(logs).Select(f => "== " + Path.GetFileName(f) + "\n" + string.Join("\n", File.ReadLines(f).TakeLast(15))));
        }

        /// <summary>Runs a `ceph` command until the monitor carries it out, within <see cref="StartTimeout"/>.</summary>
        private string CephUntilAnswered(params string[] arguments)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                var (code, output) = Run("ceph", new[] { "-c", _config, "--connect-timeout", "30" }.Concat(arguments).ToArray(), check: false);
                if (code == 0)
                    return output;
                if (watch.Elapsed > StartTimeout)
                    throw new InvalidOperationException($"ceph {string.Join(" ", arguments)} still failed after {StartTimeout.TotalSeconds} s (exit {code}):\n{output}\n{RecentLog()}");
                Thread.Sleep(250);
            }
        }

        /// <summary>Runs a Ceph tool against this cluster's ceph.conf; throws with its output when it fails.</summary>
        private string Ceph(string tool, params string[] arguments)
            => Run(tool, new[] { "-c", _config }.Concat(arguments).ToArray()).Output;

        private static (int Code, string Output) Run(string file, string[] arguments, TimeSpan? timeout = null, IDictionary<string, string> environment = null, bool check = true)
        {
            var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            foreach (var pair in environment ?? new Dictionary<string, string>()) start.Environment[pair.Key] = pair.Value;
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + file);
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var limit = timeout ?? CommandTimeout;
            if (!process.WaitForExit((int)limit.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(" ", arguments)} did not finish within {limit.TotalSeconds} s:\n{output}");
            }
            // The daemons fork and return at once while their child keeps the redirected streams open: waiting for the end of
            // the streams would wait for the daemon. Only the other tools' output is read to its end.
            if (!Daemons.Contains(file))
                process.WaitForExit();
            string text;
            lock (output) text = output.ToString();
            if (check && process.ExitCode != 0)
                throw new InvalidOperationException($"{file} {string.Join(" ", arguments)} exited with {process.ExitCode}:\n{text}");
            return (process.ExitCode, text);
        }

        private static IReadOnlyList<string> MissingDaemons() => Daemons.Concat(new[] { "radosgw-admin", "monmaptool", "ceph" }).Where(d => FindOnPath(d) == null).ToList();

        private static string FindOnPath(string name)
            => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Concat(new[] { "/usr/bin", "/usr/sbin" })
                .Where(dir => dir.Length > 0).Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

        private static bool IsRoot()
        {
            try
            {
                var uid = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                return uid != null && uid.Split(new[] { '\t', ' ' }, StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0";
            }
            catch (IOException)
            {
                return false;
            }
        }

        /// <summary>Stops the daemons by the PIDs in the run folder, then removes the folder.</summary>
        public void Dispose()
        {
            if (_folder == null) return;
            var run = Path.Combine(_folder, "run");
            if (Directory.Exists(run))
            {
                foreach (var pidFile in Directory.GetFiles(run, "*.pid"))
                {
                    if (!int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid)) continue;
                    try
                    {
                        using var process = Process.GetProcessById(pid);
                        process.Kill();
                        process.WaitForExit(10000);
                    }
                    catch (Exception e) when (e is ArgumentException || e is InvalidOperationException || e is System.ComponentModel.Win32Exception)
                    {
                        // already gone
                    }
                }
            }
            try { Directory.Delete(_folder, recursive: true); }
            catch (IOException) { }
        }
    }

    [CollectionDefinition(Name)]
    public sealed class CephRgwCollection : ICollectionFixture<CephRgw>
    {
        public const string Name = "ceph-rgw";
    }

    /// <summary>A fact that needs Ceph RGW: skipped, saying why, where it is neither installed nor installable.</summary>
    public sealed class RgwFactAttribute : FactAttribute
    {
        public RgwFactAttribute() => Skip = CephRgw.SkipReason;
    }

    /// <summary>A theory that needs Ceph RGW: skipped, saying why, where it is neither installed nor installable.</summary>
    public sealed class RgwTheoryAttribute : TheoryAttribute
    {
        public RgwTheoryAttribute() => Skip = CephRgw.SkipReason;
    }
}
