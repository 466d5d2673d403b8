using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace S3Credentials.Core.Policies
{
    /// <summary>
    /// An IAM policy document: Version, optional Id, and the Statement list in order.
    /// Written as <c>{"Version":...,"Id":...,"Statement":[...]}</c> (s3-credentials writes Version then Statement);
    /// Statement is always a list.
    /// </summary>
    public sealed class PolicyDocument
    {
        /// <summary>The current policy language version; the only one that supports policy variables.</summary>
        public const string CurrentVersion = "2012-10-17";

        /// <param name="statements">The statements, in the order they are written.</param>
        /// <param name="version">The Version element; null leaves it out (then IAM assumes 2008-10-17).</param>
        /// <param name="id">The optional Id element.</param>
        public PolicyDocument(IEnumerable<IPolicyStatement> statements, string version = CurrentVersion, string id = null)
        {
            Statements = (statements ?? throw new ArgumentNullException(nameof(statements))).ToList().AsReadOnly();
            if (Statements.Any(s => s == null))
                throw new ArgumentException("A policy cannot hold a null statement.", nameof(statements));
            Version = version;
            Id = id;
        }

        public string Version { get; }
        public string Id { get; }
        public IReadOnlyList<IPolicyStatement> Statements { get; }

        /// <summary>The policy as JSON: compact (what is sent to AWS) or indented with two spaces (for people).</summary>
        public string ToJson(bool indented = false) => PolicyJson.Write(WriteTo, indented);

        /// <summary>The size IAM checks against its limits: characters without whitespace outside strings.</summary>
        public int CompactLength => PolicyJson.CompactLength(ToJson());

        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            if (Version != null)
                writer.WriteString("Version", Version);
            if (Id != null)
                writer.WriteString("Id", Id);
            writer.WriteStartArray("Statement");
            foreach (var statement in Statements)
                statement.WriteTo(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        public override string ToString() => ToJson();
    }
}
