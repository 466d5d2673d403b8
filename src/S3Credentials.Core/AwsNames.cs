using System;
using System.Linq;
using System.Text.RegularExpressions;
using S3Credentials.Core.Credentials;

namespace S3Credentials.Core
{
    /// <summary>
    /// The one owner of every rule for an AWS name or key the module is given: IAM user, role and role session names,
    /// IAM access key ids, the key material of credentials, and S3 bucket names. Core operations and the cmdlets check
    /// through these, before any AWS call, so one input gets one answer wherever it is given: an error naming the
    /// parameter and the rule, with a stable id per rule. Pure: no state, no I/O.
    /// </summary>
    public static class AwsNames
    {
        /// <summary>IAM: user and role names are 1 to 64 characters of [\w+=,.@-] (IAM API reference, CreateUser / CreateRole).</summary>
        public const int MaxUserNameLength = 64;
        public const int MaxRoleNameLength = 64;
        /// <summary>STS AssumeRole: RoleSessionName is 2 to 64 characters of the same set.</summary>
        public const int MinRoleSessionNameLength = 2;
        public const int MaxRoleSessionNameLength = 64;
        /// <summary>IAM: an access key id is 16 to 128 characters of [\w] (IAM API reference, AccessKey.AccessKeyId).</summary>
        public const int MinAccessKeyIdLength = 16;
        public const int MaxAccessKeyIdLength = 128;

        /// <summary>The characters of IAM user, role and session names, as the messages say them.</summary>
        public const string IamNameCharacters = "letters, digits and + = , . @ _ -";

        /// <summary>The rule for credentials' key material from any source (see <see cref="CheckKey(string, string, string, string)"/>).</summary>
        public const string KeyRule = "printable ASCII without spaces or control characters";

        private static readonly Regex IpAddressShape = new Regex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$", RegexOptions.CultureInvariant);
        private static readonly string[] ReservedBucketPrefixes = { "xn--", "sthree-", "amzn-s3-demo-" };
        private static readonly string[] ReservedBucketSuffixes = { "-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3" };

        // ---------------- IAM names ----------------

        /// <summary>IAM user names: 1-64 characters of letters, digits and + = , . @ _ -.</summary>
        public static void ValidateUserName(string userName, string parameterName = "UserName")
            => ValidateIamName(userName, parameterName, "IAM user name", "InvalidUserName", 1, MaxUserNameLength);

        /// <summary>
        /// A user name or a * ? pattern of user names (Get-S3User, Get-S3UserPolicy, Get-S3AccessKey): a pattern that can
        /// match no valid IAM user name (a character IAM does not allow, or more than 64 characters besides the *s) is refused.
        /// </summary>
        public static void ValidateUserNamePattern(string pattern, string parameterName = "UserName")
            => ValidateIamName(pattern, parameterName, "IAM user name", "InvalidUserName", 1, MaxUserNameLength, wildcards: true);

        /// <summary>IAM role names: 1-64 characters of letters, digits and + = , . @ _ -.</summary>
        public static void ValidateRoleName(string roleName, string parameterName = "RoleName")
            => ValidateIamName(roleName, parameterName, "IAM role name", "InvalidRoleName", 1, MaxRoleNameLength);

        /// <summary>A role name or a * ? pattern of role names (Get-S3Role), as <see cref="ValidateUserNamePattern"/>.</summary>
        public static void ValidateRoleNamePattern(string pattern, string parameterName = "RoleName")
            => ValidateIamName(pattern, parameterName, "IAM role name", "InvalidRoleName", 1, MaxRoleNameLength, wildcards: true);

        /// <summary>STS RoleSessionName: 2-64 characters matching [\w+=,.@-] (\w being ASCII letters, digits and _).</summary>
        public static void ValidateRoleSessionName(string sessionName, string parameterName = "RoleSessionName")
            => ValidateIamName(sessionName, parameterName, "role session name", "InvalidRoleSessionName", MinRoleSessionNameLength, MaxRoleSessionNameLength);

        /// <summary>True for a name IAM can give a role (as <see cref="ValidateRoleName"/>, without the error), such as the NAME of a role ARN.</summary>
        public static bool IsRoleName(string name)
            => !string.IsNullOrEmpty(name) && name.Length <= MaxRoleNameLength && name.All(IsIamNameCharacter);

        /// <summary>An AWS account id: 12 digits.</summary>
        public static bool IsAccountId(string account) => account != null && account.Length == 12 && account.All(c => c >= '0' && c <= '9');

        /// <summary>A character of [\w+=,.@-] as IAM means it: ASCII letters and digits, _ and + = , . @ -.</summary>
        public static bool IsIamNameCharacter(char c) => IsAsciiLetterOrDigit(c) || "+=,.@_-".IndexOf(c) >= 0;

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
                    $"{problem}: use only {IamNameCharacters}{(wildcards ? ", and the wildcards * and ?" : "")}.");
        }

        // ---------------- Access keys ----------------

        /// <summary>
        /// An access key id given to IAM (Update-S3Credential's and Revoke-S3Credential's -AccessKeyId): 16 to 128 letters,
        /// digits or _, as IAM documents it, so a key id IAM could never hold (minioadmin, a pasted secret) is refused
        /// before any request. Keys used to sign requests follow the wider <see cref="KeyRule"/>. The message never
        /// repeats the value.
        /// </summary>
        public static void ValidateAccessKeyId(string accessKeyId, string parameterName = "AccessKeyId")
        {
            var problem = AccessKeyIdProblem(accessKeyId);
            if (problem != null)
                throw S3CredentialsException.InvalidParameter("AccessKeyIdInvalid", parameterName,
                    $"-{parameterName} must be an IAM access key id, {MinAccessKeyIdLength} to {MaxAccessKeyIdLength} letters, digits or _ (such as AKIAIOSFODNN7EXAMPLE), but {problem}.");
        }

        /// <summary>What breaks the IAM access key id rule, or null when the id follows it.</summary>
        public static string AccessKeyIdProblem(string accessKeyId)
        {
            if (string.IsNullOrEmpty(accessKeyId)) return "it is empty";
            for (var i = 0; i < accessKeyId.Length; i++)
                if (!IsAsciiLetterOrDigit(accessKeyId[i]) && accessKeyId[i] != '_')
                    return $"character {i + 1} is not a letter, digit or _";
            if (accessKeyId.Length < MinAccessKeyIdLength || accessKeyId.Length > MaxAccessKeyIdLength)
                return $"it is {accessKeyId.Length} characters long";
            return null;
        }

        /// <summary>
        /// The one rule for the key material of credentials, whatever they come from (parameters, -Credential, an auth file,
        /// a profile, the environment, AWS.Tools' shell default, Export-S3Credential's input): printable ASCII without
        /// spaces. AWS's keys (AKIAIOSFODNN7EXAMPLE) and S3-compatible stores' keys (minioadmin, short or lowercase ids)
        /// pass; what can never be a key (empty, whitespace, control characters, non-ASCII that an HTTP header or an INI
        /// line cannot carry) is refused before any request. Messages say what is wrong and where, never the value itself.
        /// </summary>
        public static bool IsValidKey(string value) => KeyProblem(value) == null;

        /// <summary>What is wrong with the key ("it is empty", "character 5 is whitespace"...), or null when it is fine.</summary>
        public static string KeyProblem(string value)
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

        /// <summary>Throws <paramref name="errorId"/> naming <paramref name="parameterName"/> when the key breaks <see cref="KeyRule"/>.</summary>
        /// <param name="describedAs">The value as the user knows it, such as "-AccessKey" or "AWS_SECRET_ACCESS_KEY".</param>
        public static void CheckKey(string value, string errorId, string parameterName, string describedAs)
        {
            var problem = KeyProblem(value);
            if (problem != null)
                throw S3CredentialsException.InvalidParameter(errorId, parameterName, $"{describedAs} must be {KeyRule} (such as AKIAIOSFODNN7EXAMPLE or minioadmin for an access key id), but {problem}.");
        }

        /// <summary>Checks the access key id, the secret and (when there is one) the token of a set of keys.</summary>
        /// <param name="errorId">The error id; {0} in it becomes AccessKeyId, SecretAccessKey or SessionToken.</param>
        /// <param name="describedAs">Names the value; {0} in it becomes AccessKeyId, SecretAccessKey or SessionToken.</param>
        public static CredentialValues CheckKeys(CredentialValues values, string errorId, string parameterName, string describedAs)
        {
            CheckKeyField(values.AccessKeyId, "AccessKeyId", errorId, parameterName, describedAs);
            CheckKeyField(values.SecretAccessKey, "SecretAccessKey", errorId, parameterName, describedAs);
            if (values.SessionToken != null)
                CheckKeyField(values.SessionToken, "SessionToken", errorId, parameterName, describedAs);
            return values;
        }

        private static void CheckKeyField(string value, string field, string errorId, string parameterName, string describedAs)
            => CheckKey(value, errorId.Replace("{0}", field), parameterName, describedAs.Replace("{0}", field));

        // ---------------- S3 bucket names ----------------

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
        /// A character an existing bucket's name may hold: today's (lowercase letters, digits, '.', '-') and those of
        /// buckets made in us-east-1 before March 2018 (uppercase letters, '_'), which are still listed and read.
        /// </summary>
        public static bool IsExistingBucketNameCharacter(char c) => IsAsciiLetterOrDigit(c) || c == '.' || c == '-' || c == '_';

        private static bool IsAsciiLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

        private static bool IsLowercaseLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

        private static bool IsBucketNameCharacter(char c) => IsLowercaseLetterOrDigit(c) || c == '.' || c == '-';
    }
}
