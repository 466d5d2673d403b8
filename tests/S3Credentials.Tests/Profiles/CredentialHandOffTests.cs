using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Profiles;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.Profiles
{
    /// <summary>
    /// Credentials made by New-S3Credential, handed on by Export-S3Credential and ConvertTo-S3CredentialText, and used
    /// by the module, the AWS SDK for .NET and the AWS CLI against moto in auth mode (so a key or secret that came out
    /// wrong would be refused).
    /// </summary>
    public sealed class CredentialHandOffTests : NewCredentialTestBase
    {
        private const string UserArn = "arn:aws:iam::123456789012:user/s3credentials/s3.read-write.handoff";
        private const string RoleSessionArn = "arn:aws:sts::123456789012:assumed-role/S3Credentials-TemporaryAccess/s3.read-write.handoff";

        public CredentialHandOffTests(MotoServer moto) : base(moto) { }

        private async Task<(ProfileCredential Permanent, ProfileCredential Temporary)> MakeCredentialsAsync()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("handoff");
            var permanent = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "handoff" } }, admin);
            var temporary = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "handoff" }, Duration = TimeSpan.FromMinutes(15) }, admin);
            Assert.Equal(("Permanent", "Temporary"), (permanent.Kind, temporary.Kind));
            Moto.SetAuthEnforced(true);
            return (From(permanent), From(temporary));
        }

        /// <summary>What PowerShell binds by property name from New-S3Credential's output.</summary>
        private static ProfileCredential From(S3Credential credential)
            => new ProfileCredential(credential.AccessKeyId, credential.SecretAccessKey, credential.SessionToken, credential.Region, credential.Expiration);

        private async Task<string> ModuleIdentityAsync(SessionOptions options)
        {
            options.StsEndpointUrl = Moto.Endpoint;
            options.HttpClientFactory = Recorder;
            return (await CallerIdentityOperation.GetAsync(SessionResolver.Resolve(options), CancellationToken.None)).Arn;
        }

        private string CliIdentity(IReadOnlyDictionary<string, string> environment, params string[] arguments)
        {
            var all = new List<string> { "sts", "get-caller-identity", "--endpoint-url", Moto.Endpoint, "--region", "us-east-1", "--output", "json" };
            all.AddRange(arguments);
            var (exitCode, output, error) = AwsCli.Run(environment, all.ToArray());
            Assert.True(exitCode == 0, $"aws {string.Join(" ", all)} failed ({exitCode}): {error}");
            return JsonDocument.Parse(output).RootElement.GetProperty("Arn").GetString();
        }

        [AwsCliFact]
        public async Task Exported_profiles_work_in_the_module_the_SDK_and_the_AWS_CLI()
        {
            var (permanent, temporary) = await MakeCredentialsAsync();
            Environment.WriteCredentials("# hand-written\n[default]\naws_access_key_id = AKIADEFAULT000000001\naws_secret_access_key = x\n");
            var writer = new SharedCredentialsFileWriter();
            writer.Write(null, "handoff-permanent", permanent, force: false);
            writer.Write(null, "handoff-temporary", temporary, force: false);

            Assert.Equal(UserArn, await ModuleIdentityAsync(new SessionOptions { ProfileName = "handoff-permanent" }));
            Assert.Equal(RoleSessionArn, await ModuleIdentityAsync(new SessionOptions { ProfileName = "handoff-temporary" }));

            Assert.True(new SharedCredentialsFile(Environment.CredentialsFile).TryGetProfile("handoff-temporary", out var profile));
            Assert.Equal((temporary.AccessKeyId, temporary.SecretAccessKey, temporary.SessionToken, "us-east-1"),
                (profile.Options.AccessKey, profile.Options.SecretKey, profile.Options.Token, profile.Region.SystemName));

            var cli = new Dictionary<string, string> { ["AWS_SHARED_CREDENTIALS_FILE"] = Environment.CredentialsFile, ["AWS_CONFIG_FILE"] = Environment.ConfigFile };
            Assert.Equal(UserArn, CliIdentity(cli, "--profile", "handoff-permanent"));
            Assert.Equal(RoleSessionArn, CliIdentity(cli, "--profile", "handoff-temporary"));

            // moto checks signatures here: a secret that came out wrong would be refused.
            writer.Write(null, "handoff-wrong", new ProfileCredential(permanent.AccessKeyId, "x" + permanent.SecretAccessKey.Substring(1)), force: false);
            var refused = AwsCli.Run(cli, "sts", "get-caller-identity", "--endpoint-url", Moto.Endpoint, "--region", "us-east-1", "--profile", "handoff-wrong");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("SignatureDoesNotMatch", refused.Error);
        }

        [Fact]
        public async Task Json_text_is_a_working_AuthFile()
        {
            var (permanent, temporary) = await MakeCredentialsAsync();
            var permanentFile = Environment.WriteFile("permanent.json", CredentialText.Format(permanent, CredentialTextFormat.Json));
            var temporaryFile = Environment.WriteFile("temporary.json", CredentialText.Format(temporary, CredentialTextFormat.Json));

            Assert.Equal(UserArn, await ModuleIdentityAsync(new SessionOptions { AuthFile = permanentFile }));
            Assert.Equal(RoleSessionArn, await ModuleIdentityAsync(new SessionOptions { AuthFile = temporaryFile }));
        }

        [Fact]
        public async Task Ini_text_is_a_working_AuthFile_and_profile_file()
        {
            var (_, temporary) = await MakeCredentialsAsync();
            var file = Environment.WriteFile("credentials.ini", CredentialText.Format(temporary, CredentialTextFormat.Ini, "shared") + "\n");

            Assert.Equal(RoleSessionArn, await ModuleIdentityAsync(new SessionOptions { AuthFile = file }));
            Assert.Equal(RoleSessionArn, await ModuleIdentityAsync(new SessionOptions { ProfileName = "shared", ProfileLocation = file }));
        }

        [Fact]
        public async Task CredentialProcess_output_is_accepted_by_the_AWS_SDK_for_dotnet()
        {
            var (permanent, temporary) = await MakeCredentialsAsync();
            WriteCredentialProcessConfig(("process-permanent", permanent), ("process-temporary", temporary));

            var chain = new CredentialProfileStoreChain();
            foreach (var (name, expected) in new[] { ("process-permanent", permanent), ("process-temporary", temporary) })
            {
                Assert.True(chain.TryGetAWSCredentials(name, out var credentials), $"The SDK does not resolve the profile {name}.");
                Assert.IsType<ProcessAWSCredentials>(credentials);
                var resolved = credentials.GetCredentials();
                Assert.Equal((expected.AccessKeyId, expected.SecretAccessKey, expected.SessionToken ?? ""), (resolved.AccessKey, resolved.SecretKey, resolved.Token ?? ""));
            }

            Assert.Equal(UserArn, await ModuleIdentityAsync(new SessionOptions { ProfileName = "process-permanent" }));
            Assert.Equal(RoleSessionArn, await ModuleIdentityAsync(new SessionOptions { ProfileName = "process-temporary" }));
        }

        [AwsCliFact]
        public async Task CredentialProcess_output_is_accepted_by_the_AWS_CLI()
        {
            var (permanent, temporary) = await MakeCredentialsAsync();
            WriteCredentialProcessConfig(("process-permanent", permanent), ("process-temporary", temporary));
            var cli = new Dictionary<string, string> { ["AWS_CONFIG_FILE"] = Environment.ConfigFile, ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(Environment.Folder, "no-credentials") };

            Assert.Equal(UserArn, CliIdentity(cli, "--profile", "process-permanent"));
            Assert.Equal(RoleSessionArn, CliIdentity(cli, "--profile", "process-temporary"));
        }

        [AwsCliFact]
        public async Task Shell_text_evaluated_by_sh_gives_the_AWS_CLI_the_credentials()
        {
            if (OperatingSystem.IsWindows()) return;
            var (permanent, temporary) = await MakeCredentialsAsync();
            foreach (var (credential, arn) in new[] { (temporary, RoleSessionArn), (permanent, UserArn) })
            {
                // A session token left over in the environment must not spoil permanent credentials.
                var script = "export AWS_SESSION_TOKEN=stale\n" + CredentialText.Format(credential, CredentialTextFormat.Shell) + "\n" +
                             "exec " + CredentialText.ShellQuote(AwsCli.Path) + " sts get-caller-identity --endpoint-url " + Moto.Endpoint + " --output json\n";
                var (exitCode, output, error) = RunSh(script);
                Assert.True(exitCode == 0, "sh failed: " + error);
                Assert.Equal(arn, JsonDocument.Parse(output).RootElement.GetProperty("Arn").GetString());
            }
        }

        /// <summary>A config profile per credential: credential_process = /bin/sh "script", the script printing ConvertTo-S3CredentialText -Format CredentialProcess.</summary>
        private void WriteCredentialProcessConfig(params (string Profile, ProfileCredential Credential)[] profiles)
        {
            var config = "";
            foreach (var (name, credential) in profiles)
            {
                var json = Environment.WriteFile(name + ".json", CredentialText.Format(credential, CredentialTextFormat.CredentialProcess));
                var script = Environment.WriteFile(name + ".sh", "#!/bin/sh\ncat \"" + json + "\"\n");
                config += $"[profile {name}]\ncredential_process = /bin/sh \"{script}\"\nregion = us-east-1\n\n";
            }
            Environment.WriteConfig(config);
        }

        private static (int ExitCode, string Output, string Error) RunSh(string script)
        {
            var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["PYENV_ROOT"] = Path.Combine(EnvironmentScope.OriginalHome, ".pyenv");
            using var process = Process.Start(start);
            process.StandardInput.Write(script);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60_000), "sh did not finish");
            process.WaitForExit();
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
