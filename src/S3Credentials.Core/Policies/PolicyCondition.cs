using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace S3Credentials.Core.Policies
{
    /// <summary>One test of a Condition block: operator, condition key and the values it is compared with.</summary>
    public sealed class ConditionClause
    {
        public ConditionClause(string conditionOperator, string key, IEnumerable<string> values)
        {
            Operator = string.IsNullOrEmpty(conditionOperator) ? throw new ArgumentException("A condition needs an operator.", nameof(conditionOperator)) : conditionOperator;
            Key = string.IsNullOrEmpty(key) ? throw new ArgumentException("A condition needs a key.", nameof(key)) : key;
            Values = (values ?? throw new ArgumentNullException(nameof(values))).ToList().AsReadOnly();
        }

        /// <summary>For example StringLike.</summary>
        public string Operator { get; }
        /// <summary>For example s3:prefix.</summary>
        public string Key { get; }
        public IReadOnlyList<string> Values { get; }
    }

    /// <summary>
    /// The Condition element: an ordered map of operator to an ordered map of key to a value list,
    /// for example <c>{"StringLike":{"s3:prefix":["logs/*"]}}</c>. Operators and keys keep the order they were given in;
    /// values are always written as a list, as s3-credentials writes them.
    /// </summary>
    public sealed class PolicyCondition
    {
        public PolicyCondition(IEnumerable<ConditionClause> clauses)
        {
            Clauses = (clauses ?? throw new ArgumentNullException(nameof(clauses))).ToList().AsReadOnly();
            if (Clauses.Count == 0)
                throw new ArgumentException("A condition needs at least one clause.", nameof(clauses));
            var duplicate = Clauses.GroupBy(c => (c.Operator, c.Key)).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null)
                throw new ArgumentException($"The condition tests {duplicate.Key.Operator} {duplicate.Key.Key} twice; give all its values in one clause.", nameof(clauses));
        }

        public IReadOnlyList<ConditionClause> Clauses { get; }

        /// <summary><c>{"StringLike":{key:[values]}}</c>.</summary>
        public static PolicyCondition StringLike(string key, IEnumerable<string> values)
            => new PolicyCondition(new[] { new ConditionClause("StringLike", key, values) });

        internal void WriteValue(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            foreach (var byOperator in Clauses.GroupBy(c => c.Operator))
            {
                writer.WriteStartObject(byOperator.Key);
                foreach (var clause in byOperator)
                    PolicyJson.WriteStringList(writer, clause.Key, clause.Values);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
    }
}
