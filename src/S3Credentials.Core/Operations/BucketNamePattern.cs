using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// A bucket name or a wildcard pattern of them: * matches any run of characters, ? exactly one. Matching is
    /// case-sensitive, as bucket names are. Only what can never match a bucket name is refused: characters other
    /// than letters, digits, '.', '-' and '_' (the last two and uppercase letters appear in old us-east-1 buckets),
    /// and names without wildcards that are shorter than 3 or longer than 255 characters.
    /// </summary>
    internal sealed class BucketNamePattern
    {
        public const int MinLiteralLength = 3;
        public const int MaxLiteralLength = 255;

        private readonly Regex _regex;

        private BucketNamePattern(string text)
        {
            Text = text;
            HasWildcards = text.IndexOfAny(new[] { '*', '?' }) >= 0;
            if (HasWildcards)
            {
                var pattern = new StringBuilder("^");
                foreach (var c in text)
                    pattern.Append(c == '*' ? ".*" : c == '?' ? "." : Regex.Escape(c.ToString()));
                _regex = new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
            }
        }

        public string Text { get; }
        public bool HasWildcards { get; }

        public bool IsMatch(string bucketName)
            => HasWildcards ? _regex.IsMatch(bucketName) : string.Equals(Text, bucketName, StringComparison.Ordinal);

        /// <summary>Checks every name before anything is sent; the first bad one is an InvalidArgument error naming the parameter.</summary>
        public static IReadOnlyList<BucketNamePattern> ParseAll(IEnumerable<string> names, string parameterName = "BucketName")
            => (names ?? Enumerable.Empty<string>()).Select(n => Parse(n, parameterName)).ToList();

        public static BucketNamePattern Parse(string name, string parameterName = "BucketName")
        {
            if (string.IsNullOrEmpty(name))
                throw S3CredentialsException.InvalidParameter("BucketNamePatternEmpty", parameterName,
                    $"-{parameterName} holds an empty name: give bucket names or wildcard patterns such as 'logs-*'.");
            foreach (var c in name)
            {
                if (c == '[' || c == ']' || c == '`')
                    throw S3CredentialsException.InvalidParameter("BucketNamePatternUnsupportedWildcard", parameterName,
                        $"-{parameterName} '{name}': only * and ? are wildcards here, and bucket names never contain '{c}'.");
                if (!IsPatternCharacter(c))
                    throw S3CredentialsException.InvalidParameter("BucketNamePatternInvalidCharacter", parameterName,
                        $"-{parameterName} '{Printable(name)}' can never match a bucket name: '{Printable(c.ToString())}' is not allowed. Bucket names hold letters, digits, '.', '-' and '_'; * and ? are wildcards.");
            }
            var pattern = new BucketNamePattern(name);
            if (!pattern.HasWildcards && (name.Length < MinLiteralLength || name.Length > MaxLiteralLength))
                throw S3CredentialsException.InvalidParameter("BucketNamePatternLength", parameterName,
                    $"-{parameterName} '{name}' can never be a bucket name: names are {MinLiteralLength} to {MaxLiteralLength} characters long, not {name.Length}. Use * or ? to match several buckets.");
            return pattern;
        }

        private static bool IsPatternCharacter(char c) => AwsNames.IsExistingBucketNameCharacter(c) || c == '*' || c == '?';

        private static string Printable(string text)
            => string.Concat(text.Select(c => char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString()));

        public override string ToString() => Text;
    }
}
