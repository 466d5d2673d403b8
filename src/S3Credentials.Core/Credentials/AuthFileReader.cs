using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace S3Credentials.Core.Credentials
{
    /// <summary>
    /// Reads s3-credentials' auth files: JSON with AccessKeyId, SecretAccessKey and optional SessionToken
    /// (also the "Credentials" object of aws sts output), or INI where the first section holding
    /// aws_access_key_id is used. Errors name the file and the problem and never repeat the file's content.
    /// </summary>
    public static class AuthFileReader
    {
        private const string Parameter = "AuthFile";

        public static CredentialValues Read(string path)
        {
            if (string.IsNullOrWhiteSpace(path))
                throw S3CredentialsException.InvalidParameter("AuthFileEmpty", Parameter, "-AuthFile must name a file.");
            string fullPath;
            try { fullPath = Path.GetFullPath(path); }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw S3CredentialsException.InvalidParameter("AuthFileInvalidPath", Parameter, $"-AuthFile '{path}' is not a valid path.");
            }
            if (!File.Exists(fullPath))
                throw new S3CredentialsException("AuthFileNotFound", FailureKind.ObjectNotFound, $"The auth file '{fullPath}' (-AuthFile) does not exist.", Parameter);
            string text;
            try { text = File.ReadAllText(fullPath); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new S3CredentialsException("AuthFileUnreadable", FailureKind.PermissionDenied, $"The auth file '{fullPath}' (-AuthFile) cannot be read: {e.GetType().Name}.", Parameter);
            }
            return Parse(text, fullPath);
        }

        public static CredentialValues Parse(string text, string fileName)
        {
            var trimmed = (text ?? "").TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            if (trimmed.Length == 0)
                throw Malformed(fileName, "it is empty");
            return trimmed[0] == '{' ? ParseJson(trimmed, fileName) : ParseIni(trimmed, fileName);
        }

        private static CredentialValues ParseJson(string text, string fileName)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            }
            catch (JsonException e)
            {
                // The parser's own message can quote the offending text: report only the position.
                throw Malformed(fileName, $"it is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})");
            }
            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw Malformed(fileName, "its JSON is not an object");
                if (TryGetProperty(root, "Credentials", out var nested) && nested.ValueKind == JsonValueKind.Object)
                    root = nested;
                var accessKey = GetString(root, "AccessKeyId", fileName);
                var secret = GetString(root, "SecretAccessKey", fileName);
                var token = GetString(root, "SessionToken", fileName);
                if (string.IsNullOrEmpty(accessKey))
                    throw Malformed(fileName, "it has no AccessKeyId");
                if (string.IsNullOrEmpty(secret))
                    throw Malformed(fileName, "it has no SecretAccessKey");
                var expiration = TryGetProperty(root, "Expiration", out var expires) && expires.ValueKind == JsonValueKind.String
                    ? CredentialValues.ParseExpiration(expires.GetString())
                    : null;
                return new CredentialValues(accessKey, secret, token, expiration);
            }
        }

        private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
            value = default;
            return false;
        }

        private static string GetString(JsonElement element, string name, string fileName)
        {
            if (!TryGetProperty(element, name, out var value) || value.ValueKind == JsonValueKind.Null)
                return null;
            if (value.ValueKind != JsonValueKind.String)
                throw Malformed(fileName, $"its {name} is not a string");
            return value.GetString();
        }

        private static CredentialValues ParseIni(string text, string fileName)
        {
            var sections = new List<KeyValuePair<string, Dictionary<string, string>>>();
            Dictionary<string, string> current = null;
            var lineNumber = 0;
            foreach (var rawLine in text.Split('\n'))
            {
                lineNumber++;
                var line = rawLine.Trim();
                if (line.Length == 0 || line[0] == '#' || line[0] == ';')
                    continue;
                if (line[0] == '[')
                {
                    if (line[line.Length - 1] != ']')
                        throw Malformed(fileName, $"line {lineNumber} opens a section without closing it");
                    current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    sections.Add(new KeyValuePair<string, Dictionary<string, string>>(line.Substring(1, line.Length - 2).Trim(), current));
                    continue;
                }
                var equals = line.IndexOf('=');
                if (equals <= 0)
                    throw Malformed(fileName, $"line {lineNumber} is neither JSON, a [section] nor a key = value line");
                if (current == null)
                    throw Malformed(fileName, $"line {lineNumber} comes before any [section]");
                current[line.Substring(0, equals).Trim()] = line.Substring(equals + 1).Trim();
            }
            foreach (var section in sections)
            {
                if (!section.Value.TryGetValue("aws_access_key_id", out var accessKey) || accessKey.Length == 0)
                    continue;
                if (!section.Value.TryGetValue("aws_secret_access_key", out var secret) || secret.Length == 0)
                    throw Malformed(fileName, $"section [{section.Key}] has aws_access_key_id but no aws_secret_access_key");
                section.Value.TryGetValue("aws_session_token", out var token);
                if (string.IsNullOrEmpty(token))
                    section.Value.TryGetValue("aws_security_token", out token);
                return new CredentialValues(accessKey, secret, token);
            }
            throw Malformed(fileName, "it is neither JSON with AccessKeyId nor INI with a section holding aws_access_key_id");
        }

        private static S3CredentialsException Malformed(string fileName, string problem)
            => S3CredentialsException.InvalidParameter("AuthFileMalformed", Parameter, $"The auth file '{fileName}' (-AuthFile) cannot be used: {problem}.");
    }
}
