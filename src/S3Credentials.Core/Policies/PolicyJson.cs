using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace S3Credentials.Core.Policies
{
    /// <summary>
    /// How the module writes policy JSON, and how IAM measures it.
    /// Strings are escaped with <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>: quotes, backslashes and
    /// control characters are escaped, but '+', '&lt;', '&gt;', '&amp;', '\'' and non-ASCII letters are written as
    /// they are (the default encoder would write '+' as \u002B, which lengthens policies and is not what
    /// s3-credentials sends). Policies are never embedded in HTML, which is what the "unsafe" guards against.
    /// </summary>
    public static class PolicyJson
    {
        /// <summary>Comments and trailing commas are accepted in policies users write (s3-credentials' own sample has a trailing comma).</summary>
        public static readonly JsonDocumentOptions LenientReading = new JsonDocumentOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        };

        /// <summary>
        /// Parses JSON a user gave for -<paramref name="parameterName"/> (a leading byte-order mark is ignored).
        /// Errors give the position, never the text, which may hold more than the user meant to show.
        /// </summary>
        /// <param name="errorIdPrefix">Start of the ErrorIds: "Policy" gives PolicyEmpty and PolicyNotJson.</param>
        /// <exception cref="S3CredentialsException">&lt;errorIdPrefix&gt;Empty or &lt;errorIdPrefix&gt;NotJson, naming the parameter.</exception>
        public static JsonElement ParseUserJson(string json, string parameterName, string errorIdPrefix, string whatIsExpected)
        {
            var text = (json ?? "").TrimStart('\uFEFF');
            if (string.IsNullOrWhiteSpace(text))
                throw S3CredentialsException.InvalidParameter(errorIdPrefix + "Empty", parameterName, $"-{parameterName} is empty: give {whatIsExpected}.");
            try
            {
                using (var document = JsonDocument.Parse(text, LenientReading))
                    return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw S3CredentialsException.InvalidParameter(errorIdPrefix + "NotJson", parameterName,
                    $"-{parameterName} is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}).");
            }
        }

        /// <summary>Runs <paramref name="write"/> against a fresh writer and returns the text. Indented text uses
        /// two spaces and "\n" line ends on every platform (JSON strings cannot hold a raw line break, so the
        /// replacement only touches layout).</summary>
        public static string Write(Action<Utf8JsonWriter> write, bool indented)
        {
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                    write(writer);
                var text = Encoding.UTF8.GetString(stream.ToArray());
                return indented ? text.Replace("\r\n", "\n") : text;
            }
        }

        /// <summary>
        /// The size IAM compares with its policy size limits: the number of characters, not counting
        /// whitespace outside JSON strings ("IAM doesn't count white space when calculating the size of a policy",
        /// IAM and AWS STS quotas). Whitespace inside strings counts; a character outside the Basic Multilingual
        /// Plane counts once.
        /// </summary>
        public static int CompactLength(string json)
        {
            if (json == null) throw new ArgumentNullException(nameof(json));
            var count = 0;
            var inString = false;
            var escaped = false;
            foreach (var c in json)
            {
                if (char.IsLowSurrogate(c))
                    continue;
                if (inString)
                {
                    count++;
                    if (escaped) escaped = false;
                    else if (c == '\\') escaped = true;
                    else if (c == '"') inString = false;
                    continue;
                }
                if (IsJsonWhitespace(c))
                    continue;
                count++;
                if (c == '"') inString = true;
            }
            return count;
        }

        private static bool IsJsonWhitespace(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\n';

        internal static void WriteStringList(Utf8JsonWriter writer, string propertyName, IEnumerable<string> values)
        {
            writer.WriteStartArray(propertyName);
            foreach (var value in values)
                writer.WriteStringValue(value);
            writer.WriteEndArray();
        }
    }
}
