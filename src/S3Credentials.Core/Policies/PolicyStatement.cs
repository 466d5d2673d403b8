using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace S3Credentials.Core.Policies
{
    /// <summary>
    /// A statement the module builds. Written in s3-credentials' key order, which is also the order of the
    /// IAM JSON policy grammar: Sid, Effect, Principal, Action, Resource, Condition. Action and Resource are
    /// always lists (as s3-credentials writes them); absent optional elements are left out.
    /// </summary>
    public sealed class PolicyStatement : IPolicyStatement
    {
        public PolicyStatement(PolicyEffect effect, IEnumerable<string> actions, IEnumerable<string> resources,
            string sid = null, PolicyPrincipal principal = null, PolicyCondition condition = null)
        {
            Effect = effect;
            Actions = (actions ?? throw new ArgumentNullException(nameof(actions))).ToList().AsReadOnly();
            if (Actions.Count == 0)
                throw new ArgumentException("A statement needs at least one action.", nameof(actions));
            Resources = (resources ?? Enumerable.Empty<string>()).ToList().AsReadOnly();
            Sid = sid;
            Principal = principal;
            Condition = condition;
        }

        /// <summary>An Allow statement of the given actions on the given resources.</summary>
        public static PolicyStatement Allow(IEnumerable<string> actions, IEnumerable<string> resources, PolicyCondition condition = null)
            => new PolicyStatement(PolicyEffect.Allow, actions, resources, condition: condition);

        public string Sid { get; }
        public PolicyEffect Effect { get; }
        public PolicyPrincipal Principal { get; }
        public IReadOnlyList<string> Actions { get; }
        /// <summary>Empty for statements without a Resource element (role trust policies).</summary>
        public IReadOnlyList<string> Resources { get; }
        public PolicyCondition Condition { get; }

        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            if (Sid != null)
                writer.WriteString("Sid", Sid);
            writer.WriteString("Effect", Effect == PolicyEffect.Allow ? "Allow" : "Deny");
            if (Principal != null)
            {
                writer.WritePropertyName("Principal");
                Principal.WriteValue(writer);
            }
            PolicyJson.WriteStringList(writer, "Action", Actions);
            if (Resources.Count > 0)
                PolicyJson.WriteStringList(writer, "Resource", Resources);
            if (Condition != null)
            {
                writer.WritePropertyName("Condition");
                Condition.WriteValue(writer);
            }
            writer.WriteEndObject();
        }
    }
}
