namespace S3Credentials.Core.Profiles
{
    /// <summary>The rule for the name of a profile this module writes: it must make one unambiguous [section] header.</summary>
    public static class ProfileNames
    {
        public const string Default = "default";

        /// <summary>
        /// A profile name is not empty and has no whitespace, control characters, [ or ]: the AWS CLI and the SDKs would
        /// read a header such as [my profile] or [a]b] differently, or it would break the file's lines.
        /// </summary>
        public static string Validate(string name, string parameterName = "ProfileName")
        {
            if (string.IsNullOrEmpty(name))
                throw S3CredentialsException.InvalidParameter("ProfileNameEmpty", parameterName, $"-{parameterName} must not be empty.");
            foreach (var c in name)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '[' || c == ']')
                    throw S3CredentialsException.InvalidParameter("ProfileNameInvalid", parameterName,
                        $"-{parameterName} '{Printable(name)}' must not contain whitespace, control characters, '[' or ']'.");
            }
            return name;
        }

        private static string Printable(string name)
        {
            var chars = name.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
                if (char.IsControl(chars[i])) chars[i] = '?';
            return new string(chars);
        }
    }
}
