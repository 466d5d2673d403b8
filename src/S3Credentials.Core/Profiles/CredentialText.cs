using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using S3Credentials.Core.Models;

namespace S3Credentials.Core.Profiles
{
    /// <summary>
    /// Credentials as text, for handing them on: an INI profile section, -AuthFile JSON, shell or PowerShell environment
    /// assignments, or credential_process JSON. Pure functions: the same credentials always give the same text, lines
    /// joined by \n and no line break at the end. Every value is checked first (see <see cref="ProfileCredential.Validate"/>),
    /// and quoted for the language it is written in.
    /// </summary>
    public static class CredentialText
    {
        public const string AccessKeyIdKey = "aws_access_key_id";
        public const string SecretAccessKeyKey = "aws_secret_access_key";
        public const string SessionTokenKey = "aws_session_token";
        /// <summary>When temporary credentials expire, as saml2aws and similar tools write it; the SDKs and the CLI ignore it.</summary>
        public const string ExpirationKey = "x_security_token_expires";
        public const string RegionKey = "region";

        /// <summary>The credentials in <paramref name="format"/>; <paramref name="profileName"/> is the INI section's name (default "default").</summary>
        public static string Format(ProfileCredential credential, CredentialTextFormat format, string profileName = null)
        {
            switch (format)
            {
                case CredentialTextFormat.Ini: return Ini(credential, profileName ?? ProfileNames.Default);
                case CredentialTextFormat.Json: return Json(credential);
                case CredentialTextFormat.Shell: return Shell(credential);
                case CredentialTextFormat.PowerShell: return PowerShell(credential);
                case CredentialTextFormat.CredentialProcess: return CredentialProcess(credential);
                default: throw S3CredentialsException.InvalidParameter("FormatInvalid", "Format", $"-Format '{format}' is not one of Ini, Json, Shell, PowerShell, CredentialProcess.");
            }
        }

        /// <summary>
        /// The lines of one profile section: [name], the keys, the session token of temporary credentials, when they
        /// expire, and the region. Also what Export-S3Credential writes into the shared credentials file.
        /// </summary>
        public static IReadOnlyList<string> IniSectionLines(ProfileCredential credential, string profileName)
        {
            ProfileNames.Validate(profileName);
            Check(credential);
            var lines = new List<string>
            {
                "[" + profileName + "]",
                AccessKeyIdKey + " = " + credential.AccessKeyId,
                SecretAccessKeyKey + " = " + credential.SecretAccessKey,
            };
            if (credential.SessionToken != null)
                lines.Add(SessionTokenKey + " = " + credential.SessionToken);
            if (credential.Expiration != null)
                lines.Add(ExpirationKey + " = " + credential.ExpirationText);
            if (credential.Region != null)
                lines.Add(RegionKey + " = " + credential.Region);
            return lines;
        }

        public static string Ini(ProfileCredential credential, string profileName = ProfileNames.Default)
            => Join(IniSectionLines(credential, profileName));

        /// <summary>JSON that -AuthFile reads: AccessKeyId, SecretAccessKey, and SessionToken and Expiration when there are.</summary>
        public static string Json(ProfileCredential credential)
        {
            Check(credential);
            var properties = new List<KeyValuePair<string, string>>
            {
                Property("AccessKeyId", JsonString(credential.AccessKeyId)),
                Property("SecretAccessKey", JsonString(credential.SecretAccessKey)),
            };
            if (credential.SessionToken != null) properties.Add(Property("SessionToken", JsonString(credential.SessionToken)));
            if (credential.Expiration != null) properties.Add(Property("Expiration", JsonString(credential.ExpirationText)));
            return JsonObject(properties);
        }

        /// <summary>
        /// What a credential_process program prints: Version 1, the keys, and SessionToken and Expiration for temporary
        /// credentials (without Expiration the SDKs and the CLI never refresh them).
        /// </summary>
        public static string CredentialProcess(ProfileCredential credential)
        {
            Check(credential);
            var properties = new List<KeyValuePair<string, string>>
            {
                Property("Version", "1"),
                Property("AccessKeyId", JsonString(credential.AccessKeyId)),
                Property("SecretAccessKey", JsonString(credential.SecretAccessKey)),
            };
            if (credential.SessionToken != null) properties.Add(Property("SessionToken", JsonString(credential.SessionToken)));
            if (credential.Expiration != null) properties.Add(Property("Expiration", JsonString(credential.ExpirationText)));
            return JsonObject(properties);
        }

        /// <summary>
        /// POSIX shell: export lines, each value in single quotes. Variables the credentials have no value for are unset,
        /// so that nothing of earlier credentials lingers: AWS_SESSION_TOKEN, the legacy AWS_SECURITY_TOKEN and
        /// AWS_CREDENTIAL_EXPIRATION. AWS_REGION and AWS_DEFAULT_REGION are set only when there is a region.
        /// </summary>
        public static string Shell(ProfileCredential credential)
        {
            Check(credential);
            var lines = new List<string>();
            var unset = new List<string>();
            foreach (var variable in Variables(credential))
            {
                if (variable.Value == null) unset.Add(variable.Key);
                else lines.Add("export " + variable.Key + "=" + ShellQuote(variable.Value));
            }
            if (unset.Count > 0)
                lines.Add("unset " + string.Join(" ", unset));
            return Join(lines);
        }

        /// <summary>PowerShell: $env: assignments in single quotes; variables without a value are removed ($null), as for <see cref="Shell"/>.</summary>
        public static string PowerShell(ProfileCredential credential)
        {
            Check(credential);
            var lines = new List<string>();
            foreach (var variable in Variables(credential))
                lines.Add("$env:" + variable.Key + " = " + (variable.Value == null ? "$null" : PowerShellQuote(variable.Value)));
            return Join(lines);
        }

        /// <summary>A POSIX shell word that is exactly <paramref name="value"/>: single quotes, each ' written as '\''.</summary>
        public static string ShellQuote(string value) => "'" + (value ?? "").Replace("'", "'\\''") + "'";

        /// <summary>
        /// A PowerShell single-quoted string that is exactly <paramref name="value"/>: every quote character PowerShell
        /// ends a single-quoted string with (' and the typographic ‘ ’ ‚ ‛) is doubled.
        /// </summary>
        public static string PowerShellQuote(string value)
        {
            var builder = new StringBuilder("'");
            foreach (var c in value ?? "")
            {
                builder.Append(c);
                if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B')
                    builder.Append(c);
            }
            return builder.Append('\'').ToString();
        }

        /// <summary>A JSON string literal: quotes, backslashes and control characters escaped, nothing else.</summary>
        public static string JsonString(string value)
        {
            var builder = new StringBuilder("\"");
            foreach (var c in value ?? "")
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default:
                        if (c < ' ') builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else builder.Append(c);
                        break;
                }
            }
            return builder.Append('"').ToString();
        }

        private static IEnumerable<KeyValuePair<string, string>> Variables(ProfileCredential credential)
        {
            yield return new KeyValuePair<string, string>("AWS_ACCESS_KEY_ID", credential.AccessKeyId);
            yield return new KeyValuePair<string, string>("AWS_SECRET_ACCESS_KEY", credential.SecretAccessKey);
            yield return new KeyValuePair<string, string>("AWS_SESSION_TOKEN", credential.SessionToken);
            yield return new KeyValuePair<string, string>("AWS_SECURITY_TOKEN", null);
            yield return new KeyValuePair<string, string>("AWS_CREDENTIAL_EXPIRATION", credential.ExpirationText);
            if (credential.Region != null)
            {
                yield return new KeyValuePair<string, string>("AWS_REGION", credential.Region);
                yield return new KeyValuePair<string, string>("AWS_DEFAULT_REGION", credential.Region);
            }
        }

        private static void Check(ProfileCredential credential)
        {
            if (credential == null) throw new ArgumentNullException(nameof(credential));
            credential.Validate();
        }

        private static KeyValuePair<string, string> Property(string name, string json) => new KeyValuePair<string, string>(name, json);

        private static string JsonObject(IReadOnlyList<KeyValuePair<string, string>> properties)
        {
            var lines = new List<string> { "{" };
            for (var i = 0; i < properties.Count; i++)
                lines.Add("  " + JsonString(properties[i].Key) + ": " + properties[i].Value + (i < properties.Count - 1 ? "," : ""));
            lines.Add("}");
            return Join(lines);
        }

        private static string Join(IEnumerable<string> lines) => string.Join("\n", lines);
    }
}
