using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Profiles;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Profiles
{
    /// <summary>
    /// Register-S3CredentialProfile, Unregister-S3CredentialProfile and Export-S3Credential on the one step runner: their
    /// change is one step (the profile file's write); -WhatIf walks it without writing; a stop as the write completes, or
    /// a failure after it, puts the file's previous bytes back, and a file someone else changed meanwhile is named.
    /// </summary>
    [Collection(MotoCollection.Name)] // changes the process environment (EnvironmentScope)
    public sealed class ProfileFileStepTests : IDisposable
    {
        private const string Original = "# mine\r\n[profile other]\nregion = us-west-2\n";
        private readonly EnvironmentScope _env = new EnvironmentScope();
        private readonly RecordingOperationHost _host = new RecordingOperationHost();
        private readonly string _path;
        private readonly string _pwsh;

        public ProfileFileStepTests()
        {
            _path = Path.Combine(_env.Folder, "config");
            File.WriteAllText(_path, Original);
            _pwsh = Path.Combine(_env.Folder, "pwsh");
            File.WriteAllText(_pwsh, "#!/bin/sh\n");
        }

        public void Dispose() => _env.Dispose();

        private CredentialProcessProfileRequest Request(string name = "minted") => new CredentialProcessProfileRequest
        {
            ProfileName = name,
            BucketNames = new[] { "reports" },
            Duration = TimeSpan.FromHours(1),
            PowerShellPath = _pwsh,
            ModulePath = Path.Combine(_env.Folder, "S3Credentials.psd1"),
        };

        private static ProfileCredential Credential() => new ProfileCredential("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

        private byte[] Bytes() => File.ReadAllBytes(_path);

        [Fact]
        public async Task Register_under_WhatIf_asks_the_same_question_as_a_real_run_and_leaves_the_file_as_it_was()
        {
            _host.IsWhatIf = true;
            var before = Bytes();
            Assert.Null(await CredentialProcessProfile.RegisterAsync(Request(), _path, false, _host, CancellationToken.None));
            Assert.Equal(before, Bytes());
            var asked = _host.Confirmations.Single();

            _host.IsWhatIf = false;
            _host.Confirmations.Clear();
            Assert.Equal("Added", (await CredentialProcessProfile.RegisterAsync(Request(), _path, false, _host, CancellationToken.None)).Action);
            Assert.Equal(asked, _host.Confirmations.Single());
            Assert.Equal(_path, asked.Target);
            Assert.StartsWith("Write profile 'minted' with credential_process \"" + _pwsh + "\"", asked.Action);
        }

        [Fact]
        public async Task Unregister_under_WhatIf_asks_the_same_question_as_a_real_run_and_removes_nothing()
        {
            CredentialProcessProfile.Register(Request(), _path, false);
            var before = Bytes();
            _host.IsWhatIf = true;
            Assert.Null(await CredentialProcessProfile.UnregisterAsync("minted", _path, false, _host, CancellationToken.None));
            Assert.Equal(before, Bytes());
            Assert.Equal((_path, "Remove profile 'minted'"), _host.Confirmations.Single());

            _host.IsWhatIf = false;
            Assert.Equal("Removed", (await CredentialProcessProfile.UnregisterAsync("minted", _path, false, _host, CancellationToken.None)).Action);
            Assert.DoesNotContain("minted", File.ReadAllText(_path));
            Assert.StartsWith(Original, File.ReadAllText(_path));
            Assert.Equal(_host.Confirmations[0], _host.Confirmations[1]);
        }

        [Fact]
        public async Task Unregister_refuses_a_profile_it_did_not_write_before_asking()
        {
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CredentialProcessProfile.UnregisterAsync("other", _path, false, _host, CancellationToken.None));
            Assert.Equal("ProfileNotRegistered", error.ErrorId);
            Assert.Empty(_host.Confirmations);
            Assert.Equal(Encoding.UTF8.GetBytes(Original), Bytes());
        }

        [Fact]
        public async Task Export_under_WhatIf_asks_the_same_question_as_a_real_run_and_writes_nothing()
        {
            var writer = new SharedCredentialsFileWriter();
            _host.IsWhatIf = true;
            Assert.Null(await writer.WriteAsync(_path, "exported", Credential(), false, _host, CancellationToken.None));
            Assert.Equal(Encoding.UTF8.GetBytes(Original), Bytes());
            var asked = _host.Confirmations.Single();
            Assert.Equal(($"profile 'exported' in {_path}", "Write the permanent credentials of access key AKIAIOSFODNN7EXAMPLE"), asked);

            _host.IsWhatIf = false;
            Assert.Equal("Added", (await writer.WriteAsync(_path, "exported", Credential(), false, _host, CancellationToken.None)).Action);
            Assert.Equal(asked, _host.Confirmations[1]);
        }

        [Fact]
        public async Task A_declined_write_changes_nothing_and_returns_nothing()
        {
            _host.Answer = (target, action) => false;
            Assert.Null(await new SharedCredentialsFileWriter().WriteAsync(_path, "exported", Credential(), false, _host, CancellationToken.None));
            Assert.Equal(Encoding.UTF8.GetBytes(Original), Bytes());
        }

        [Fact]
        public async Task A_stop_as_the_write_completes_puts_back_the_previous_bytes_and_stops()
        {
            var writer = new SharedCredentialsFileWriter();
            using (var stop = new CancellationTokenSource())
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProfileFileStep.RunAsync(_host, _path, "Write profile 'x'", ct =>
                {
                    writer.WriteSection(_path, "profile x", new[] { "[profile x]", "region = eu-west-1" }, false, CancellationToken.None, out var edit);
                    Assert.NotEqual(Encoding.UTF8.GetBytes(Original), Bytes()); // written
                    stop.Cancel(); // Ctrl+C while the write was in flight
                    return edit;
                }, () => "done", stop.Token));
            }
            Assert.Equal(Encoding.UTF8.GetBytes(Original), Bytes());
            Assert.Empty(_host.Warnings);
        }

        [Fact]
        public async Task A_file_the_write_created_is_removed_again_by_its_undo()
        {
            var created = Path.Combine(_env.Folder, "new", "credentials");
            var writer = new SharedCredentialsFileWriter();
            using (var stop = new CancellationTokenSource())
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProfileFileStep.RunAsync(_host, created, "Write profile 'x'", ct =>
                {
                    writer.WriteSection(created, "x", new[] { "[x]", "region = eu-west-1" }, false, CancellationToken.None, out var edit);
                    stop.Cancel();
                    return edit;
                }, () => "done", stop.Token));
            }
            Assert.False(File.Exists(created));
        }

        [Fact]
        public async Task A_file_changed_by_someone_else_after_the_write_is_not_put_back_and_is_named_in_a_warning_and_the_error()
        {
            var writer = new SharedCredentialsFileWriter();
            using (var stop = new CancellationTokenSource())
            {
                var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProfileFileStep.RunAsync(_host, _path, "Write profile 'x'", ct =>
                {
                    writer.WriteSection(_path, "profile x", new[] { "[profile x]" }, false, CancellationToken.None, out var edit);
                    File.AppendAllText(_path, "[profile theirs]\n"); // another writer, after ours
                    stop.Cancel();
                    return edit;
                }, () => "done", stop.Token));
                Assert.Contains("Could not undo: the change to " + _path, error.Message);
            }
            Assert.Contains(_host.Warnings, w => w.Contains(_path) && w.Contains("changed by someone else"));
            Assert.EndsWith("[profile theirs]\n", File.ReadAllText(_path));
        }

        [Fact]
        public async Task A_refused_write_reports_its_error_id_and_leaves_the_file()
        {
            CredentialProcessProfile.Register(Request(), _path, false);
            var before = Bytes();
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CredentialProcessProfile.RegisterAsync(Request(), _path, false, _host, CancellationToken.None));
            Assert.Equal("ProfileExists", error.ErrorId);
            Assert.Equal(before, Bytes());
        }
    }
}
