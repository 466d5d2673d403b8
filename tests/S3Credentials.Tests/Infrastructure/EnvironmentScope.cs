using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// Gives a test a clean AWS environment: every AWS_* variable cleared, HOME and the shared credentials and
    /// config files pointed at a fresh temporary folder, instance metadata off. Everything is put back on Dispose.
    /// Tests do not run in parallel (see MotoServer.cs), so process-wide variables are safe to change here.
    /// </summary>
    public sealed class EnvironmentScope : IDisposable
    {
        private readonly Dictionary<string, string> _saved = new Dictionary<string, string>(StringComparer.Ordinal);

        public EnvironmentScope()
        {
            Folder = Path.Combine(Path.GetTempPath(), "s3cred-env-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(Folder, ".aws"));
            foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                var name = (string)entry.Key;
                if (name.StartsWith("AWS_", StringComparison.Ordinal))
                    Set(name, null);
            }
            Set("HOME", Folder);
            Set("USERPROFILE", Folder);
            Set("AWS_SHARED_CREDENTIALS_FILE", CredentialsFile);
            Set("AWS_CONFIG_FILE", ConfigFile);
            Set("AWS_EC2_METADATA_DISABLED", "true");
        }

        public string Folder { get; }
        public string CredentialsFile => Path.Combine(Folder, ".aws", "credentials");
        public string ConfigFile => Path.Combine(Folder, ".aws", "config");

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
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
