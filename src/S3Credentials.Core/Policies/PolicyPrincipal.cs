using System;
using System.Text.Json;

namespace S3Credentials.Core.Policies
{
    /// <summary>
    /// The Principal element of a resource-based policy (bucket policy, role trust policy).
    /// Written the way s3-credentials writes it: <c>"*"</c> for everyone, <c>{"AWS":"arn"}</c> for one IAM principal.
    /// </summary>
    public sealed class PolicyPrincipal
    {
        private readonly string _awsArn;

        private PolicyPrincipal(string awsArn) => _awsArn = awsArn;

        /// <summary>Anyone, including anonymous callers: <c>"Principal":"*"</c>.</summary>
        public static PolicyPrincipal Everyone { get; } = new PolicyPrincipal(null);

        /// <summary>Exactly one IAM principal (user, role or account root) named by its ARN: <c>{"AWS":"arn"}</c>.</summary>
        public static PolicyPrincipal Aws(string principalArn)
        {
            if (string.IsNullOrEmpty(principalArn) || !principalArn.StartsWith("arn:", StringComparison.Ordinal))
                throw new ArgumentException("A principal must be named by its ARN (arn:...).", nameof(principalArn));
            return new PolicyPrincipal(principalArn);
        }

        /// <summary>The ARN of the IAM principal, or null for <see cref="Everyone"/>.</summary>
        public string AwsArn => _awsArn;

        internal void WriteValue(Utf8JsonWriter writer)
        {
            if (_awsArn == null)
            {
                writer.WriteStringValue("*");
                return;
            }
            writer.WriteStartObject();
            writer.WriteString("AWS", _awsArn);
            writer.WriteEndObject();
        }
    }
}
