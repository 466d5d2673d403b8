using System;
using System.Text.Json;

namespace S3Credentials.Core.Policies
{
    /// <summary>
    /// A statement a user wrote (-Statement, or one statement of a -Policy), carried through unchanged:
    /// same keys in the same order, same values; only the layout is rewritten when the policy is serialized.
    /// </summary>
    public sealed class RawPolicyStatement : IPolicyStatement
    {
        /// <summary>ErrorIds of -Statement rules start with this, whatever the parameter is called.</summary>
        private const string ErrorIdPrefix = "Statement";

        private RawPolicyStatement(JsonElement element) => Element = element;

        /// <summary>The statement object (a detached clone, safe to keep).</summary>
        public JsonElement Element { get; }

        /// <summary>
        /// Reads one statement given as a JSON object, as s3-credentials' --statement takes it. Comments and
        /// trailing commas are accepted. The statement must have Effect "Allow" or "Deny", Action or NotAction,
        /// and Resource or NotResource (identity and session policies require a resource; IAM grammar).
        /// </summary>
        /// <exception cref="S3CredentialsException">Naming <paramref name="parameterName"/> (default "Statement").</exception>
        public static RawPolicyStatement Parse(string json, string parameterName = "Statement")
        {
            var root = PolicyJson.ParseUserJson(json, parameterName, ErrorIdPrefix, "one JSON statement object such as {\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}");
            return FromElement(root, parameterName, "-" + parameterName, ErrorIdPrefix);
        }

        /// <summary>The same checks as <see cref="Parse"/> for a statement that is already parsed.</summary>
        public static RawPolicyStatement FromJsonElement(JsonElement statement, string parameterName = "Statement")
            => FromElement(statement, parameterName, "-" + parameterName, ErrorIdPrefix);

        /// <summary>Checks one statement element and keeps a clone of it.</summary>
        /// <param name="described">How messages name the statement, e.g. "-Statement" or "Statement 2 of -Policy".</param>
        /// <param name="errorIdPrefix">Start of the ErrorIds, e.g. "Statement" gives "StatementMissingAction".</param>
        internal static RawPolicyStatement FromElement(JsonElement element, string parameterName, string described, string errorIdPrefix)
        {
            if (element.ValueKind != JsonValueKind.Object)
                throw S3CredentialsException.InvalidParameter(errorIdPrefix + "NotObject", parameterName,
                    $"{described} must be a JSON object with Effect, Action and Resource, not a {Describe(element.ValueKind)}.");
            if (!HasEffect(element))
                throw S3CredentialsException.InvalidParameter(errorIdPrefix + "InvalidEffect", parameterName,
                    $"{described} must have \"Effect\": \"Allow\" or \"Deny\".");
            if (!element.TryGetProperty("Action", out _) && !element.TryGetProperty("NotAction", out _))
                throw S3CredentialsException.InvalidParameter(errorIdPrefix + "MissingAction", parameterName,
                    $"{described} must have \"Action\" or \"NotAction\".");
            if (!element.TryGetProperty("Resource", out _) && !element.TryGetProperty("NotResource", out _))
                throw S3CredentialsException.InvalidParameter(errorIdPrefix + "MissingResource", parameterName,
                    $"{described} must have \"Resource\" or \"NotResource\" (identity and session policies require one; use \"*\" for any).");
            return new RawPolicyStatement(element.Clone());
        }

        private static bool HasEffect(JsonElement statement)
            => statement.TryGetProperty("Effect", out var effect)
               && effect.ValueKind == JsonValueKind.String
               && (effect.ValueEquals("Allow") || effect.ValueEquals("Deny"));

        private static string Describe(JsonValueKind kind)
        {
            switch (kind)
            {
                case JsonValueKind.Array: return "list";
                case JsonValueKind.String: return "string";
                case JsonValueKind.Number: return "number";
                case JsonValueKind.True:
                case JsonValueKind.False: return "boolean";
                default: return "null";
            }
        }

        public void WriteTo(Utf8JsonWriter writer) => Element.WriteTo(writer);

        /// <summary>The statement as compact JSON.</summary>
        public override string ToString() => PolicyJson.Write(WriteTo, indented: false);
    }
}
