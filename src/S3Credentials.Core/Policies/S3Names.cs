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
    /// The naming rules of S3 and IAM, checked before any call so the user learns which parameter broke which
    /// rule; and the default names s3-credentials gives users and role sessions, shortened deterministically
    /// when they would pass IAM's 64-character limit. Every rule has its own ErrorId.
    /// </summary>
    public static class S3Names
    {
        /// <summary>IAM: user and role names are at most 64 characters.</summary>
        public const int MaxUserNameLength = 64;
        public const int MaxRoleNameLength = 64;
        /// <summary>STS AssumeRole: RoleSessionName is 2 to 64 characters.</summary>
        public const int MinRoleSessionNameLength = 2;
        public const int MaxRoleSessionNameLength = 64;
        /// <summary>S3: an object key is at most 1,024 bytes of UTF-8, so a longer prefix matches nothing.</summary>
        public const int MaxPrefixBytes = 1024;

        private const int HashSuffixHexDigits = 8;

        private static readonly Regex IpAddressShape = new Regex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$", RegexOptions.CultureInvariant);
        private static readonly string[] ReservedBucketPrefixes = { "xn--", "sthree-", "amzn-s3-demo-" };
        private static readonly string[] ReservedBucketSuffixes = { "-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3" };

        /// <summary>
        /// S3 general purpose bucket naming rules: 3-63 characters; lowercase letters, digits, dots and hyphens;
        /// starts and ends with a letter or digit; no two adjacent dots; not shaped like an IP address;
        /// no reserved prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3).
        /// </summary>
        public static void ValidateBucketName(string bucketName, string parameterName = "BucketName")
        {
            var name = bucketName ?? "";
            string Problem(string rule) => $"-{parameterName} '{name}' is not a valid S3 bucket name: {rule}.";
            if (name.Length < 3 || name.Length > 63)
                throw S3CredentialsException.InvalidParameter("InvalidBucketNameLength", parameterName, Problem($"it must be 3 to 63 characters long, not {name.Length}"));
            if (!name.All(IsBucketNameCharacter))
                throw S3CredentialsException.InvalidParameter("InvalidBucketNameCharacters", parameterName, Problem("use only lowercase letters, digits, dots and hyphens"));
            if (!IsLowercaseLetterOrDigit(name[0]) || !IsLowercaseLetterOrDigit(name[name.Length - 1]))
                throw S3CredentialsException.InvalidParameter("InvalidBucketNameEnds", parameterName, Problem("it must start and end with a lowercase letter or digit"));
            if (name.Contains(".."))
                throw S3CredentialsException.InvalidParameter("InvalidBucketNameAdjacentDots", parameterName, Problem("it must not contain two adjacent dots"));
            if (IpAddressShape.IsMatch(name))
                throw S3CredentialsException.InvalidParameter("InvalidBucketNameIpAddress", parameterName, Problem("it must not be formatted as an IP address"));
            var reservedPrefix = ReservedBucketPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal));
            if (reservedPrefix != null)
                throw S3CredentialsException.InvalidParameter("InvalidBucketNameReservedPrefix", parameterName, Problem($"names starting with '{reservedPrefix}' are reserved by AWS"));
            var reservedSuffix = ReservedBucketSuffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal));
            if (reservedSuffix != null)
                throw S3CredentialsException.InvalidParameter("InvalidBucketNameReservedSuffix", parameterName, Problem($"names ending with '{reservedSuffix}' are reserved by AWS"));
        }

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

        /// <summary>IAM user names: 1-64 characters of letters, digits and + = , . @ _ -.</summary>
        public static void ValidateUserName(string userName, string parameterName = "UserName")
            => ValidateIamName(userName, parameterName, "IAM user name", "InvalidUserName", 1, MaxUserNameLength);

        /// <summary>
        /// A user name or a * ? pattern of user names (Get-S3User, Get-S3UserPolicy): a pattern that can match no valid IAM
        /// user name (a character IAM does not allow, or more than 64 characters besides the *s) is refused.
        /// </summary>
        public static void ValidateUserNamePattern(string pattern, string parameterName = "UserName")
            => ValidateIamName(pattern, parameterName, "IAM user name", "InvalidUserName", 1, MaxUserNameLength, wildcards: true);

        /// <summary>A role name or a * ? pattern of role names (Get-S3Role), as <see cref="ValidateUserNamePattern"/>.</summary>
        public static void ValidateRoleNamePattern(string pattern, string parameterName = "RoleName")
            => ValidateIamName(pattern, parameterName, "IAM role name", "InvalidRoleName", 1, MaxRoleNameLength, wildcards: true);

        /// <summary>IAM role names: 1-64 characters of letters, digits and + = , . @ _ -.</summary>
        public static void ValidateRoleName(string roleName, string parameterName = "RoleName")
            => ValidateIamName(roleName, parameterName, "IAM role name", "InvalidRoleName", 1, MaxRoleNameLength);

        /// <summary>STS RoleSessionName: 2-64 characters matching [\w+=,.@-] (\w being ASCII letters, digits and _).</summary>
        public static void ValidateRoleSessionName(string sessionName, string parameterName = "RoleSessionName")
            => ValidateIamName(sessionName, parameterName, "role session name", "InvalidRoleSessionName", MinRoleSessionNameLength, MaxRoleSessionNameLength);

        /// <summary>
        /// s3-credentials' default user name, <c>s3.&lt;read-write|read-only|write-only|custom&gt;.&lt;b1,b2,...&gt;</c>,
        /// shortened by <see cref="FitToLength"/> to IAM's 64 characters.
        /// </summary>
        public static string DefaultUserName(AccessLevel access, IEnumerable<string> bucketNames, bool customPolicy = false)
            => FitToLength(NameForBuckets(access, bucketNames, customPolicy), MaxUserNameLength);

        /// <summary>s3-credentials' RoleSessionName, <c>s3.&lt;access&gt;.&lt;b1,b2,...&gt;</c>, shortened by <see cref="FitToLength"/> to 64 characters.</summary>
        public static string DefaultRoleSessionName(AccessLevel access, IEnumerable<string> bucketNames, bool customPolicy = false)
            => FitToLength(NameForBuckets(access, bucketNames, customPolicy), MaxRoleSessionNameLength);

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
                ValidateBucketName(bucket);
            return "s3." + AccessLevelWords.NameWord(access, customPolicy) + "." + string.Join(",", buckets);
        }

        /// <param name="wildcards">Allow * (any run, counted as no character) and ? (one character), for patterns.</param>
        private static void ValidateIamName(string value, string parameterName, string what, string errorIdPrefix, int minLength, int maxLength, bool wildcards = false)
        {
            var name = value ?? "";
            var length = wildcards ? name.Count(c => c != '*') : name.Length;
            var problem = wildcards ? $"-{parameterName} '{name}' can match no valid {what}" : $"-{parameterName} '{name}' is not a valid {what}";
            if (name.Length == 0 || length > maxLength || (!wildcards && length < minLength))
                throw S3CredentialsException.InvalidParameter(errorIdPrefix + "Length", parameterName,
                    $"{problem}: it must be {minLength} to {maxLength} characters long, not {length}{(wildcards ? " (besides any *)" : "")}.");
            if (!name.All(c => IsIamNameCharacter(c) || (wildcards && (c == '*' || c == '?'))))
                throw S3CredentialsException.InvalidParameter(errorIdPrefix + "Characters", parameterName,
                    $"{problem}: use only letters, digits and + = , . @ _ -{(wildcards ? ", and the wildcards * and ?" : "")}.");
        }

        private static int IndexOfControlCharacter(string text)
        {
            for (var i = 0; i < text.Length; i++)
                if (char.IsControl(text[i]))
                    return i;
            return -1;
        }

        private static bool IsLowercaseLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

        private static bool IsBucketNameCharacter(char c) => IsLowercaseLetterOrDigit(c) || c == '.' || c == '-';

        private static bool IsIamNameCharacter(char c)
            => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "+=,.@_-".IndexOf(c) >= 0;

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
