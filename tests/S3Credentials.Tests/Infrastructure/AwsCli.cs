using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// The AWS CLI the machine has: next to the Python that imports moto (awscli is installed with it), else on PATH.
    /// Runs it with the test's environment (AWS_* cleared by EnvironmentScope, HOME the run's own) plus what a test adds.
    /// </summary>
    public static class AwsCli
    {
        private static readonly Lazy<string> Found = new Lazy<string>(Find);

        /// <summary>The aws executable, or null when this machine has none.</summary>
        public static string Path => Found.Value;

        public static string NotInstalledMessage =>
            "The AWS CLI (aws) is not installed: it is neither next to the Python that imports moto nor on PATH. Install it with 'python3 -m pip install awscli'.";

        public static (int ExitCode, string Output, string Error) Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
        {
            var start = Start(Path ?? throw new InvalidOperationException(NotInstalledMessage), arguments);
            foreach (var pair in environment)
                start.Environment[pair.Key] = pair.Value;
            using var process = Process.Start(start);
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("aws " + string.Join(" ", arguments) + " did not finish within 60 s.");
            }
            process.WaitForExit();
            return (process.ExitCode, output.Result, error.Result);
        }

        private static ProcessStartInfo Start(string executable, IEnumerable<string> arguments)
        {
            var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            // A pyenv shim finds pyenv through PYENV_ROOT or HOME, and tests point HOME elsewhere.
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PYENV_ROOT")))
                start.Environment["PYENV_ROOT"] = System.IO.Path.Combine(EnvironmentScope.OriginalHome, ".pyenv");
            return start;
        }

        private static string Find()
        {
            foreach (var candidate in Candidates().Distinct())
            {
                try
                {
                    if (!File.Exists(candidate)) continue;
                    using var process = Process.Start(Start(candidate, new[] { "--version" }));
                    if (process.WaitForExit(30_000) && process.ExitCode == 0) return candidate;
                }
                catch (Exception)
                {
                    // not runnable: try the next one
                }
            }
            return null;
        }

        private static IEnumerable<string> Candidates()
        {
            string folder = null;
            try
            {
                // The finder prints the interpreter's real executable (a pyenv shim resolved): aws is installed beside it.
                folder = System.IO.Path.GetDirectoryName(MotoServer.FindPython());
            }
            catch (Exception)
            {
                // no moto Python: PATH only
            }
            if (folder != null) yield return System.IO.Path.Combine(folder, "aws");
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator).Where(d => d.Length > 0))
                yield return System.IO.Path.Combine(dir, "aws");
        }
    }

    /// <summary>A test that needs the AWS CLI; skipped, saying why, only where aws is not installed at all.</summary>
    public sealed class AwsCliFactAttribute : FactAttribute
    {
        public AwsCliFactAttribute()
        {
            if (AwsCli.Path == null) Skip = AwsCli.NotInstalledMessage;
        }
    }
}
