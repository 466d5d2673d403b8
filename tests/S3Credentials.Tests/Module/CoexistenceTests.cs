using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Module
{
    /// <summary>
    /// What real PowerShell sessions cannot show: tests/pester/Coexistence.Tests.ps1 runs the module next to the real SDK
    /// builds AWS.Tools 4 and 5 ship (keys and role profiles on both sides, loaded before and after the module). Here
    /// tests/S3Credentials.HostSimulator loads out/S3Credentials the way PowerShell 7 does (cmdlet assembly into the
    /// default context, then the module initializer) next to another SDK copy, for what the Pester suite does not cover:
    /// <list type="bullet">
    /// <item>web-identity and SSO profiles next to AWS.Tools 5's SDK (the SSO portal is a fake of the tests');</item>
    /// <item>control runs without the private load context, which show what breaks without it (a real session always
    /// has it): with AWS.Tools 4's real AWSSDK.Core 3.7.402 (assembly version 3.3.0.0), and with a 4.x copy.</item>
    /// </list>
    /// </summary>
    public sealed class CoexistenceTests : MotoTestBase
    {
        private const string RoleProfile = "coexist-role";
        private const string SsoProfile = "coexist-sso";
        private const string SsoSession = "coexist-corp";
        private const string SsoStartUrl = "https://coexist.awsapps.com/start";
        private const string SsoRegion = "eu-west-1";
        private static readonly TimeSpan ProcessTimeLimit = TimeSpan.FromSeconds(90);

        public CoexistenceTests(MotoServer moto) : base(moto) { }

        private static CmdletMetadata Metadata => CmdletMetadata.Shared;

        private static string BuildMetadata(string key)
            => typeof(CoexistenceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value;

        private static string ModuleFolder => TestPaths.ModuleFolder;
        /// <summary>The module's own AWSSDK.Core on this .NET (the simulator runs on the tests' .NET 10): the ReadyToRun build in dependencies/net10.0.</summary>
        private static string OwnSdkCore => Path.Combine(ModuleFolder, "dependencies", "net10.0", "AWSSDK.Core.dll");
        /// <summary>AWS.Tools 4's real AWSSDK.Core 3.7.402 (assembly version 3.3.0.0), from the NuGet packages folder.</summary>
        private static string AwsTools4SdkCore => Path.GetFullPath(BuildMetadata("AwsTools4SdkCore"));

        [Fact]
        public void Without_the_private_load_context_AWS_Tools_4s_SDK_breaks_the_module()
        {
            var run = Simulate("--loader", "flat", "--preload", AwsTools4SdkCore);

            Assert.Equal(2, run.ExitCode);
            Assert.Equal("Default", run["core.context"]);
            Assert.Contains("FileLoadException", run["error"]);
            Assert.Contains("AWSSDK.Core, Version=4.0.0.0", run["error"]);
        }

        [Fact]
        public void After_AWS_Tools_5s_SDK_the_module_uses_its_own_copy_for_keys_role_profiles_and_web_identity()
        {
            var otherCore = CopyOfOtherSdk("AWSSDK.Core", "OtherAwsSdkCore");
            var otherSts = CopyOfOtherSdk("AWSSDK.SecurityToken", "OtherAwsSdkSecurityToken");
            var token = Environment.WriteFile("web-identity-token", "a-web-identity-token");

            var run = Simulate(new Dictionary<string, string>
                {
                    ["AWS_WEB_IDENTITY_TOKEN_FILE"] = token,
                    ["AWS_ROLE_ARN"] = $"arn:aws:iam::{MotoServer.AccountId}:role/coexist-web",
                },
                "--preload", otherCore, "--preload", otherSts, "--role-profile", RoleProfile, "--web-identity", "--other-sts",
                "--other-role", $"arn:aws:iam::{MotoServer.AccountId}:role/other-module");

            run.AssertSucceeded();
            Assert.Equal(OwnSdkCore, run["core.sdk.location"]);
            Assert.Equal("S3Credentials", run["core.sdk.context"]);
            Assert.Equal($"arn:aws:sts::{MotoServer.AccountId}:user/moto", run["identity.arn"]);
            // The module's role and web-identity calls went through its own STS client: the only AWSSDK.SecurityToken
            // in the process is the other module's.
            Assert.Equal("Default:" + otherSts, run["sts.loaded"]);
            Assert.Equal($"arn:aws:sts::{MotoServer.AccountId}:assumed-role/coexist/coexist-session", run["role.arn"]);
            Assert.StartsWith($"arn:aws:sts::{MotoServer.AccountId}:assumed-role/coexist-web/", run["webidentity.arn"]);
            Assert.Equal($"arn:aws:sts::{MotoServer.AccountId}:user/moto via {otherSts}", run["other.sts.arn"]);
            Assert.Equal("ASIA", run["other.role.key"]);
        }

        [Fact]
        public void After_AWS_Tools_5s_SDK_and_its_SSO_the_module_gets_an_SSO_profiles_credentials_through_its_own_SSO_client()
        {
            var (otherCore, otherSso, otherSsoOidc) = CopyOfOtherSdkWithSso();
            using var portal = new FakeSsoPortal();

            var run = Simulate(SsoEnvironment(portal),
                "--preload", otherCore, "--preload", otherSso, "--preload", otherSsoOidc, "--sso-profile", SsoProfile);

            run.AssertSucceeded();
            Assert.Equal(OwnSdkCore, run["core.sdk.location"]);
            // The SDK called GetRoleCredentials once, with the cached token, for the profile's account and role, and
            // the module's call to STS used the keys the portal gave.
            var request = Assert.Single(portal.Requests);
            Assert.Equal("/federation/credentials", request.Path);
            Assert.Equal(MotoServer.AccountId, request.Query["account_id"]);
            Assert.Equal("CoexistReader", request.Query["role_name"]);
            Assert.Equal(portal.AccessToken, request.Headers.GetValueOrDefault(FakeSsoPortal.BearerTokenHeader));
            Assert.Equal(portal.AccessKeyId, run["sso.keyid"]);
            // Only the other module's AWSSDK.SSO and AWSSDK.SSOOIDC are loaded: AWSSDK.Core would have taken those if the
            // module did not hand it its own clients (whose types are of the module's AWSSDK.Core), and the module never
            // loads assemblies of those names.
            Assert.Equal("Default:" + otherSso, run["sso.loaded"]);
            Assert.Equal("Default:" + otherSsoOidc, run["ssooidc.loaded"]);
        }

        /// <summary>
        /// The other direction: the module used an SSO profile before AWS.Tools 5 (its SDK, SSO and SSOOIDC) was imported.
        /// AWS.Tools' AWSSDK.Core finds the SSO client by taking the first assembly named AWSSDK.SSO in the process; the
        /// module loads none, so that is AWS.Tools' own and its SSO profiles work.
        /// </summary>
        [Fact]
        public void After_the_module_used_an_SSO_profile_AWS_Tools_5s_SDK_still_resolves_SSO_profiles_with_its_own_SSO_assembly()
        {
            var (otherCore, otherSso, otherSsoOidc) = CopyOfOtherSdkWithSso();
            using var portal = new FakeSsoPortal();

            var run = Simulate(SsoEnvironment(portal), "--sso-profile", SsoProfile,
                "--preload-after", otherCore, "--preload-after", otherSso, "--preload-after", otherSsoOidc, "--other-sso-profile", SsoProfile);

            run.AssertSucceeded();
            Assert.Equal(portal.AccessKeyId, run["sso.keyid"]);
            Assert.Equal(portal.AccessKeyId, run["other.sso.keyid"]);
            // The module's SSO call loaded no AWSSDK.SSO; afterwards only AWS.Tools' is there.
            Assert.Equal("", run["sso.loaded"]);
            Assert.Equal("Default:" + otherSso, run["other.sso.loaded"]);
            Assert.Equal("Default:" + otherSsoOidc, run["other.ssooidc.loaded"]);
            Assert.Equal(2, portal.Requests.Count);
            Assert.All(portal.Requests, request => Assert.Equal(portal.AccessToken, request.Headers.GetValueOrDefault(FakeSsoPortal.BearerTokenHeader)));
        }

        [Fact]
        public void Without_the_private_load_context_the_module_runs_on_AWS_Tools_5s_copy_of_the_SDK()
        {
            var otherCore = CopyOfOtherSdk("AWSSDK.Core", "OtherAwsSdkCore");

            var run = Simulate("--loader", "flat", "--preload", otherCore);

            // Same assembly identity (4.0.0.0), so the default context hands the module the other module's copy: here a
            // build of the same version, in a real session whatever AWS.Tools ships. (While the module still shipped
            // AWSSDK.SecurityToken, this build did not even fit it: TypeLoadException.) With the private context the
            // module runs on its own copy (After_AWS_Tools_5s_SDK_the_module_uses_its_own_copy...).
            run.AssertSucceeded();
            Assert.Equal("Default", run["core.context"]);
            Assert.Equal(otherCore, run["core.sdk.location"]);
            Assert.Equal("Default", run["core.sdk.context"]);
        }

        [Fact]
        public void Without_the_private_load_context_AWS_Tools_imported_after_the_module_fails_to_load()
        {
            var otherCore = CopyOfOtherSdk("AWSSDK.Core", "OtherAwsSdkCore");

            var run = Simulate("--loader", "flat", "--preload-after", otherCore);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains("FileLoadException", run["error"]);
        }

        /// <summary>AWS.Tools 5's AWSSDK.Core, AWSSDK.SSO and AWSSDK.SSOOIDC (the net8.0 builds of the same packages).</summary>
        private (string Core, string Sso, string SsoOidc) CopyOfOtherSdkWithSso()
            => (CopyOfOtherSdk("AWSSDK.Core", "OtherAwsSdkCore"), CopyOfOtherSdk("AWSSDK.SSO", "OtherAwsSdkSSO"),
                CopyOfOtherSdk("AWSSDK.SSOOIDC", "OtherAwsSdkSSOOIDC"));

        /// <summary>
        /// The simulator's HOME, holding the token "aws sso login" would have cached for the SSO profile, and the SSO
        /// endpoints pointed at <paramref name="portal"/> (a refresh or a new login would reach it too, and be recorded
        /// and refused).
        /// </summary>
        private Dictionary<string, string> SsoEnvironment(FakeSsoPortal portal)
        {
            var home = Path.Combine(Environment.Folder, "home");
            portal.WriteCachedToken(home, SsoSession, SsoStartUrl, SsoRegion, DateTime.UtcNow.AddHours(1));
            return new Dictionary<string, string>
            {
                ["HOME"] = home,
                ["USERPROFILE"] = home,
                ["AWS_ENDPOINT_URL_SSO"] = portal.Url,
                ["AWS_ENDPOINT_URL_SSO_OIDC"] = portal.Url,
            };
        }

        /// <summary>The net8.0 build of one of our SDK packages, copied to a folder of its own like another module's.</summary>
        private string CopyOfOtherSdk(string assemblyName, string metadataKey)
        {
            var source = BuildMetadata(metadataKey);
            Assert.True(File.Exists(source), $"{source} is not in the package folder.");
            var folder = Path.Combine(Environment.Folder, "AWS.Tools");
            Directory.CreateDirectory(folder);
            var copy = Path.Combine(folder, assemblyName + ".dll");
            File.Copy(source, copy, overwrite: true);
            return copy;
        }

        private SimulatorRun Simulate(params string[] arguments) => Simulate(new Dictionary<string, string>(), arguments);

        private SimulatorRun Simulate(IDictionary<string, string> environment, params string[] arguments)
        {
            var simulator = BuildMetadata("HostSimulator");
            Assert.True(File.Exists(simulator), $"The host simulator {simulator} was not built.");
            Assert.True(File.Exists(AwsTools4SdkCore), $"AWSSDK.Core 3.7.402 is not at {AwsTools4SdkCore}: restore the test project.");

            var credentials = Environment.WriteFile("coexist-credentials", $"[coexist-base]\naws_access_key_id = {TestAccessKey}\naws_secret_access_key = {TestSecretKey}\n");
            var config = Environment.WriteFile("coexist-config",
                $"[profile {RoleProfile}]\nrole_arn = arn:aws:iam::{MotoServer.AccountId}:role/coexist\nsource_profile = coexist-base\nrole_session_name = coexist-session\n\n" +
                $"[profile {SsoProfile}]\nsso_session = {SsoSession}\nsso_account_id = {MotoServer.AccountId}\nsso_role_name = CoexistReader\n\n" +
                $"[sso-session {SsoSession}]\nsso_start_url = {SsoStartUrl}\nsso_region = {SsoRegion}\nsso_registration_scopes = sso:account:access\n");

            var start = DotnetProcess.StartInfo(simulator, new[] { "--module", ModuleFolder, "--endpoint", Moto.Endpoint }.Concat(arguments));
            foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
                start.Environment.Remove(key);
            start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = credentials;
            start.Environment["AWS_CONFIG_FILE"] = config;
            start.Environment["AWS_ENDPOINT_URL_STS"] = Moto.Endpoint;
            start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            start.Environment["SIMULATOR_ACCESS_KEY_ID"] = TestAccessKey;
            start.Environment["SIMULATOR_SECRET_ACCESS_KEY"] = TestSecretKey;
            foreach (var pair in environment)
                start.Environment[pair.Key] = pair.Value;

            using var process = Process.Start(start);
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)ProcessTimeLimit.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"The host simulator did not finish within {ProcessTimeLimit.TotalSeconds} s.");
            }
            process.WaitForExit();
            return new SimulatorRun(process.ExitCode, output.Result, errors.Result);
        }

        private sealed class SimulatorRun
        {
            private readonly Dictionary<string, string> _values = new Dictionary<string, string>(StringComparer.Ordinal);

            public SimulatorRun(int exitCode, string output, string errors)
            {
                ExitCode = exitCode;
                Output = output + errors;
                foreach (var line in output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains('=')))
                {
                    var key = line.Substring(0, line.IndexOf('='));
                    var value = line.Substring(line.IndexOf('=') + 1);
                    _values[key] = _values.TryGetValue(key, out var earlier) ? earlier + " | " + value : value;
                }
            }

            public int ExitCode { get; }
            public string Output { get; }

            public string this[string key]
                => _values.TryGetValue(key, out var value) ? value : throw new Xunit.Sdk.XunitException($"The simulator printed no '{key}'. Its output:\n{Output}");

            public void AssertSucceeded()
                => Assert.True(ExitCode == 0, $"The host simulator failed (exit {ExitCode}):\n{Output}");
        }
    }
}
