using System.Collections.Generic;
using System.Linq;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;

namespace S3Credentials.Core.Operations.NewCredential
{
    /// <summary>The policies of a request as Get-S3CredentialPolicy shows them (no AWS call).</summary>
    public static class CredentialPolicies
    {
        /// <param name="warning">Told each of the plan's warnings (such as a -Policy naming none of the buckets) before any policy is returned.</param>
        public static IEnumerable<CredentialPolicy> Describe(NewCredentialRequest request, string region, System.Action<string> warning = null)
        {
            var partition = AwsPartition.ForRegion(SessionResolver.OfflineRegion(region));
            var plan = CredentialPlan.Create(request, partition);
            foreach (var text in plan.Warnings)
                warning?.Invoke(text);
            if (plan.IsTemporary)
            {
                yield return new CredentialPolicy
                {
                    PolicyName = "session",
                    Kind = "SessionPolicy",
                    BucketName = plan.BucketNames.ToArray(),
                    Access = plan.AccessName,
                    PolicyDocument = plan.SessionPolicy.ToJson(),
                    Size = plan.SessionPolicy.CompactLength,
                    SizeLimit = PolicySize.SessionPolicyLimit,
                };
                yield break;
            }
            foreach (var policy in plan.UserPolicies)
                yield return new CredentialPolicy
                {
                    PolicyName = policy.Name,
                    Kind = "InlineUserPolicy",
                    BucketName = new[] { policy.BucketName },
                    Access = plan.AccessName,
                    PolicyDocument = policy.Document.ToJson(),
                    Size = policy.Document.CompactLength,
                    SizeLimit = PolicySize.UserInlinePoliciesLimit,
                };
        }
    }
}
