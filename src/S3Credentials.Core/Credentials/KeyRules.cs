namespace S3Credentials.Core.Credentials
{
    /// <summary>
    /// The one rule for access key ids, secret access keys and session tokens, whatever they come from (parameters,
    /// -Credential, an auth file, a profile, the environment, AWS.Tools' shell default, Export-S3Credential's input,
    /// Update-S3Credential's -AccessKeyId): printable ASCII without spaces. AWS's keys (AKIAIOSFODNN7EXAMPLE) and
    /// S3-compatible stores' keys (minioadmin, short or lowercase ids) pass; what can never be a key (empty, whitespace,
    /// control characters, non-ASCII that an HTTP header or an INI line cannot carry) is refused before any request.
    /// Messages say what is wrong and where, never the value itself.
    /// </summary>
    public static class KeyRules
    {
        public const string Rule = "printable ASCII without spaces or control characters";

        public static bool IsValid(string value) => Problem(value) == null;

        /// <summary>What is wrong with the value ("it is empty", "character 5 is a space"...), or null when it is fine.</summary>
        public static string Problem(string value)
        {
            if (string.IsNullOrEmpty(value)) return "it is empty";
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (char.IsWhiteSpace(c))
                    return $"character {i + 1} is whitespace";
                if (char.IsControl(c))
                    return $"character {i + 1} is a control character";
                if (c > '~')
                    return $"character {i + 1} is not ASCII";
            }
            return null;
        }

        /// <summary>Throws <paramref name="errorId"/> naming <paramref name="parameterName"/> when the value breaks the rule.</summary>
        /// <param name="describedAs">The value as the user knows it, such as "-AccessKey" or "AWS_SECRET_ACCESS_KEY".</param>
        public static void Check(string value, string errorId, string parameterName, string describedAs)
        {
            var problem = Problem(value);
            if (problem != null)
                throw S3CredentialsException.InvalidParameter(errorId, parameterName, $"{describedAs} must be {Rule} (such as AKIAIOSFODNN7EXAMPLE or minioadmin for an access key id), but {problem}.");
        }

        /// <summary>Checks the access key id, the secret and (when there is one) the token of a set of keys.</summary>
        /// <param name="errorId">The error id; {0} in it becomes AccessKeyId, SecretAccessKey or SessionToken.</param>
        /// <param name="describedAs">Names the value; {0} in it becomes AccessKeyId, SecretAccessKey or SessionToken.</param>
        public static CredentialValues Check(CredentialValues values, string errorId, string parameterName, string describedAs)
        {
            Check(values.AccessKeyId, "AccessKeyId", errorId, parameterName, describedAs);
            Check(values.SecretAccessKey, "SecretAccessKey", errorId, parameterName, describedAs);
            if (values.SessionToken != null)
                Check(values.SessionToken, "SessionToken", errorId, parameterName, describedAs);
            return values;
        }

        private static void Check(string value, string field, string errorId, string parameterName, string describedAs)
            => Check(value, errorId.Replace("{0}", field), parameterName, describedAs.Replace("{0}", field));
    }
}
