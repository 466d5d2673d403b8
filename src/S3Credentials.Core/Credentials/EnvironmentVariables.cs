using System;
using System.Collections;
using System.Collections.Generic;

namespace S3Credentials.Core.Credentials
{
    /// <summary>
    /// The process environment as one command found it: read once, at the edge (the cmdlet base, or
    /// <see cref="FromProcess"/> for a library caller that passes none), and handed to <see cref="SessionResolver"/> in
    /// <see cref="SessionOptions.Environment"/>, so that resolving never reads the process and tests give their own.
    /// The AWS SDK still reads the process environment where it resolves on its own (web identity, containers).
    /// </summary>
    public sealed class EnvironmentVariables
    {
        private readonly Dictionary<string, string> _values;

        public EnvironmentVariables(IEnumerable<KeyValuePair<string, string>> values)
        {
            _values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in values ?? Array.Empty<KeyValuePair<string, string>>())
                _values[pair.Key] = pair.Value;
        }

        /// <summary>No variable set at all.</summary>
        public static EnvironmentVariables None { get; } = new EnvironmentVariables(null);

        /// <summary>A copy of this process's variables as they are now.</summary>
        public static EnvironmentVariables FromProcess()
        {
            var values = new List<KeyValuePair<string, string>>();
            foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
                values.Add(new KeyValuePair<string, string>((string)entry.Key, (string)entry.Value));
            return new EnvironmentVariables(values);
        }

        /// <summary>The variable's value; null when it is not set.</summary>
        public string this[string name] => _values.TryGetValue(name, out var value) ? value : null;

        /// <summary>True when the variable is set to "true", in any case.</summary>
        public bool IsTrue(string name) => string.Equals(this[name], "true", StringComparison.OrdinalIgnoreCase);
    }
}
