using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// Gives a test a clean AWS environment: every AWS_* variable cleared, HOME and the shared credentials and
    /// config files pointed at a fresh temporary folder, no cached SSO token, instance metadata off. Everything is put
    /// back on Dispose.
    /// Tests do not run in parallel (see MotoServer.cs), so process-wide variables are safe to change here.
    /// </summary>
    public sealed class EnvironmentScope : IDisposable
    {
        /// <summary>
        /// HOME of the whole test run. AWSSDK.Core fixes the config file's path the first time it reads it (once per
        /// process), so every scope shares this folder and only the files in it change.
        /// </summary>
        public static readonly string RunHome = Path.Combine(Path.GetTempPath(), "s3cred-home-" + Guid.NewGuid().ToString("N"));

        private readonly Dictionary<string, string> _saved = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>HOME as it was when the test run started (where pyenv and friends live).</summary>
        public static string OriginalHome { get; private set; }

        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void PointTheSdkAtTheRunHome()
        {
            OriginalHome = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Directory.CreateDirectory(Path.Combine(RunHome, ".aws"));
            Environment.SetEnvironmentVariable("HOME", RunHome);
            Environment.SetEnvironmentVariable("USERPROFILE", RunHome);
            Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(RunHome, ".aws", "credentials"));
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(RunHome, ".aws", "config"));
            // One folder per test process, removed with it (a run used to leave one behind in the temp folder).
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try { Directory.Delete(RunHome, recursive: true); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            };
        }

        public EnvironmentScope()
        {
            Folder = Path.Combine(Path.GetTempPath(), "s3cred-env-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Folder);
            File.Delete(CredentialsFile);
            File.Delete(ConfigFile);
            DeleteSsoCache();
            foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                var name = (string)entry.Key;
                if (name.StartsWith("AWS_", StringComparison.Ordinal))
                    Set(name, null);
            }
            Set("HOME", RunHome);
            Set("USERPROFILE", RunHome);
            Set("AWS_SHARED_CREDENTIALS_FILE", CredentialsFile);
            Set("AWS_CONFIG_FILE", ConfigFile);
            Set("AWS_EC2_METADATA_DISABLED", "true");
        }

        public string Folder { get; }
        public string CredentialsFile => Path.Combine(RunHome, ".aws", "credentials");
        public string ConfigFile => Path.Combine(RunHome, ".aws", "config");
        /// <summary>Where the SDK looks for SSO access tokens (HOME/.aws/sso/cache), as "aws sso login" leaves them.</summary>
        public string SsoCacheFolder => Path.Combine(RunHome, ".aws", "sso", "cache");

        private void DeleteSsoCache()
        {
            if (Directory.Exists(SsoCacheFolder))
                Directory.Delete(SsoCacheFolder, recursive: true);
        }

        public EnvironmentScope Set(string name, string value)
        {
            if (!_saved.ContainsKey(name))
                _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
            return this;
        }

        public EnvironmentScope WriteCredentials(string text)
        {
            File.WriteAllText(CredentialsFile, text);
            return this;
        }

        public EnvironmentScope WriteConfig(string text)
        {
            File.WriteAllText(ConfigFile, text);
            return this;
        }

        public string WriteFile(string name, string text)
        {
            var path = Path.Combine(Folder, name);
            File.WriteAllText(path, text);
            return path;
        }

        public void Dispose()
        {
            foreach (var pair in _saved)
                Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            File.Delete(CredentialsFile);
            File.Delete(ConfigFile);
            DeleteSsoCache();
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
