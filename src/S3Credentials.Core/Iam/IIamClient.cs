using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace S3Credentials.Core.Iam
{
    /// <summary>
    /// The IAM operations this product needs. AWSSDK.IdentityManagement is not obtainable here, so
    /// <see cref="IamClient"/> implements them on AWSSDK.Core's pipeline; this interface is the seam
    /// to swap in the official package. Errors are <see cref="IamServiceException"/>s.
    /// List methods return one page; <see cref="IamPager"/> collects all pages.
    /// </summary>
    public interface IIamClient : IDisposable
    {
        // Users
        Task<IamUser> GetUserAsync(string userName, CancellationToken cancellationToken = default);
        Task<IamUser> CreateUserAsync(string userName, string path = null, string permissionsBoundaryArn = null, IEnumerable<IamTag> tags = null, CancellationToken cancellationToken = default);
        Task<IamPage<IamUser>> ListUsersAsync(string marker = null, string pathPrefix = null, int? maxItems = null, CancellationToken cancellationToken = default);
        Task DeleteUserAsync(string userName, CancellationToken cancellationToken = default);
        Task<IamPage<IamTag>> ListUserTagsAsync(string userName, string marker = null, CancellationToken cancellationToken = default);

        // Inline user policies
        Task PutUserPolicyAsync(string userName, string policyName, string policyDocument, CancellationToken cancellationToken = default);
        Task<IamInlinePolicy> GetUserPolicyAsync(string userName, string policyName, CancellationToken cancellationToken = default);
        Task<IamPage<string>> ListUserPoliciesAsync(string userName, string marker = null, CancellationToken cancellationToken = default);
        Task DeleteUserPolicyAsync(string userName, string policyName, CancellationToken cancellationToken = default);

        // Managed policies attached to users
        Task<IamPage<IamAttachedPolicy>> ListAttachedUserPoliciesAsync(string userName, string marker = null, CancellationToken cancellationToken = default);
        Task DetachUserPolicyAsync(string userName, string policyArn, CancellationToken cancellationToken = default);

        // Groups and login profile
        Task<IamPage<IamGroup>> ListGroupsForUserAsync(string userName, string marker = null, CancellationToken cancellationToken = default);
        Task RemoveUserFromGroupAsync(string groupName, string userName, CancellationToken cancellationToken = default);
        Task DeleteLoginProfileAsync(string userName, CancellationToken cancellationToken = default);

        // Access keys
        Task<IamAccessKey> CreateAccessKeyAsync(string userName, CancellationToken cancellationToken = default);
        Task<IamPage<IamAccessKey>> ListAccessKeysAsync(string userName, string marker = null, CancellationToken cancellationToken = default);
        Task UpdateAccessKeyAsync(string userName, string accessKeyId, string status, CancellationToken cancellationToken = default);
        Task DeleteAccessKeyAsync(string userName, string accessKeyId, CancellationToken cancellationToken = default);
        Task<IamAccessKeyLastUsed> GetAccessKeyLastUsedAsync(string accessKeyId, CancellationToken cancellationToken = default);

        // Roles
        Task<IamRole> GetRoleAsync(string roleName, CancellationToken cancellationToken = default);
        Task<IamRole> CreateRoleAsync(string roleName, string assumeRolePolicyDocument, string description = null, int? maxSessionDuration = null, string path = null, IEnumerable<IamTag> tags = null, CancellationToken cancellationToken = default);
        Task<IamPage<IamRole>> ListRolesAsync(string marker = null, string pathPrefix = null, int? maxItems = null, CancellationToken cancellationToken = default);
        Task UpdateAssumeRolePolicyAsync(string roleName, string policyDocument, CancellationToken cancellationToken = default);
        Task DeleteRoleAsync(string roleName, CancellationToken cancellationToken = default);

        // Role policies
        Task PutRolePolicyAsync(string roleName, string policyName, string policyDocument, CancellationToken cancellationToken = default);
        Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken = default);
        Task<IamPage<string>> ListRolePoliciesAsync(string roleName, string marker = null, CancellationToken cancellationToken = default);
        Task<IamInlinePolicy> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken = default);
        Task<IamPage<IamAttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, string marker = null, CancellationToken cancellationToken = default);

        // Managed policies
        Task<IamManagedPolicy> GetPolicyAsync(string policyArn, CancellationToken cancellationToken = default);
        Task<IamPolicyVersion> GetPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken = default);

        // Whole-account reads (GetAccountAuthorizationDetails, filtered to one kind of entity)
        Task<IamPage<IamUserDetail>> GetUserDetailsAsync(string marker = null, int? maxItems = null, CancellationToken cancellationToken = default);
        Task<IamPage<IamRoleDetail>> GetRoleDetailsAsync(string marker = null, int? maxItems = null, CancellationToken cancellationToken = default);
    }

    /// <summary>Removals whose wanted end state is "not there".</summary>
    public static class IamRemoval
    {
        /// <summary>
        /// Runs a removal (a delete, detach or group leave); IAM's NoSuchEntity, the thing is not there, counts as done: its
        /// target was already gone, or never made, or this very request's answer was lost and the SDK's retry found it done.
        /// </summary>
        public static async Task DoneIfAbsentAsync(Func<Task> remove)
        {
            try
            {
                await remove().ConfigureAwait(false);
            }
            catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
            {
            }
        }
    }

    /// <summary>Collects every page of a Marker/IsTruncated listing.</summary>
    public static class IamPager
    {
        /// <summary>Upper bound on pages, so a server that never stops truncating cannot loop forever.</summary>
        public const int MaxPages = 10000;

        public static async Task<List<T>> CollectAsync<T>(Func<string, CancellationToken, Task<IamPage<T>>> fetchPage, CancellationToken cancellationToken = default)
        {
            var all = new List<T>();
            string marker = null;
            for (var page = 0; page < MaxPages; page++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = await fetchPage(marker, cancellationToken).ConfigureAwait(false);
                all.AddRange(result.Items);
                if (!result.IsTruncated || string.IsNullOrEmpty(result.Marker))
                    return all;
                if (result.Marker == marker)
                    throw new InvalidOperationException("IAM returned the same Marker twice; stopping the listing.");
                marker = result.Marker;
            }
            throw new InvalidOperationException($"IAM listing did not end after {MaxPages} pages.");
        }
    }
}
