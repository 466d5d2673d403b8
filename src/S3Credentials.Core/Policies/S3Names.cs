using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using S3Credentials.Core.Models;

namespace S3Credentials.Core.Policies
{
    /// <summary>
    /// The rule for key prefixes, and the default names s3-credentials gives users and role sessions, shortened
    /// deterministically when they would pass IAM's 64-character limit. The naming rules of S3 and IAM themselves are
    /// <see cref="AwsNames"/>'.
    /// </summary>
    public static class S3Names
    {
        /// <summary>S3: an object key is at most 1,024 bytes of UTF-8, so a longer prefix matches nothing.</summary>
        public const int MaxPrefixBytes = 1024;

        private const int HashSuffixHexDigits = 8;

        /// <summary>
        /// A key prefix the credentials are limited to: not empty; no leading "/" (S3 keys have none, so
        /// "/logs/" would match nothing); no "//"; no control characters; at most 1,024 bytes of UTF-8 (the
        /// longest S3 key). IAM wildcards (* ?) and policy variables (${aws:username}) are allowed on purpose.
        /// </summary>
        public static void ValidatePrefix(string prefix, string parameterName = "Prefix")
        {
            if (string.IsNullOrEmpty(prefix))
                throw S3CredentialsException.InvalidParameter("PrefixEmpty", parameterName, $"-{parameterName} is empty: give a key prefix such as 'logs/', or leave -{parameterName} out for the whole bucket.");
            var control = IndexOfControlCharacter(prefix);
            if (control >= 0)
                throw S3CredentialsException.InvalidParameter("PrefixControlCharacter", parameterName,
                    $"-{parameterName} contains a control character (U+{(int)prefix[control]:X4} at position {control + 1}); key prefixes cannot hold control characters.");
            if (prefix.StartsWith("/", StringComparison.Ordinal))
                throw S3CredentialsException.InvalidParameter("PrefixLeadingSlash", parameterName,
                    $"-{parameterName} '{prefix}' must not start with '/': S3 keys have no leading slash, so it would match nothing.");
            if (prefix.Contains("//"))
                throw S3CredentialsException.InvalidParameter("PrefixDoubleSlash", parameterName,
                    $"-{parameterName} '{prefix}' must not contain '//' (an empty path segment).");
            var bytes = Encoding.UTF8.GetByteCount(prefix);
            if (bytes > MaxPrefixBytes)
                throw S3CredentialsException.InvalidParameter("PrefixTooLong", parameterName,
                    $"-{parameterName} is {bytes} bytes of UTF-8; S3 keys, and so prefixes, are at most {MaxPrefixBytes} bytes.");
        }

        /// <summary>
        /// s3-credentials' default user name, <c>s3.&lt;read-write|read-only|write-only|custom&gt;.&lt;b1,b2,...&gt;</c>,
        /// shortened by <see cref="FitToLength"/> to IAM's 64 characters.
        /// </summary>
        public static string DefaultUserName(AccessLevel access, IEnumerable<string> bucketNames, bool customPolicy = false)
            => FitToLength(NameForBuckets(access, bucketNames, customPolicy), AwsNames.MaxUserNameLength);

        /// <summary>s3-credentials' RoleSessionName, <c>s3.&lt;access&gt;.&lt;b1,b2,...&gt;</c>, shortened by <see cref="FitToLength"/> to 64 characters.</summary>
        public static string DefaultRoleSessionName(AccessLevel access, IEnumerable<string> bucketNames, bool customPolicy = false)
            => FitToLength(NameForBuckets(access, bucketNames, customPolicy), AwsNames.MaxRoleSessionNameLength);

        /// <summary>
        /// The name itself when it fits; otherwise its first (maxLength - 9) characters, "-" and the first
        /// 8 hex digits of the SHA-256 of the whole name (UTF-8). The same name always gives the same result,
        /// and two long names that share their head still differ by their hash.
        /// </summary>
        public static string FitToLength(string name, int maxLength)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            if (maxLength <= HashSuffixHexDigits + 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "Too short to hold a hash suffix.");
            if (name.Length <= maxLength)
                return name;
            return name.Substring(0, maxLength - HashSuffixHexDigits - 1) + "-" + Sha256Hex(name).Substring(0, HashSuffixHexDigits);
        }

        private static string NameForBuckets(AccessLevel access, IEnumerable<string> bucketNames, bool customPolicy)
        {
            var buckets = (bucketNames ?? throw new ArgumentNullException(nameof(bucketNames))).ToList();
            if (buckets.Count == 0)
                throw new ArgumentException("At least one bucket is needed.", nameof(bucketNames));
            foreach (var bucket in buckets)
                AwsNames.ValidateBucketName(bucket);
            return "s3." + AccessLevelWords.NameWord(access, customPolicy) + "." + string.Join(",", buckets);
        }

        private static int IndexOfControlCharacter(string text)
        {
            for (var i = 0; i < text.Length; i++)
                if (char.IsControl(text[i]))
                    return i;
            return -1;
        }

        private static string Sha256Hex(string text)
        {
            using (var sha = SHA256.Create())
            {
                var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
                return string.Concat(hash.Select(b => b.ToString("x2")));
            }
        }
    }
}
