using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using S3Credentials.Core;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;
using S3Credentials.Core.Profiles;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Profiles
{
    /// <summary>
    /// Register-S3CredentialProfile's config profile. No pwsh here, so a stand-in "pwsh" (a shell script in a folder whose
    /// name has a space and a quote) records the arguments it was started with and answers with credential_process JSON:
    /// that proves the command line survives the AWS SDK's and the AWS CLI's own parsing.
    /// </summary>
    [Collection(MotoCollection.Name)]
    public sealed class CredentialProcessProfileTests : IDisposable
    {
        private const string ProcessKey = "AKIAPROCESSPROFILE01";
        private readonly EnvironmentScope _env = new EnvironmentScope();
        private readonly MotoServer _moto;
        private readonly string _argumentsFile;
        private readonly string _fakePwsh;
        private readonly string _modulePath;

        public CredentialProcessProfileTests(MotoServer moto)
        {
            _moto = moto;
            var folder = Path.Combine(_env.Folder, "power shell's home");
            Directory.CreateDirectory(folder);
            _argumentsFile = Path.Combine(_env.Folder, "arguments.txt");
            _fakePwsh = Path.Combine(folder, "pwsh");
            File.WriteAllText(_fakePwsh, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + _argumentsFile + "'\n" +
                "echo '{\"Version\": 1, \"AccessKeyId\": \"" + ProcessKey + "\", \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\", \"SessionToken\": \"token\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n");
            File.SetUnixFileMode(_fakePwsh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            _modulePath = Path.Combine(_env.Folder, "my module's dir", "S3Credentials.psd1");
        }

        public void Dispose() => _env.Dispose();

        private CredentialProcessProfileRequest Request(string name = "minted") => new CredentialProcessProfileRequest
        {
            ProfileName = name,
            BucketNames = new[] { "reports", "logs" },
            Access = AccessLevel.ReadOnly,
            Prefixes = new[] { "2026/" },
            Duration = TimeSpan.FromHours(1),
            SourceProfile = "admin",
            Region = "eu-west-1",
            PowerShellPath = _fakePwsh,
            ModulePath = _modulePath,
        };

        private string ExpectedCommand => "Import-Module '" + _modulePath.Replace("'", "''") + "'; New-S3Credential -BucketName 'reports','logs' -Access ReadOnly -Prefix '2026/' " +
                                          "-Duration 3600 -ProfileName 'admin' -Region 'eu-west-1' -ErrorAction Stop | ConvertTo-S3CredentialText -Format CredentialProcess";

        [Fact]
        public void The_command_line_quotes_paths_and_values()
            => Assert.Equal("\"" + _fakePwsh + "\" -NoProfile -NonInteractive -Command \"" + ExpectedCommand + "\"", CredentialProcessProfile.CommandLine(Request()));

        [Fact]
        public void A_role_arn_is_passed_on_to_New_S3Credential_quoted_and_the_line_is_still_recognised_as_registered()
        {
            var request = Request();
            request.RoleArn = "arn:aws:iam::123456789012:role/partners/partner-role";
            var line = CredentialProcessProfile.CommandLine(request);
            Assert.Contains("-Duration 3600 -RoleArn 'arn:aws:iam::123456789012:role/partners/partner-role' -ProfileName 'admin'", line);
            Assert.True(CredentialProcessProfile.IsRegistered(line));
        }

        [Fact]
        public void The_AWS_SDK_runs_the_profile_with_the_arguments_intact()
        {
            _env.WriteConfig("# mine\n[profile other]\nregion = us-west-2\n");
            var result = CredentialProcessProfile.Register(Request(), null, force: false);
            Assert.Equal(("minted", "Added", _env.ConfigFile), (result.ProfileName, result.Action, result.Path));
            Assert.StartsWith("# mine\n[profile other]\nregion = us-west-2\n\n[profile minted]\ncredential_process = \"", File.ReadAllText(_env.ConfigFile));

            var session = SessionResolver.Resolve(new SessionOptions { ProfileName = "minted" });
            Assert.Equal(ProcessKey, session.Credentials.GetCredentials().AccessKey);
            Assert.Equal("eu-west-1", session.Region);
            Assert.Equal(new[] { "-NoProfile", "-NonInteractive", "-Command", ExpectedCommand }, File.ReadAllLines(_argumentsFile));
        }

        [AwsCliFact]
        public void The_AWS_CLI_runs_the_profile_with_the_arguments_intact()
        {
            CredentialProcessProfile.Register(Request(), null, force: false);
            var (exitCode, output, error) = AwsCli.Run(new Dictionary<string, string> { ["AWS_CONFIG_FILE"] = _env.ConfigFile, ["AWS_SHARED_CREDENTIALS_FILE"] = _env.CredentialsFile },
                "sts", "get-caller-identity", "--profile", "minted", "--endpoint-url", _moto.Endpoint, "--output", "json");
            Assert.True(exitCode == 0, error);
            Assert.Equal("123456789012", JsonDocument.Parse(output).RootElement.GetProperty("Account").GetString());
            Assert.Equal(new[] { "-NoProfile", "-NonInteractive", "-Command", ExpectedCommand }, File.ReadAllLines(_argumentsFile));
        }

        [Fact]
        public void An_existing_profile_needs_Force_and_Unregister_removes_only_it()
        {
            const string before = "[default]\nregion = us-east-1\n\n; kept\n[profile keep]\nregion = eu-central-1\n";
            _env.WriteConfig(before);
            CredentialProcessProfile.Register(Request(), null, force: false);
            var error = Assert.Throws<S3CredentialsException>(() => CredentialProcessProfile.Register(Request(), null, force: false));
            Assert.Equal(("ProfileExists", "ProfileName"), (error.ErrorId, error.ParameterName));
            Assert.Equal("Replaced", CredentialProcessProfile.Register(Request(), null, force: true).Action);

            Assert.Equal("Removed", CredentialProcessProfile.Unregister("minted", null).Action);
            Assert.Equal(before + "\n", File.ReadAllText(_env.ConfigFile));
            Assert.Equal("ProfileNotFound", Assert.Throws<S3CredentialsException>(() => CredentialProcessProfile.Unregister("minted", null)).ErrorId);
        }

        private const string ForeignProfiles =
            "[default]\nregion = us-east-1\n\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\n\n" +
            "[profile corp]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n\n" +
            "[profile other-process]\ncredential_process = /usr/local/bin/vault-creds --role dev\n\n" +
            "[profile lookalike]\ncredential_process = \"/usr/bin/pwsh\" -NoProfile -NonInteractive -Command \"Get-Secret aws | ConvertTo-Json\"\n\n" +
            "[sso-session corp]\nsso_region = us-east-1\n";

        [Theory]
        [InlineData("default")]
        [InlineData("admin")]
        [InlineData("corp")]
        [InlineData("other-process")]
        [InlineData("lookalike")]
        public void Unregister_refuses_a_profile_Register_did_not_write_and_leaves_the_file_as_it_was(string name)
        {
            _env.WriteConfig(ForeignProfiles);
            var error = Assert.Throws<S3CredentialsException>(() => CredentialProcessProfile.Unregister(name, null));
            Assert.Equal(("ProfileNotRegistered", "ProfileName", FailureKind.InvalidOperation), (error.ErrorId, error.ParameterName, error.Kind));
            Assert.Contains("not written by Register-S3CredentialProfile", error.Message);
            Assert.Contains("-Force", error.Message);
            Assert.Equal("ProfileNotRegistered", Assert.Throws<S3CredentialsException>(() => CredentialProcessProfile.CheckRegistered(name, null)).ErrorId);
            Assert.Equal(ForeignProfiles, File.ReadAllText(_env.ConfigFile));
        }

        [Fact]
        public void With_force_Unregister_removes_a_profile_Register_did_not_write()
        {
            _env.WriteConfig(ForeignProfiles);
            Assert.Equal("Removed", CredentialProcessProfile.Unregister("admin", null, force: true).Action);
            Assert.DoesNotContain("[profile admin]", File.ReadAllText(_env.ConfigFile));
            Assert.Contains("[profile corp]", File.ReadAllText(_env.ConfigFile));
        }

        [Fact]
        public void Only_registered_profiles_are_offered_and_pass_the_check()
        {
            _env.WriteConfig(ForeignProfiles);
            CredentialProcessProfile.Register(Request("minted"), null, force: false);
            CredentialProcessProfile.Register(Request("default"), null, force: true);
            Assert.Equal(new[] { "default", "minted" }, CredentialProcessProfile.RegisteredProfileNames(null));
            CredentialProcessProfile.CheckRegistered("minted", null);
            CredentialProcessProfile.CheckRegistered("not-there", null); // Unregister reports ProfileNotFound itself
            Assert.Empty(CredentialProcessProfile.RegisteredProfileNames(Path.Combine(_env.Folder, "no-such-config")));
        }

        [Theory]
        // What Register writes today: pwsh itself, or the dotnet host with pwsh.dll.
        [InlineData("\"/usr/bin/pwsh\" -NoProfile -NonInteractive -Command \"Import-Module '/m/S3Credentials.psd1'; New-S3Credential -BucketName 'a' -Duration 900 -ErrorAction Stop | ConvertTo-S3CredentialText -Format CredentialProcess\"", true)]
        [InlineData("\"/usr/share/dotnet/dotnet\" \"/home/u/.nuget/packages/powershell/7.6.10/tools/net10.0/any/pwsh.dll\" -NoProfile -NonInteractive -Command \"Import-Module '/it''s/S3Credentials.psd1'; New-S3Credential -BucketName 'a','b' -Access ReadOnly -Prefix 'x/' -Duration 3600 -Method FederationToken -ProfileName 'admin' -Region 'eu-west-1' -ErrorAction Stop | ConvertTo-S3CredentialText -Format CredentialProcess\"", true)]
        [InlineData("\"C:\\Program Files\\PowerShell\\7\\pwsh.exe\" -NoProfile -NonInteractive -Command \"Import-Module 'C:\\Mods\\S3Credentials.psd1'; New-S3Credential -BucketName 'a' -Duration 900 -ErrorAction Stop | ConvertTo-S3CredentialText -Format CredentialProcess\"", true)]
        [InlineData("/usr/local/bin/vault-creds --role dev", false)]
        [InlineData("\"/usr/bin/pwsh\" -NoProfile -NonInteractive -Command \"Get-Secret aws | ConvertTo-Json\"", false)]
        [InlineData("\"/usr/bin/pwsh\" -NoProfile -NonInteractive -Command \"Import-Module '/m/S3Credentials.psd1'; New-S3Credential -BucketName 'a' -Duration 900\"", false)]
        [InlineData("", false)]
        [InlineData(null, false)]
        public void A_registered_profile_is_recognised_by_its_credential_process(string credentialProcess, bool registered)
            => Assert.Equal(registered, CredentialProcessProfile.IsRegistered(credentialProcess));

        [Fact]
        public void What_Register_writes_is_recognised_as_registered()
            => Assert.True(CredentialProcessProfile.IsRegistered(CredentialProcessProfile.CommandLine(Request())));

        [Theory]
        [InlineData("BucketName")]
        [InlineData("Duration")]
        [InlineData("ProfileName")]
        [InlineData("Region")]
        [InlineData("RoleArn")]
        public void Bad_input_is_refused_and_no_file_is_written(string parameter)
        {
            var request = Request();
            switch (parameter)
            {
                case "BucketName": request.BucketNames = new[] { "Bad_Bucket" }; break;
                case "Duration": request.Duration = TimeSpan.FromMinutes(5); break;
                case "ProfileName": request.ProfileName = "has]bracket"; break;
                case "Region": request.Region = "Ireland"; break;
                case "RoleArn": request.RoleArn = "arn:aws:iam::123456789012:user/not-a-role"; break;
            }
            var error = Assert.Throws<S3CredentialsException>(() => CredentialProcessProfile.Register(request, null, force: false));
            Assert.Equal(parameter, error.ParameterName);
            Assert.False(File.Exists(_env.ConfigFile));
        }

        [Fact]
        public void A_PowerShell_path_that_does_not_exist_is_refused_before_the_file_is_written()
        {
            var request = Request();
            request.PowerShellPath = Path.Combine(_env.Folder, "no such", "pwsh");
            var error = Assert.Throws<S3CredentialsException>(() => CredentialProcessProfile.Register(request, null, force: false));
            Assert.Equal(("PowerShellPathNotFound", "PowerShellPath"), (error.ErrorId, error.ParameterName));
            Assert.Contains(request.PowerShellPath, error.Message);
            Assert.False(File.Exists(_env.ConfigFile));
        }

        [Fact]
        public void PowerShell_run_as_a_dotnet_tool_is_started_as_the_dotnet_host_with_pwsh_dll()
        {
            var psHome = Path.Combine(_env.Folder, "tool's home");
            Directory.CreateDirectory(psHome);
            File.WriteAllText(Path.Combine(psHome, "pwsh.dll"), "");
            var dotnet = Path.Combine(_env.Folder, "dotnet");
            File.WriteAllText(dotnet, "");

            var launch = PowerShellLaunch.ForRunningPowerShell(dotnet, psHome);
            Assert.Equal((dotnet, Path.Combine(psHome, "pwsh.dll")), (launch.Executable, launch.EntryAssembly));

            var request = Request();
            request.PowerShellPath = launch.Executable;
            request.PowerShellEntryAssembly = launch.EntryAssembly;
            Assert.Equal("\"" + dotnet + "\" \"" + launch.EntryAssembly + "\" -NoProfile -NonInteractive -Command \"" + ExpectedCommand + "\"",
                CredentialProcessProfile.CommandLine(request));
        }

        [Fact]
        public void PowerShell_run_as_an_executable_is_started_by_its_own_path()
        {
            var launch = PowerShellLaunch.ForRunningPowerShell(_fakePwsh, Path.GetDirectoryName(_fakePwsh));
            Assert.Equal((_fakePwsh, (string)null), (launch.Executable, launch.EntryAssembly));
            var windowsPowerShell = Path.Combine(_env.Folder, "WindowsPowerShell", "v1.0", "powershell.exe");
            Assert.Equal(windowsPowerShell, PowerShellLaunch.ForRunningPowerShell(windowsPowerShell, null).Executable);
        }

        [Fact]
        public void A_host_that_is_not_PowerShell_and_no_PowerShell_in_PSHOME_asks_for_PowerShellPath()
        {
            var error = Assert.Throws<S3CredentialsException>(() => PowerShellLaunch.ForRunningPowerShell("/usr/bin/some-host", _env.Folder));
            Assert.Equal(("PowerShellNotFound", "PowerShellPath"), (error.ErrorId, error.ParameterName));
        }
    }
}
