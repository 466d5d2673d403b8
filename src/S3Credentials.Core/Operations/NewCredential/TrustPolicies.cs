using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using S3Credentials.Core.Policies;

namespace S3Credentials.Core.Operations.NewCredential
{
    /// <summary>Reads and extends a role's trust policy: who may call sts:AssumeRole on it.</summary>
    public static class TrustPolicies
    {
        /// <summary>The trust policy of a role this module creates: only this principal may assume it.</summary>
        public static PolicyDocument ForPrincipal(string principalArn) => S3AccessPolicies.RoleTrustPolicy(principalArn);

        /// <summary>True when an Allow statement lets exactly this principal call sts:AssumeRole.</summary>
        public static bool Trusts(string trustPolicyJson, string principalArn)
        {
            if (string.IsNullOrEmpty(trustPolicyJson)) return false;
            using (var document = JsonDocument.Parse(trustPolicyJson, PolicyJson.LenientReading))
            {
                if (!document.RootElement.TryGetProperty("Statement", out var statements)) return false;
                foreach (var statement in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToArray() : new[] { statements })
                {
                    if (!statement.TryGetProperty("Effect", out var effect) || effect.GetString() != "Allow") continue;
                    if (statement.TryGetProperty("Condition", out var condition) && condition.ValueKind == JsonValueKind.Object && condition.EnumerateObject().Any()) continue;
                    if (!statement.TryGetProperty("Action", out var action) || !Values(action).Any(a => a == "sts:AssumeRole" || a == "sts:*" || a == "*")) continue;
                    if (!statement.TryGetProperty("Principal", out var principal) || principal.ValueKind != JsonValueKind.Object) continue;
                    if (principal.TryGetProperty("AWS", out var aws) && Values(aws).Contains(principalArn, StringComparer.Ordinal)) return true;
                }
            }
            return false;
        }

        /// <summary>
        /// The trust policy letting <paramref name="principalArn"/> assume the role too: added to the AWS principals of
        /// the first unconditional Allow sts:AssumeRole statement, or as a statement of its own when there is none.
        /// </summary>
        public static string AddPrincipal(string trustPolicyJson, string principalArn)
        {
            var root = JsonNode.Parse(trustPolicyJson, documentOptions: PolicyJson.LenientReading) as JsonObject ?? new JsonObject();
            var statements = root["Statement"] as JsonArray;
            if (statements == null)
            {
                var single = root["Statement"];
                root.Remove("Statement");
                statements = new JsonArray();
                if (single != null) statements.Add(single);
                root["Statement"] = statements;
            }
            foreach (var statement in statements.OfType<JsonObject>())
            {
                if ((string)statement["Effect"] != "Allow" || statement["Condition"] is JsonObject condition && condition.Count > 0) continue;
                if (!NodeValues(statement["Action"]).Any(a => a == "sts:AssumeRole" || a == "sts:*" || a == "*")) continue;
                if (!(statement["Principal"] is JsonObject principal) || principal["AWS"] == null) continue;
                var principals = new JsonArray(NodeValues(principal["AWS"]).Append(principalArn).Distinct(StringComparer.Ordinal).Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
                principal["AWS"] = principals;
                return root.ToJsonString();
            }
            var added = JsonNode.Parse(ForPrincipal(principalArn).ToJson())["Statement"].AsArray()[0];
            statements.Add(JsonNode.Parse(added.ToJsonString()));
            return root.ToJsonString();
        }

        private static string[] NodeValues(JsonNode node)
            => node is JsonArray array ? array.Select(n => (string)n).ToArray()
                : node is JsonValue value && value.TryGetValue<string>(out var text) ? new[] { text } : new string[0];

        private static string[] Values(JsonElement element)
            => element.ValueKind == JsonValueKind.Array
                ? element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()).ToArray()
                : element.ValueKind == JsonValueKind.String ? new[] { element.GetString() } : new string[0];
    }
}
