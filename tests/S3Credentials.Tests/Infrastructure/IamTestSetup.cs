using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.AwsProtocol;
using S3Credentials.Core.Iam;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// IAM operations only the tests' set-up sends (tagging after creation, attaching managed policies, making them):
    /// the module never calls them, so they are not part of <see cref="IIamClient"/>. Sent through the same Query client.
    /// </summary>
    internal static class IamTestSetup
    {
        public static Task TagUserAsync(this IIamClient iam, string userName, IEnumerable<IamTag> tags, CancellationToken cancellationToken = default)
            => Send(iam, "TagUser", WithTags(QueryServiceClient.Params("UserName", userName), tags), cancellationToken);

        public static Task AttachUserPolicyAsync(this IIamClient iam, string userName, string policyArn, CancellationToken cancellationToken = default)
            => Send(iam, "AttachUserPolicy", QueryServiceClient.Params("UserName", userName, "PolicyArn", policyArn), cancellationToken);

        public static Task TagRoleAsync(this IIamClient iam, string roleName, IEnumerable<IamTag> tags, CancellationToken cancellationToken = default)
            => Send(iam, "TagRole", WithTags(QueryServiceClient.Params("RoleName", roleName), tags), cancellationToken);

        public static Task UpdateRoleAsync(this IIamClient iam, string roleName, int? maxSessionDuration = null, string description = null, CancellationToken cancellationToken = default)
            => Send(iam, "UpdateRole", QueryServiceClient.Params("RoleName", roleName, "MaxSessionDuration", maxSessionDuration?.ToString(CultureInfo.InvariantCulture), "Description", description), cancellationToken);

        public static Task AttachRolePolicyAsync(this IIamClient iam, string roleName, string policyArn, CancellationToken cancellationToken = default)
            => Send(iam, "AttachRolePolicy", QueryServiceClient.Params("RoleName", roleName, "PolicyArn", policyArn), cancellationToken);

        public static Task DetachRolePolicyAsync(this IIamClient iam, string roleName, string policyArn, CancellationToken cancellationToken = default)
            => Send(iam, "DetachRolePolicy", QueryServiceClient.Params("RoleName", roleName, "PolicyArn", policyArn), cancellationToken);

        /// <summary>Creates a customer managed policy; its name and ARN come back.</summary>
        public static async Task<IamManagedPolicy> CreatePolicyAsync(this IIamClient iam, string policyName, string policyDocument, string description = null, string path = null,
            IEnumerable<IamTag> tags = null, CancellationToken cancellationToken = default)
        {
            var parameters = WithTags(QueryServiceClient.Params("PolicyName", policyName, "PolicyDocument", policyDocument, "Description", description, "Path", path), tags);
            var policy = (await Send(iam, "CreatePolicy", parameters, cancellationToken).ConfigureAwait(false)).Child("Policy");
            return new IamManagedPolicy { PolicyName = policy.Text("PolicyName"), Arn = policy.Text("Arn"), Path = policy.Text("Path") };
        }

        public static Task DeletePolicyAsync(this IIamClient iam, string policyArn, CancellationToken cancellationToken = default)
            => Send(iam, "DeletePolicy", QueryServiceClient.Params("PolicyArn", policyArn), cancellationToken);

        private static Task<System.Xml.Linq.XElement> Send(IIamClient iam, string action, IDictionary<string, string> parameters, CancellationToken cancellationToken)
            => ((QueryServiceClient)iam).SendAsync(action, parameters, cancellationToken);

        private static IDictionary<string, string> WithTags(IDictionary<string, string> parameters, IEnumerable<IamTag> tags)
        {
            QueryServiceClient.AddMembers(parameters, "Tags", tags?.Select(tag => new KeyValuePair<string, string>(tag.Key, tag.Value)));
            return parameters;
        }
    }
}
