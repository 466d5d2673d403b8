using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.CredentialManagement;
using S3Credentials.Core;
using S3Credentials.Core.Profiles;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Profiles
{
    /// <summary>
    /// Export-S3Credential's file writing: other profiles survive byte for byte, -Force rules, the AWS SDK reads the
    /// result, the file is mode 0600, and concurrent writers (threads and processes) never lose a profile.
    /// </summary>
    [Collection(S3Credentials.Tests.Infrastructure.MotoCollection.Name)] // changes the process environment (EnvironmentScope)
    public sealed class SharedCredentialsFileWriterTests : IDisposable
    {
        private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        private readonly EnvironmentScope _environment = new EnvironmentScope();
        private readonly SharedCredentialsFileWriter _writer = new SharedCredentialsFileWriter();

        public void Dispose() => _environment.Dispose();

        private string FileIn(params string[] parts) => Path.Combine(new[] { _environment.Folder }.Concat(parts).ToArray());

        private static ProfileCredential Permanent(string key = "AKIAIOSFODNN7EXAMPLE", string region = null) => new ProfileCredential(key, Secret, region: region);

        private static ProfileCredential Temporary(string key = "ASIAIOSFODNN7EXAMPLE")
            => new ProfileCredential(key, Secret, "IQoJb3JpZ2luX2VjEXAMPLE+token/with=padding==", "eu-west-2", new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc));

        private static CredentialProfile SdkProfile(string path, string name)
        {
            Assert.True(new SharedCredentialsFile(path).TryGetProfile(name, out var profile), $"The AWS SDK does not find the profile {name} in {path}.");
            return profile;
        }

        [Fact]
        public void Without_a_path_it_writes_AWS_SHARED_CREDENTIALS_FILE_and_creates_its_folder()
        {
            var path = FileIn("new", "folder", "credentials");
            _environment.Set("AWS_SHARED_CREDENTIALS_FILE", path);

            var result = _writer.Write(null, "handoff", Temporary(), force: false);

            Assert.Equal(path, result.Path);
            Assert.Equal(("handoff", "Added", "Temporary", "ASIAIOSFODNN7EXAMPLE", "eu-west-2"), (result.ProfileName, result.Action, result.Kind, result.AccessKeyId, result.Region));
            Assert.Equal(new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc), result.Expiration);
            Assert.Equal(CredentialText.Ini(Temporary(), "handoff") + "\n", File.ReadAllText(path));
            var profile = SdkProfile(path, "handoff");
            Assert.Equal("ASIAIOSFODNN7EXAMPLE", profile.Options.AccessKey);
            Assert.Equal(Secret, profile.Options.SecretKey);
            Assert.Equal("IQoJb3JpZ2luX2VjEXAMPLE+token/with=padding==", profile.Options.Token);
            Assert.Equal("eu-west-2", profile.Region.SystemName);
        }

        [Fact]
        public void The_default_path_is_the_one_the_module_reads_profiles_from()
        {
            Assert.Equal(_environment.CredentialsFile, SharedCredentialsFileWriter.ResolvePath(null));
            _environment.Set("AWS_SHARED_CREDENTIALS_FILE", null);
            Assert.Equal(SharedCredentialsFile.DefaultFilePath, SharedCredentialsFileWriter.ResolvePath(null));
        }

        [Fact]
        public void Every_other_byte_of_a_hand_written_file_survives_replacing_and_adding_profiles()
        {
            const string before = "# my credentials\r\n; written by hand\r\n\r\n[default]\r\naws_access_key_id=AKIADEFAULT000000001\r\n  aws_secret_access_key   =   default-secret  \r\n\r\n\r\n";
            const string target = "[target]\r\n# old\r\naws_access_key_id = AKIAOLD0000000000001\r\naws_secret_access_key=old-secret\r\n";
            const string after = "\r\n; about other\r\n[other]   \r\n\taws_access_key_id  =  AKIAOTHER00000000001\r\naws_secret_access_key = other-secret\r\n# end";
            var path = FileIn("credentials");
            var original = Encoding.UTF8.GetBytes(before + target + after);
            File.WriteAllBytes(path, original);

            var replaced = _writer.Write(path, "target", Permanent("AKIANEW0000000000001"), force: true);
            Assert.Equal("Replaced", replaced.Action);
            var bytes = File.ReadAllBytes(path);
            var newSection = Encoding.UTF8.GetBytes("[target]\r\naws_access_key_id = AKIANEW0000000000001\r\naws_secret_access_key = " + Secret + "\r\n");
            Assert.Equal(Encoding.UTF8.GetBytes(before), bytes.Take(before.Length).ToArray());
            Assert.Equal(newSection, bytes.Skip(before.Length).Take(newSection.Length).ToArray());
            Assert.Equal(Encoding.UTF8.GetBytes(after), bytes.Skip(before.Length + newSection.Length).ToArray());

            var added = _writer.Write(path, "added", Permanent("AKIAADDED00000000001"), force: false);
            Assert.Equal("Added", added.Action);
            var withAdded = File.ReadAllBytes(path);
            Assert.Equal(bytes, withAdded.Take(bytes.Length).ToArray());
            Assert.Equal("\r\n\r\n[added]\r\n", Encoding.UTF8.GetString(withAdded, bytes.Length, 13));

            Assert.Equal("AKIADEFAULT000000001", SdkProfile(path, "default").Options.AccessKey);
            Assert.Equal("AKIAOTHER00000000001", SdkProfile(path, "other").Options.AccessKey);
            Assert.Equal("AKIANEW0000000000001", SdkProfile(path, "target").Options.AccessKey);
            Assert.Equal("AKIAADDED00000000001", SdkProfile(path, "added").Options.AccessKey);
        }

        [Fact]
        public void An_existing_profile_is_replaced_only_with_Force_and_the_error_names_the_profile_and_Force()
        {
            var path = FileIn("credentials");
            _writer.Write(path, "taken", Permanent("AKIAFIRST00000000001"), force: false);
            var before = File.ReadAllBytes(path);

            var error = Assert.Throws<S3CredentialsException>(() => _writer.Write(path, "taken", Temporary(), force: false));
            Assert.Equal("ProfileExists", error.ErrorId);
            Assert.Equal(FailureKind.ResourceExists, error.Kind);
            Assert.Equal("ProfileName", error.ParameterName);
            Assert.Contains("'taken'", error.Message);
            Assert.Contains("-Force", error.Message);
            Assert.Contains(path, error.Message);
            Assert.DoesNotContain(Secret, error.Message);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal(new[] { "credentials", "credentials.lock" }.Where(n => n != "credentials.lock" || !OperatingSystem.IsWindows()), Directory.GetFiles(FileIn()).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));

            var replaced = _writer.Write(path, "taken", Temporary(), force: true);
            Assert.Equal("Replaced", replaced.Action);
            Assert.Equal("ASIAIOSFODNN7EXAMPLE", SdkProfile(path, "taken").Options.AccessKey);
            Assert.Equal(new[] { "taken" }, IniSectionEditor.SectionNames(File.ReadAllText(path)));

            // -Force on a profile that is not there simply adds it.
            Assert.Equal("Added", _writer.Write(path, "fresh", Permanent(), force: true).Action);
        }

        [Fact]
        public void The_file_is_mode_0600_even_when_it_was_readable_by_others_before()
        {
            if (OperatingSystem.IsWindows()) return;
            var path = FileIn("credentials");
            File.WriteAllText(path, "[old]\naws_access_key_id = AKIAOLD0000000000001\naws_secret_access_key = x\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            _writer.Write(path, "new", Permanent(), force: false);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path + ".lock"));
        }

        [Fact]
        public void Both_ways_of_setting_the_mode_work_here()
        {
            if (OperatingSystem.IsWindows()) return;
            var first = _environment.WriteFile("first", "x");
            var second = _environment.WriteFile("second", "x");
            File.SetUnixFileMode(first, (UnixFileMode)0x1ff);
            File.SetUnixFileMode(second, (UnixFileMode)0x1ff);

            Assert.True(OwnerOnlyFileMode.TrySetWithFileApi(first, OwnerOnlyFileMode.OwnerReadWrite));
            OwnerOnlyFileMode.SetWithChmod(second, OwnerOnlyFileMode.OwnerReadWrite);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(second));
            var missing = Assert.Throws<IOException>(() => OwnerOnlyFileMode.SetWithChmod(FileIn("missing"), OwnerOnlyFileMode.OwnerReadWrite));
            Assert.Contains("errno 2", missing.Message);
        }

        [Fact]
        public async Task Two_writers_on_two_threads_writing_100_profiles_each_lose_none()
        {
            var path = FileIn("credentials");
            File.WriteAllText(path, "# shared by two writers\n[default]\naws_access_key_id = AKIADEFAULT000000001\naws_secret_access_key = keep-me\n");
            using var start = new Barrier(2);
            var tags = new[] { "left", "right" };
            var writers = tags.Select(tag => Task.Factory.StartNew(() =>
            {
                var writer = new SharedCredentialsFileWriter(TimeSpan.FromSeconds(60));
                start.SignalAndWait();
                for (var i = 0; i < 100; i++)
                    writer.Write(path, ProfileName(tag, i), Credential(tag, i), force: false);
            }, TaskCreationOptions.LongRunning)).ToArray();
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromMinutes(2));

            AssertAllProfilesIntact(path, tags, 100);
            Assert.StartsWith("# shared by two writers\n[default]\naws_access_key_id = AKIADEFAULT000000001\naws_secret_access_key = keep-me\n\n[", File.ReadAllText(path));
        }

        [Fact]
        public void Two_writer_processes_writing_100_profiles_each_lose_none()
        {
            var path = FileIn("credentials");
            var go = FileIn("go");
            var tags = new[] { "alpha", "beta" };
            var processes = tags.Select(tag => StartWriterProcess(path, tag, 100, go)).ToList();
            try
            {
                File.WriteAllText(go, "");
                foreach (var process in processes)
                {
                    Assert.True(process.WaitForExit(120_000), "a writer process did not finish within two minutes");
                    process.WaitForExit();
                    Assert.True(process.ExitCode == 0, $"a writer process failed ({process.ExitCode}): {process.StandardError.ReadToEnd()}");
                }
            }
            finally
            {
                foreach (var process in processes.Where(p => !p.HasExited)) process.Kill(entireProcessTree: true);
            }
            AssertAllProfilesIntact(path, tags, 100);
        }

        [Fact]
        public void A_writer_gives_up_after_its_timeout_while_another_holds_the_lock_and_changes_nothing()
        {
            var path = FileIn("credentials");
            File.WriteAllText(path, "[kept]\naws_access_key_id = AKIAKEPT000000000001\naws_secret_access_key = x\n");
            var before = File.ReadAllBytes(path);
            using (CredentialsFileLock.Acquire(path + ".lock", TimeSpan.FromSeconds(1), CancellationToken.None))
            {
                var watch = Stopwatch.StartNew();
                var error = Assert.Throws<S3CredentialsException>(() => new SharedCredentialsFileWriter(TimeSpan.FromMilliseconds(300)).Write(path, "new", Permanent(), force: false));
                watch.Stop();
                Assert.Equal("CredentialsFileLocked", error.ErrorId);
                Assert.Equal(FailureKind.ResourceBusy, error.Kind);
                Assert.Contains(path + ".lock", error.Message);
                Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));

                using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
                Assert.ThrowsAny<OperationCanceledException>(() => _writer.Write(path, "new", Permanent(), force: false, cancel.Token));
            }
            Assert.Equal(before, File.ReadAllBytes(path));
            // Released: the next writer goes straight in.
            Assert.Equal("Added", new SharedCredentialsFileWriter(TimeSpan.FromMilliseconds(300)).Write(path, "new", Permanent(), force: false).Action);
        }

        [Fact]
        public void A_lock_file_that_cannot_be_opened_is_an_error_at_once_not_a_wait()
        {
            var path = FileIn("credentials");
            Directory.CreateDirectory(path + ".lock");
            var watch = Stopwatch.StartNew();
            var error = Assert.Throws<S3CredentialsException>(() => _writer.Write(path, "p", Permanent(), force: false));
            Assert.Equal("CredentialsFileLockFailed", error.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, error.Kind);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"it waited {watch.Elapsed}");
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void A_symbolic_link_stays_a_link_and_its_target_gets_the_profile()
        {
            if (OperatingSystem.IsWindows()) return;
            var real = FileIn("dotfiles", "aws-credentials");
            Directory.CreateDirectory(Path.GetDirectoryName(real));
            File.WriteAllText(real, "[default]\naws_access_key_id = AKIADEFAULT000000001\naws_secret_access_key = x\n");
            var link = FileIn("credentials");
            File.CreateSymbolicLink(link, real);

            var result = _writer.Write(link, "linked", Permanent(), force: false);

            Assert.Equal(real, result.Path);
            Assert.Equal(real, new FileInfo(link).LinkTarget);
            Assert.Equal("AKIAIOSFODNN7EXAMPLE", SdkProfile(link, "linked").Options.AccessKey);
            Assert.Equal("AKIADEFAULT000000001", SdkProfile(link, "default").Options.AccessKey);
        }

        [Fact]
        public void A_file_that_is_not_UTF8_is_refused_and_left_alone()
        {
            var path = FileIn("credentials");
            var latin1 = new byte[] { (byte)'#', (byte)' ', 0xE9, (byte)'\n', (byte)'[', (byte)'a', (byte)']', (byte)'\n' };
            File.WriteAllBytes(path, latin1);
            var error = Assert.Throws<S3CredentialsException>(() => _writer.Write(path, "new", Permanent(), force: false));
            Assert.Equal("CredentialsFileNotUtf8", error.ErrorId);
            Assert.Equal(latin1, File.ReadAllBytes(path));
        }

        [Fact]
        public void A_byte_order_mark_survives()
        {
            var path = FileIn("credentials");
            File.WriteAllBytes(path, Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("[a]\naws_access_key_id = AKIAAAAA000000000001\naws_secret_access_key = x\n")).ToArray());
            _writer.Write(path, "b", Permanent(), force: false);
            Assert.Equal(Encoding.UTF8.GetPreamble(), File.ReadAllBytes(path).Take(3).ToArray());
            Assert.Equal("AKIAAAAA000000000001", SdkProfile(path, "a").Options.AccessKey);
        }

        [Fact]
        public void Bad_input_is_refused_before_the_file_is_touched()
        {
            var path = FileIn("sub", "credentials");
            Assert.Equal("ProfileNameInvalid", Assert.Throws<S3CredentialsException>(() => _writer.Write(path, "two words", Permanent(), false)).ErrorId);
            Assert.Equal("SecretAccessKeyInvalid", Assert.Throws<S3CredentialsException>(() => _writer.Write(path, "p", new ProfileCredential("AKIAIOSFODNN7EXAMPLE", "a\nb"), false)).ErrorId);
            Assert.False(Directory.Exists(FileIn("sub")));

            var folder = Assert.Throws<S3CredentialsException>(() => _writer.Write(FileIn(), "p", Permanent(), false));
            Assert.Equal("PathIsFolder", folder.ErrorId);
            Assert.Equal("Path", folder.ParameterName);
            Assert.Equal("PathEmpty", Assert.Throws<S3CredentialsException>(() => _writer.Write(" ", "p", Permanent(), false)).ErrorId);
        }

        [Fact]
        public void No_temporary_file_is_left_behind()
        {
            var path = FileIn("credentials");
            _writer.Write(path, "a", Permanent(), false);
            _writer.Write(path, "a", Permanent(), true);
            Assert.Throws<S3CredentialsException>(() => _writer.Write(path, "a", Permanent(), false));
            Assert.Empty(Directory.GetFiles(FileIn(), "*.tmp", SearchOption.AllDirectories));
        }

        // The same names and keys as tests/S3Credentials.ProfileWriter/Program.cs, the helper of the two-process test.
        private static string ProfileName(string tag, int i) => $"{tag}-{i:D3}";

        private static ProfileCredential Credential(string tag, int i)
            => new ProfileCredential($"AKIA{tag.ToUpperInvariant()}{i:D12}", $"secret/{tag}+{i}", null, "eu-west-1");

        private static void AssertAllProfilesIntact(string path, IEnumerable<string> tags, int count)
        {
            var file = new SharedCredentialsFile(path);
            foreach (var tag in tags)
            {
                for (var i = 0; i < count; i++)
                {
                    var name = ProfileName(tag, i);
                    Assert.True(file.TryGetProfile(name, out var profile), $"The profile {name} was lost.");
                    var expected = Credential(tag, i);
                    Assert.Equal((expected.AccessKeyId, expected.SecretAccessKey, "eu-west-1"), (profile.Options.AccessKey, profile.Options.SecretKey, profile.Region.SystemName));
                }
            }
            var names = IniSectionEditor.SectionNames(File.ReadAllText(path));
            Assert.Equal(names.Count, names.Distinct().Count());
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path), "*.tmp"));
        }

        private static Process StartWriterProcess(string path, string tag, int count, string go)
        {
            var helper = typeof(SharedCredentialsFileWriterTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProfileWriter").Value;
            Assert.True(File.Exists(helper), $"The helper {helper} was not built.");
            return Process.Start(DotnetProcess.StartInfo(helper, new[] { path, tag, count.ToString(), go }));
        }
    }
}
