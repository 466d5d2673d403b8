using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace S3Credentials.Core.Operations.NewCredential
{
    /// <summary>Turns what the user typed for -Policy and -Statement into JSON text.</summary>
    public static class PolicyInput
    {
        /// <summary>-Policy: JSON when it starts with '{', otherwise the path of a file holding JSON.</summary>
        public static string ReadPolicy(string value, Func<string, string> resolvePath)
        {
            if (string.IsNullOrWhiteSpace(value))
                throw S3CredentialsException.InvalidParameter("PolicyEmpty", "Policy", "-Policy must be a JSON policy document or the path of a file holding one.");
            var trimmed = value.TrimStart();
            if (trimmed.StartsWith("{", StringComparison.Ordinal))
                return value;
            string path;
            try { path = resolvePath == null ? Path.GetFullPath(value) : resolvePath(value); }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is IOException)
            {
                throw S3CredentialsException.InvalidParameter("PolicyFileNotFound", "Policy", $"-Policy '{value}' is neither JSON (starting with '{{') nor the path of a file.");
            }
            if (!File.Exists(path))
                throw S3CredentialsException.InvalidParameter("PolicyFileNotFound", "Policy", $"-Policy '{value}' is neither JSON (starting with '{{') nor an existing file.");
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new S3CredentialsException("PolicyFileUnreadable", FailureKind.PermissionDenied, $"-Policy file '{path}' cannot be read: {e.Message}", "Policy");
            }
            // An empty file is a mistake (a failed download, a wrong path), never "no custom policy": read-write access must not follow from it.
            if (string.IsNullOrWhiteSpace(text.TrimStart('\uFEFF')))
                throw S3CredentialsException.InvalidParameter("PolicyEmpty", "Policy", $"-Policy file '{path}' is empty: it must hold a JSON policy document.");
            return text;
        }

        /// <summary>-Statement: a JSON string as it is, or a dictionary (a PowerShell hashtable) written as JSON.</summary>
        public static string StatementJson(object value)
        {
            if (value is string text)
                return text;
            if (value is IDictionary)
                return ToJson(value);
            throw S3CredentialsException.InvalidParameter("StatementInvalid", "Statement", $"-Statement must be a hashtable or a JSON string, not {value?.GetType().Name ?? "null"}.");
        }

        /// <summary>Writes dictionaries, lists, strings, numbers and booleans as JSON (keys in the dictionary's order).</summary>
        public static string ToJson(object value)
        {
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream))
                    Write(writer, value, 0);
                return Encoding.UTF8.GetString(stream.ToArray());
            }
        }

        private static void Write(Utf8JsonWriter writer, object value, int depth)
        {
            if (depth > 32)
                throw S3CredentialsException.InvalidParameter("StatementTooDeep", "Statement", "-Statement is nested too deeply.");
            switch (value)
            {
                case null: writer.WriteNullValue(); break;
                case string s: writer.WriteStringValue(s); break;
                case bool b: writer.WriteBooleanValue(b); break;
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture));
                        Write(writer, entry.Value, depth + 1);
                    }
                    writer.WriteEndObject();
                    break;
                case IEnumerable list:
                    writer.WriteStartArray();
                    foreach (var item in list)
                        Write(writer, item, depth + 1);
                    writer.WriteEndArray();
                    break;
                case int _: case long _: case short _: case byte _: case uint _: case ulong _:
                    writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
                case double _: case float _: case decimal _:
                    writer.WriteNumberValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture)); break;
                default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            }
        }
    }
}
