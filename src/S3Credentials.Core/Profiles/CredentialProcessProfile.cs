using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;

namespace S3Credentials.Core.Profiles
{
    /// <summary>What Register-S3CredentialProfile was asked for.</summary>
    public sealed class CredentialProcessProfileRequest
    {
        /// <summary>The profile to write into the config file.</summary>
        public string ProfileName { get; set; }
        public IReadOnlyList<string> BucketNames { get; set; } = Array.Empty<string>();
        public AccessLevel? Access { get; set; }
        public IReadOnlyList<string> Prefixes { get; set; } = Array.Empty<string>();
        public TimeSpan Duration { get; set; }
        public TemporaryCredentialMethod? Method { get; set; }
        /// <summary>New-S3Credential -RoleArn: the role to assume, named by ARN (null: the module's own role).</summary>
        public string RoleArn { get; set; }
        /// <summary>The profile whose credentials mint the temporary ones (null: the process's default chain).</summary>
        public string SourceProfile { get; set; }
        /// <summary>Written as the profile's region, and passed to New-S3Credential.</summary>
        public string Region { get; set; }
        /// <summary>The PowerShell executable the SDK or CLI starts (pwsh, powershell.exe, or the dotnet host).</summary>
        public string PowerShellPath { get; set; }
        /// <summary>
        /// pwsh.dll, when <see cref="PowerShellPath"/> is the dotnet host running PowerShell as a .NET tool; else null.
        /// See <see cref="PowerShellLaunch"/>.
        /// </summary>
        public string PowerShellEntryAssembly { get; set; }
        /// <summary>The module manifest the process imports.</summary>
        public string ModulePath { get; set; }
    }

    /// <summary>
    /// Register-S3CredentialProfile / Unregister-S3CredentialProfile: a config-file profile whose credential_process
    /// runs this module to mint fresh temporary credentials, so every AWS SDK and the AWS CLI refresh them by themselves.
    /// Paths are double-quoted for the command line and single-quoted inside the PowerShell command, so spaces work.
    /// </summary>
    public static class CredentialProcessProfile
    {
        /// <summary>Checks the request as New-S3Credential would (names, duration, policy size), with no AWS call and no file touched.</summary>
        public static void Validate(CredentialProcessProfileRequest request)
        {
            ProfileNames.Validate(request.ProfileName);
            if (!string.IsNullOrEmpty(request.SourceProfile))
                ProfileNames.Validate(request.SourceProfile, "SourceProfile");
            if (!string.IsNullOrEmpty(request.Region))
                SessionResolver.OfflineRegion(new SessionOptions { Region = request.Region, Environment = EnvironmentVariables.None });
            if (string.IsNullOrEmpty(request.PowerShellPath) || request.PowerShellPath.IndexOf('"') >= 0)
                throw S3CredentialsException.InvalidParameter("PowerShellPathInvalid", "PowerShellPath", "-PowerShellPath must name the pwsh or powershell executable, without double quotes.");
            if (!File.Exists(request.PowerShellPath))
                throw S3CredentialsException.InvalidParameter("PowerShellPathNotFound", "PowerShellPath", $"-PowerShellPath must name an existing pwsh or powershell executable; '{request.PowerShellPath}' does not exist.");
            if (request.PowerShellEntryAssembly != null && (request.PowerShellEntryAssembly.IndexOf('"') >= 0 || !File.Exists(request.PowerShellEntryAssembly)))
                throw S3CredentialsException.InvalidParameter("PowerShellPathInvalid", "PowerShellPath", $"PowerShell's entry assembly '{request.PowerShellEntryAssembly}' must exist and contain no double quotes.");
            if (string.IsNullOrEmpty(request.ModulePath) || request.ModulePath.IndexOf('"') >= 0)
                throw S3CredentialsException.InvalidParameter("ModulePathInvalid", "ModulePath", "The module path must not contain double quotes.");
            CredentialPlan.Create(new NewCredentialRequest
            {
                BucketNames = request.BucketNames,
                Access = request.Access,
                Prefixes = request.Prefixes,
                Duration = request.Duration,
                Method = request.Method,
                RoleArn = request.RoleArn,
            }, AwsPartition.ForRegion(request.Region));
        }

        /// <summary>The credential_process command line.</summary>
        public static string CommandLine(CredentialProcessProfileRequest request)
        {
            var command = new List<string> { "Import-Module " + Quote(request.ModulePath) + ";", "New-S3Credential -BucketName " + string.Join(",", request.BucketNames.Select(Quote)) };
            if (request.Access.HasValue) command.Add("-Access " + request.Access.Value);
            if (request.Prefixes.Count > 0) command.Add("-Prefix " + string.Join(",", request.Prefixes.Select(Quote)));
            command.Add("-Duration " + ((long)request.Duration.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            if (request.Method.HasValue) command.Add("-Method " + request.Method.Value);
            if (!string.IsNullOrEmpty(request.RoleArn)) command.Add("-RoleArn " + Quote(request.RoleArn));
            if (!string.IsNullOrEmpty(request.SourceProfile)) command.Add("-ProfileName " + Quote(request.SourceProfile));
            if (!string.IsNullOrEmpty(request.Region)) command.Add("-Region " + Quote(request.Region));
            command.Add("-ErrorAction Stop | ConvertTo-S3CredentialText -Format CredentialProcess");
            var host = "\"" + request.PowerShellPath + "\"" + (request.PowerShellEntryAssembly == null ? "" : " \"" + request.PowerShellEntryAssembly + "\"");
            return host + " -NoProfile -NonInteractive -Command \"" + string.Join(" ", command) + "\"";
        }

        /// <summary>The config file: <paramref name="path"/>, else AWS_CONFIG_FILE, else ~/.aws/config.</summary>
        public static string ConfigPath(string path)
        {
            if (!string.IsNullOrEmpty(path)) return Path.GetFullPath(path);
            var fromEnvironment = Environment.GetEnvironmentVariable("AWS_CONFIG_FILE");
            if (!string.IsNullOrEmpty(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
            var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return Path.Combine(home, ".aws", "config");
        }

        /// <summary>Writes the profile, approved without asking (no -WhatIf): <see cref="RegisterAsync"/>'s one step.</summary>
        public static RegisteredCredentialProfile Register(CredentialProcessProfileRequest request, string path, bool force, CancellationToken cancellationToken = default)
            => RegisterAsync(request, path, force, ApprovingOperationHost.Instance, cancellationToken).GetAwaiter().GetResult();

        /// <summary>
        /// Register-S3CredentialProfile after its checks: one step (<see cref="ProfileFileStep"/>), the config file's write,
        /// asked as "Write profile 'NAME' with credential_process COMMAND" on the config file. Null under -WhatIf or when declined.
        /// </summary>
        public static Task<RegisteredCredentialProfile> RegisterAsync(CredentialProcessProfileRequest request, string path, bool force, IOperationHost host, CancellationToken cancellationToken)
        {
            Validate(request);
            var target = SharedCredentialsFileWriter.FollowLinks(ConfigPath(path));
            var command = CommandLine(request);
            var lines = new List<string> { "[" + SectionName(request.ProfileName) + "]", "credential_process = " + command };
            if (!string.IsNullOrEmpty(request.Region)) lines.Add("region = " + request.Region);
            var replaced = false;
            return ProfileFileStep.RunAsync(host, ConfigPath(path), $"Write profile '{request.ProfileName}' with credential_process {command}",
                ct =>
                {
                    replaced = new SharedCredentialsFileWriter().WriteSection(target, SectionName(request.ProfileName), lines, force, ct, out var edit);
                    return edit;
                },
                () => new RegisteredCredentialProfile { ProfileName = request.ProfileName, Path = target, Action = replaced ? "Replaced" : "Added", CredentialProcess = command },
                cancellationToken);
        }

        /// <summary>
        /// Removes the profile from the config file, approved without asking (no -WhatIf): <see cref="UnregisterAsync"/>.
        /// </summary>
        public static RegisteredCredentialProfile Unregister(string profileName, string path, bool force = false, CancellationToken cancellationToken = default)
            => UnregisterAsync(profileName, path, force, ApprovingOperationHost.Instance, cancellationToken).GetAwaiter().GetResult();

        /// <summary>
        /// Unregister-S3CredentialProfile: removes the profile from the config file. Without <paramref name="force"/> only a
        /// profile <see cref="IsRegistered(string)"/> recognises is removed; any other is refused with ProfileNotRegistered
        /// before the question and again under the lock, and the file is left as it is. The change is one step
        /// (<see cref="ProfileFileStep"/>) asked as "Remove profile 'NAME'" on the config file. Null under -WhatIf or when declined.
        /// </summary>
        public static Task<RegisteredCredentialProfile> UnregisterAsync(string profileName, string path, bool force, IOperationHost host, CancellationToken cancellationToken)
        {
            ProfileNames.Validate(profileName);
            if (!force)
                CheckRegistered(profileName, path);
            var target = SharedCredentialsFileWriter.FollowLinks(ConfigPath(path));
            var section = SectionName(profileName);
            Action<string> check = force ? (Action<string>)null : text => CheckRegistered(text, profileName, target);
            return ProfileFileStep.RunAsync(host, ConfigPath(path), $"Remove profile '{profileName}'",
                ct =>
                {
                    if (!new SharedCredentialsFileWriter().RemoveSection(target, section, ct, check, out var edit))
                        throw new S3CredentialsException("ProfileNotFound", FailureKind.ObjectNotFound, $"The profile '{profileName}' is not in '{target}'.", "ProfileName");
                    return edit;
                },
                () => new RegisteredCredentialProfile { ProfileName = profileName, Path = target, Action = "Removed" },
                cancellationToken);
        }

        /// <summary>
        /// Throws ProfileNotRegistered when the profile is in the config file and Register-S3CredentialProfile did not
        /// write it; a missing file or profile passes (Unregister reports ProfileNotFound). Reads without the lock: for a
        /// check before a question, Unregister checks again under the lock.
        /// </summary>
        public static void CheckRegistered(string profileName, string path)
        {
            ProfileNames.Validate(profileName);
            var target = SharedCredentialsFileWriter.FollowLinks(ConfigPath(path));
            var text = ReadConfigText(target);
            if (text != null && IniSectionEditor.HasSection(text, SectionName(profileName)))
                CheckRegistered(text, profileName, target);
        }

        /// <summary>
        /// The profiles of the config file that Register-S3CredentialProfile wrote, sorted; none when the file is
        /// missing or unreadable (for completion, which must never fail).
        /// </summary>
        public static IReadOnlyList<string> RegisteredProfileNames(string path)
        {
            string text;
            try
            {
                text = ReadConfigText(ConfigPath(path));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                return Array.Empty<string>();
            }
            if (text == null) return Array.Empty<string>();
            return IniSectionEditor.SectionNames(text)
                .Select(ProfileOfSection)
                .Where(name => name != null && IsRegistered(IniSectionEditor.Value(text, SectionName(name), "credential_process")))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(name => name, StringComparer.OrdinalIgnoreCase)
                .ToList();
        }

        /// <summary>
        /// True when a credential_process value is one <see cref="CommandLine"/> writes, by this or an earlier version:
        /// a PowerShell started with -NoProfile -NonInteractive -Command that imports a module manifest, runs
        /// New-S3Credential and pipes it to ConvertTo-S3CredentialText -Format CredentialProcess. This is how
        /// Unregister-S3CredentialProfile tells its own profiles from role, SSO, key and other credential_process profiles.
        /// </summary>
        public static bool IsRegistered(string credentialProcess)
            => credentialProcess != null && RegisteredCommandLine.IsMatch(credentialProcess);

        private static readonly Regex RegisteredCommandLine = new Regex(
            @"^""[^""]+""( ""[^""]+"")? -NoProfile -NonInteractive -Command ""Import-Module '(?:[^']|'')+';\s*New-S3Credential\s[^""]*\|\s*ConvertTo-S3CredentialText\s+-Format\s+CredentialProcess""$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static void CheckRegistered(string text, string profileName, string target)
        {
            if (!IsRegistered(IniSectionEditor.Value(text, SectionName(profileName), "credential_process")))
                throw new S3CredentialsException("ProfileNotRegistered", FailureKind.InvalidOperation,
                    $"The profile '{profileName}' in '{target}' was not written by Register-S3CredentialProfile (its credential_process does not run New-S3Credential), so it was left as it is. Use -Force to remove it anyway.",
                    "ProfileName");
        }

        /// <summary>The config file's text, or null when there is none.</summary>
        private static string ReadConfigText(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

        /// <summary>The profile a config-file section is: [profile NAME] is NAME, [default] is default; others (sso-session, services) are none.</summary>
        private static string ProfileOfSection(string section)
            => section == "default" ? section : section.StartsWith("profile ", StringComparison.Ordinal) ? section.Substring(8).Trim() : null;

        /// <summary>The config file names profiles [profile NAME], except [default].</summary>
        public static string SectionName(string profileName) => profileName == "default" ? "default" : "profile " + profileName;

        private static string Quote(string value) => "'" + value.Replace("'", "''") + "'";
    }
}
