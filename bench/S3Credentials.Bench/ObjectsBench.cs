using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.Objects;

namespace S3Credentials.Bench
{
    /// <summary>
    /// --objects: Write-S3Item's and Save-S3Item's operations on one large file (peak working set of this process above
    /// its idle level, sampled every 10 ms) and on 1,000 small files each way, against moto with no added latency, and
    /// s3-credentials put-objects / get-objects on the same files and the same moto when --peer names a way to run it.
    /// </summary>
    internal static class ObjectsBench
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        public static async Task<int> RunAsync(BenchContext context, long largeBytes, int smallCount, string peer)
        {
            var work = Directory.CreateTempSubdirectory("s3items-bench-").FullName;
            try
            {
                var session = context.SetupSession(); // not recorded: the recorder would keep every body
                await context.CreateBucketAsync("bench-objects");
                var rows = new List<string>();

                // Warm-up (JIT, SDK caches), then the idle level.
                var warm = Path.Combine(work, "warm.bin");
                File.WriteAllBytes(warm, new byte[1024]);
                await Upload(session, new[] { UploadSource.File(warm, "warm.bin") });
                await Download(session, new S3ItemSelection("bench-objects", new[] { "warm.bin" }), Path.Combine(work, "warm-back.bin"));

                foreach (var size in new[] { largeBytes / 4, largeBytes })
                {
                    var file = Path.Combine(work, "large.bin");
                    WriteRandomFile(file, size);
                    var idle = Idle();
                    var (uploadTime, uploadPeak) = await Measure(() => Upload(session, new[] { UploadSource.File(file, "large.bin") }));
                    var back = Path.Combine(work, "large-back.bin");
                    idle = Math.Min(idle, Idle());
                    var (downloadTime, downloadPeak) = await Measure(() => Download(session, new S3ItemSelection("bench-objects", new[] { "large.bin" }), back));
                    if (new FileInfo(back).Length != size) throw new InvalidOperationException("the downloaded file has the wrong size");
                    rows.Add($"| upload {Mb(size)} (Write-S3Item, parts of 8 MiB, 4 at once) | {Seconds(uploadTime)} | {Mb(size / uploadTime.TotalSeconds)}/s | {Mb(idle)} | {Mb(uploadPeak)} | **{Mb(uploadPeak - idle)}** |");
                    rows.Add($"| download {Mb(size)} (Save-S3Item) | {Seconds(downloadTime)} | {Mb(size / downloadTime.TotalSeconds)}/s | {Mb(idle)} | {Mb(downloadPeak)} | **{Mb(downloadPeak - idle)}** |");
                    File.Delete(file);
                    File.Delete(back);
                }

                var small = Path.Combine(work, "small");
                Directory.CreateDirectory(small);
                var random = new Random(14);
                for (var i = 0; i < smallCount; i++)
                {
                    var bytes = new byte[1024 + random.Next(3072)];
                    random.NextBytes(bytes);
                    File.WriteAllBytes(Path.Combine(small, $"f{i:D4}.bin"), bytes);
                }
                var ours = new Dictionary<string, TimeSpan>();
                ours["up"] = (await Measure(() => Upload(session, UploadSource.FromPaths(new[] { small }, "ours/", recurse: true)))).Time;
                ours["down"] = (await Measure(() => Download(session, new S3ItemSelection("bench-objects", null, "ours/"), Path.Combine(work, "ours-back")))).Time;
                if (Directory.GetFiles(Path.Combine(work, "ours-back"), "*", SearchOption.AllDirectories).Length != smallCount)
                    throw new InvalidOperationException("not every small object came back");

                var smallRows = new List<string>();
                TimeSpan? peerUp = null, peerDown = null;
                if (peer != null)
                {
                    peerUp = RunPeer(context, peer, $"put-objects bench-objects \"{small}\" --prefix peer -s");
                    peerDown = RunPeer(context, peer, $"get-objects bench-objects --pattern \"peer/*\" --output \"{Path.Combine(work, "peer-back")}\" -s");
                    if (Directory.GetFiles(Path.Combine(work, "peer-back"), "*", SearchOption.AllDirectories).Length != smallCount)
                        throw new InvalidOperationException("s3-credentials did not bring every small object back");
                }
                string Ratio(TimeSpan? theirs, TimeSpan mine) => theirs == null ? "—" : (theirs.Value.TotalSeconds / mine.TotalSeconds).ToString("0.0", Invariant) + "×";
                smallRows.Add($"| upload {smallCount} files of 1–4 KiB | {Seconds(ours["up"])} | {(peerUp == null ? "—" : Seconds(peerUp.Value))} | {Ratio(peerUp, ours["up"])} |");
                smallRows.Add($"| download {smallCount} objects | {Seconds(ours["down"])} | {(peerDown == null ? "—" : Seconds(peerDown.Value))} | {Ratio(peerDown, ours["down"])} |");

                Console.WriteLine("| large file | wall time | rate | idle working set | peak working set | peak above idle |");
                Console.WriteLine("|---|---:|---:|---:|---:|---:|");
                rows.ForEach(Console.WriteLine);
                Console.WriteLine();
                Console.WriteLine("| small objects | Write-/Save-S3Item (8 at once) | s3-credentials put-objects / get-objects | s3-credentials ÷ ours |");
                Console.WriteLine("|---|---:|---:|---:|");
                smallRows.ForEach(Console.WriteLine);
                return 0;
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }

        private static async Task Upload(Core.Credentials.AwsSession session, IReadOnlyList<UploadSource> sources)
        {
            var failures = new List<Exception>();
            await UploadOperation.RunAsync(session, new UploadRequest { BucketName = "bench-objects", Sources = sources }, r => { if (r.Error != null) lock (failures) failures.Add(r.Error); }, null, CancellationToken.None);
            if (failures.Count > 0) throw failures[0];
        }

        private static async Task Download(Core.Credentials.AwsSession session, S3ItemSelection selection, string destination)
        {
            var failures = new List<Exception>();
            await DownloadOperation.RunAsync(session, new[] { selection }, destination, DownloadOperation.DefaultThrottleLimit, r => { if (r.Error != null) lock (failures) failures.Add(r.Error); }, null, CancellationToken.None);
            if (failures.Count > 0) throw failures[0];
        }

        /// <summary>The process's working set once the garbage collector has run.</summary>
        private static long Idle()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var process = Process.GetCurrentProcess();
            return process.WorkingSet64;
        }

        /// <summary>Wall time of the work and the peak working set while it ran (sampled every 10 ms).</summary>
        private static async Task<(TimeSpan Time, long Peak)> Measure(Func<Task> work)
        {
            long peak = 0;
            using var done = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                using var process = Process.GetCurrentProcess();
                while (!done.IsCancellationRequested)
                {
                    process.Refresh();
                    peak = Math.Max(peak, process.WorkingSet64);
                    try { await Task.Delay(10, done.Token); } catch (OperationCanceledException) { }
                }
            });
            var watch = Stopwatch.StartNew();
            await work();
            watch.Stop();
            done.Cancel();
            await sampler;
            return (watch.Elapsed, peak);
        }

        private static void WriteRandomFile(string path, long size)
        {
            var buffer = new byte[1 << 20];
            new Random(1).NextBytes(buffer);
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
            for (long written = 0; written < size; written += buffer.Length)
                file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }

        /// <summary>Runs s3-credentials (the command line given by --peer, such as 'python3 -m s3_credentials.cli') against the same moto.</summary>
        private static TimeSpan RunPeer(BenchContext context, string peer, string arguments)
        {
            var parts = peer.Split(' ', 2);
            var start = new ProcessStartInfo(parts[0], (parts.Length > 1 ? parts[1] + " " : "") + arguments + $" --endpoint-url {context.Moto.Endpoint}")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            start.Environment["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE";
            start.Environment["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
            start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start);
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            watch.Stop();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"s3-credentials {arguments} failed ({process.ExitCode}): {errors.Result}");
            return watch.Elapsed;
        }

        private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.00", Invariant) + " s";
        private static string Mb(double bytes) => (bytes / 1048576).ToString("0", Invariant) + " MiB";
    }
}
