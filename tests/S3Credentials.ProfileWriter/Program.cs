using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using S3Credentials.Core;
using S3Credentials.Core.Profiles;

namespace S3Credentials.ProfileWriter
{
    /// <summary>
    /// Usage: S3Credentials.ProfileWriter CREDENTIALS_FILE TAG COUNT GO_FILE
    /// Waits (at most 60 s) until GO_FILE exists, then writes the profiles TAG-000 ... with one writer, as fast as it can.
    /// The test that starts two of these (SharedCredentialsFileWriterTests) checks that no profile of either is lost;
    /// it builds the same names and keys as <see cref="ProfileName"/> and <see cref="Credential"/>.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 4)
            {
                Console.Error.WriteLine("usage: S3Credentials.ProfileWriter CREDENTIALS_FILE TAG COUNT GO_FILE");
                return 2;
            }
            var (path, tag, count, go) = (args[0], args[1], int.Parse(args[2]), args[3]);
            var waiting = Stopwatch.StartNew();
            while (!File.Exists(go))
            {
                if (waiting.Elapsed > TimeSpan.FromSeconds(60)) { Console.Error.WriteLine("no go file"); return 3; }
                Thread.Sleep(1);
            }
            var writer = new SharedCredentialsFileWriter(TimeSpan.FromSeconds(60));
            try
            {
                for (var i = 0; i < count; i++)
                    writer.Write(path, ProfileName(tag, i), Credential(tag, i), force: false);
            }
            catch (S3CredentialsException e)
            {
                Console.Error.WriteLine(e.ErrorId + ": " + e.Message);
                return 1;
            }
            return 0;
        }

        public static string ProfileName(string tag, int i) => $"{tag}-{i:D3}";

        public static ProfileCredential Credential(string tag, int i)
            => new ProfileCredential($"AKIA{tag.ToUpperInvariant()}{i:D12}", $"secret/{tag}+{i}", null, "eu-west-1");
    }
}
