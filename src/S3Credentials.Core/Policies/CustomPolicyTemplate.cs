using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace S3Credentials.Core.Policies
{
    /// <summary>
    /// A user's own policy (-Policy, s3-credentials' --policy) in which <c>$!BUCKET_NAME!$</c> stands for the bucket.
    /// The placeholder is replaced inside the parsed JSON strings (values and keys), so the result is always
    /// correctly escaped JSON. Unlike s3-credentials, a session for several buckets gets every bucket's
    /// statements, not only the last bucket's. Comments and trailing commas are accepted (s3-credentials'
    /// documented sample has one).
    /// </summary>
    public sealed class CustomPolicyTemplate
    {
        public const string BucketPlaceholder = "$!BUCKET_NAME!$";
        private static readonly string[] DocumentElements = { "Version", "Id", "Statement" };

        private readonly IReadOnlyList<JsonElement> _statements;
        private readonly string _parameterName;

        private CustomPolicyTemplate(string version, string id, IReadOnlyList<JsonElement> statements, string parameterName)
        {
            _parameterName = parameterName;
            Version = version;
            Id = id;
            _statements = statements;
            UsesBucketPlaceholder = Mentions(BucketPlaceholder);
        }

        /// <summary>The template's Version, kept as written (null when it has none).</summary>
        public string Version { get; }
        public string Id { get; }
        /// <summary>Whether any statement mentions <see cref="BucketPlaceholder"/>.</summary>
        public bool UsesBucketPlaceholder { get; }

        /// <summary>
        /// Reads a policy document: a JSON object with a Statement list (or a single statement object), an optional
        /// string Version and Id, and nothing else (the IAM policy grammar's top-level elements). Every statement
        /// needs Effect, Action/NotAction and Resource/NotResource.
        /// </summary>
        /// <exception cref="S3CredentialsException">Naming <paramref name="parameterName"/> (default "Policy").</exception>
        public static CustomPolicyTemplate Parse(string json, string parameterName = "Policy")
        {
            var root = PolicyJson.ParseUserJson(json, parameterName, "Policy", "a JSON policy document");
            string Problem(string what) => $"-{parameterName} {what}";
            if (root.ValueKind != JsonValueKind.Object)
                throw S3CredentialsException.InvalidParameter("PolicyNotObject", parameterName, Problem("must be a JSON policy document: an object with \"Version\" and \"Statement\"."));
            var unknown = root.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => !DocumentElements.Contains(name, StringComparer.Ordinal));
            if (unknown != null)
                throw S3CredentialsException.InvalidParameter("PolicyUnknownElement", parameterName, Problem($"has an element \"{unknown}\" that IAM policies do not have; a policy document holds only Version, Id and Statement."));
            var version = OptionalString(root, "Version", parameterName);
            var id = OptionalString(root, "Id", parameterName);
            var statements = StatementElements(root, parameterName);
            for (var i = 0; i < statements.Count; i++)
                RawPolicyStatement.FromElement(statements[i], parameterName, $"Statement {i + 1} of -{parameterName}", "PolicyStatement");
            return new CustomPolicyTemplate(version, id, statements, parameterName);
        }

        /// <summary>Whether any string or key of any statement contains <paramref name="text"/> (ordinal).</summary>
        public bool Mentions(string text) => _statements.Any(statement => Contains(statement, text));

        /// <summary>
        /// The buckets the template names neither through <see cref="BucketPlaceholder"/> nor as an S3 ARN (<c>:::bucket</c> or
        /// <c>:::bucket/...</c>). A policy naming none of its buckets gives the same rights whatever -BucketName says.
        /// </summary>
        public IReadOnlyList<string> BucketsNotNamed(IEnumerable<string> buckets)
            => UsesBucketPlaceholder ? new List<string>()
                : buckets.Where(b => !_statements.Any(s => AnyString(s, value => value.EndsWith(":::" + b, StringComparison.Ordinal) || value.Contains(":::" + b + "/")))).ToList();

        /// <summary>The policy for one bucket (a permanent user's inline policy), followed by any extra statements.</summary>
        public PolicyDocument ForBucket(string bucket, IEnumerable<IPolicyStatement> extraStatements = null)
            => ForSession(new[] { bucket }, extraStatements);

        /// <summary>
        /// One policy for several buckets (a session policy): the template's statements for the first bucket, then for
        /// the second, and so on; a template without the placeholder contributes its statements once. Extra
        /// statements follow at the end.
        /// </summary>
        public PolicyDocument ForSession(IEnumerable<string> buckets, IEnumerable<IPolicyStatement> extraStatements = null)
        {
            var bucketList = (buckets ?? throw new ArgumentNullException(nameof(buckets))).ToList();
            if (bucketList.Count == 0)
                throw new ArgumentException("At least one bucket is needed.", nameof(buckets));
            foreach (var bucket in bucketList)
                AwsNames.ValidateBucketName(bucket);
            var substitutions = UsesBucketPlaceholder ? bucketList : bucketList.Take(1).ToList();
            var statements = substitutions.SelectMany(bucket => _statements.Select(statement => Substituted(statement, bucket)));
            return new PolicyDocument(statements.Concat(extraStatements ?? Enumerable.Empty<IPolicyStatement>()), Version, Id);
        }

        private static string OptionalString(JsonElement root, string name, string parameterName)
        {
            if (!root.TryGetProperty(name, out var value))
                return null;
            if (value.ValueKind != JsonValueKind.String)
                throw S3CredentialsException.InvalidParameter("PolicyInvalid" + name, parameterName, $"-{parameterName} has a \"{name}\" that is not a string (for example \"{PolicyDocument.CurrentVersion}\").");
            return value.GetString();
        }

        private static IReadOnlyList<JsonElement> StatementElements(JsonElement root, string parameterName)
        {
            if (!root.TryGetProperty("Statement", out var statement))
                throw S3CredentialsException.InvalidParameter("PolicyMissingStatement", parameterName, $"-{parameterName} has no \"Statement\": a policy document needs a list of statements.");
            if (statement.ValueKind == JsonValueKind.Object)
                return new[] { statement };
            if (statement.ValueKind != JsonValueKind.Array)
                throw S3CredentialsException.InvalidParameter("PolicyInvalidStatement", parameterName, $"-{parameterName} has a \"Statement\" that is neither a list of statements nor one statement object.");
            var statements = statement.EnumerateArray().ToList();
            if (statements.Count == 0)
                throw S3CredentialsException.InvalidParameter("PolicyMissingStatement", parameterName, $"-{parameterName} has an empty \"Statement\" list: a policy document needs at least one statement.");
            return statements;
        }

        private RawPolicyStatement Substituted(JsonElement statement, string bucket)
        {
            var json = PolicyJson.Write(writer => WriteSubstituted(statement, bucket, writer), indented: false);
            using (var document = JsonDocument.Parse(json))
                return RawPolicyStatement.FromElement(document.RootElement, _parameterName, "-" + _parameterName, "PolicyStatement");
        }

        /// <summary>Copies <paramref name="element"/> to the writer with the placeholder replaced in every string and key.</summary>
        private static void WriteSubstituted(JsonElement element, string bucket, Utf8JsonWriter writer)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var property in element.EnumerateObject())
                    {
                        writer.WritePropertyName(property.Name.Replace(BucketPlaceholder, bucket));
                        WriteSubstituted(property.Value, bucket, writer);
                    }
                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in element.EnumerateArray())
                        WriteSubstituted(item, bucket, writer);
                    writer.WriteEndArray();
                    break;
                case JsonValueKind.String:
                    writer.WriteStringValue(element.GetString().Replace(BucketPlaceholder, bucket));
                    break;
                default:
                    element.WriteTo(writer);
                    break;
            }
        }

        private static bool Contains(JsonElement element, string text) => AnyString(element, value => value.Contains(text));

        /// <summary>Whether <paramref name="test"/> holds for any string value or key inside <paramref name="element"/>.</summary>
        private static bool AnyString(JsonElement element, Func<string, bool> test)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    return element.EnumerateObject().Any(p => test(p.Name) || AnyString(p.Value, test));
                case JsonValueKind.Array:
                    return element.EnumerateArray().Any(item => AnyString(item, test));
                case JsonValueKind.String:
                    return test(element.GetString());
                default:
                    return false;
            }
        }
    }
}
