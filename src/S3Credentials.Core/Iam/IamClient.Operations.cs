using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using S3Credentials.Core.AwsProtocol;

namespace S3Credentials.Core.Iam
{
    // Each IAM operation: the Query parameters it sends and the XML it reads back.
    public sealed partial class IamClient
    {
        // ---- Users ----

        public async Task<IamUser> GetUserAsync(string userName, CancellationToken cancellationToken = default)
            => ReadUser((await SendAsync("GetUser", Params("UserName", userName), cancellationToken).ConfigureAwait(false)).Child("User"));

        public async Task<IamUser> CreateUserAsync(string userName, string path = null, string permissionsBoundaryArn = null, IEnumerable<IamTag> tags = null, CancellationToken cancellationToken = default)
        {
            var parameters = Params("UserName", userName, "Path", path, "PermissionsBoundary", permissionsBoundaryArn);
            AddTags(parameters, tags);
            return ReadUser((await SendAsync("CreateUser", parameters, cancellationToken).ConfigureAwait(false)).Child("User"));
        }

        public async Task<IamPage<IamUser>> ListUsersAsync(string marker = null, string pathPrefix = null, int? maxItems = null, CancellationToken cancellationToken = default)
        {
            var result = await SendAsync("ListUsers", Params("Marker", marker, "PathPrefix", pathPrefix, "MaxItems", maxItems?.ToString(CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
            return Page(result, "Users", ReadUser);
        }

        public Task DeleteUserAsync(string userName, CancellationToken cancellationToken = default)
            => SendAsync("DeleteUser", Params("UserName", userName), cancellationToken);

        public async Task<IamPage<IamTag>> ListUserTagsAsync(string userName, string marker = null, CancellationToken cancellationToken = default)
            => Page(await SendAsync("ListUserTags", Params("UserName", userName, "Marker", marker), cancellationToken).ConfigureAwait(false), "Tags", ReadTag);

        // ---- Inline user policies ----

        public Task PutUserPolicyAsync(string userName, string policyName, string policyDocument, CancellationToken cancellationToken = default)
            => SendAsync("PutUserPolicy", Params("UserName", userName, "PolicyName", policyName, "PolicyDocument", policyDocument), cancellationToken);

        public async Task<IamInlinePolicy> GetUserPolicyAsync(string userName, string policyName, CancellationToken cancellationToken = default)
        {
            var result = await SendAsync("GetUserPolicy", Params("UserName", userName, "PolicyName", policyName), cancellationToken).ConfigureAwait(false);
            return new IamInlinePolicy { OwnerName = result.Text("UserName"), PolicyName = result.Text("PolicyName"), PolicyDocument = Decode(result.Text("PolicyDocument")) };
        }

        public async Task<IamPage<string>> ListUserPoliciesAsync(string userName, string marker = null, CancellationToken cancellationToken = default)
            => Page(await SendAsync("ListUserPolicies", Params("UserName", userName, "Marker", marker), cancellationToken).ConfigureAwait(false), "PolicyNames", m => m.Value);

        public Task DeleteUserPolicyAsync(string userName, string policyName, CancellationToken cancellationToken = default)
            => SendAsync("DeleteUserPolicy", Params("UserName", userName, "PolicyName", policyName), cancellationToken);

        // ---- Managed policies attached to users ----

        public async Task<IamPage<IamAttachedPolicy>> ListAttachedUserPoliciesAsync(string userName, string marker = null, CancellationToken cancellationToken = default)
            => Page(await SendAsync("ListAttachedUserPolicies", Params("UserName", userName, "Marker", marker), cancellationToken).ConfigureAwait(false), "AttachedPolicies", ReadAttachedPolicy);

        public Task DetachUserPolicyAsync(string userName, string policyArn, CancellationToken cancellationToken = default)
            => SendAsync("DetachUserPolicy", Params("UserName", userName, "PolicyArn", policyArn), cancellationToken);

        // ---- Groups and login profile ----

        public async Task<IamPage<IamGroup>> ListGroupsForUserAsync(string userName, string marker = null, CancellationToken cancellationToken = default)
            => Page(await SendAsync("ListGroupsForUser", Params("UserName", userName, "Marker", marker), cancellationToken).ConfigureAwait(false), "Groups", ReadGroup);

        public Task RemoveUserFromGroupAsync(string groupName, string userName, CancellationToken cancellationToken = default)
            => SendAsync("RemoveUserFromGroup", Params("GroupName", groupName, "UserName", userName), cancellationToken);

        public Task DeleteLoginProfileAsync(string userName, CancellationToken cancellationToken = default)
            => SendAsync("DeleteLoginProfile", Params("UserName", userName), cancellationToken);

        // ---- Access keys ----

        public async Task<IamAccessKey> CreateAccessKeyAsync(string userName, CancellationToken cancellationToken = default)
            => ReadAccessKey((await SendAsync("CreateAccessKey", Params("UserName", userName), cancellationToken).ConfigureAwait(false)).Child("AccessKey"));

        public async Task<IamPage<IamAccessKey>> ListAccessKeysAsync(string userName, string marker = null, CancellationToken cancellationToken = default)
            => Page(await SendAsync("ListAccessKeys", Params("UserName", userName, "Marker", marker), cancellationToken).ConfigureAwait(false), "AccessKeyMetadata", ReadAccessKey);

        public Task UpdateAccessKeyAsync(string userName, string accessKeyId, string status, CancellationToken cancellationToken = default)
            => SendAsync("UpdateAccessKey", Params("UserName", userName, "AccessKeyId", accessKeyId, "Status", status), cancellationToken);

        public Task DeleteAccessKeyAsync(string userName, string accessKeyId, CancellationToken cancellationToken = default)
            => SendAsync("DeleteAccessKey", Params("UserName", userName, "AccessKeyId", accessKeyId), cancellationToken);

        public async Task<IamAccessKeyLastUsed> GetAccessKeyLastUsedAsync(string accessKeyId, CancellationToken cancellationToken = default)
        {
            var result = await SendAsync("GetAccessKeyLastUsed", Params("AccessKeyId", accessKeyId), cancellationToken).ConfigureAwait(false);
            var used = result.Child("AccessKeyLastUsed");
            var date = used?.Text("LastUsedDate");
            return new IamAccessKeyLastUsed
            {
                UserName = result.Text("UserName"),
                LastUsedDate = string.IsNullOrEmpty(date) ? (DateTime?)null : XmlElements.ParseDate(date),
                ServiceName = NotApplicableAsNull(used?.Text("ServiceName")),
                Region = NotApplicableAsNull(used?.Text("Region")),
            };
        }

        // ---- Roles ----

        public async Task<IamRole> GetRoleAsync(string roleName, CancellationToken cancellationToken = default)
            => ReadRole((await SendAsync("GetRole", Params("RoleName", roleName), cancellationToken).ConfigureAwait(false)).Child("Role"));

        public async Task<IamRole> CreateRoleAsync(string roleName, string assumeRolePolicyDocument, string description = null, int? maxSessionDuration = null, string path = null, IEnumerable<IamTag> tags = null, CancellationToken cancellationToken = default)
        {
            var parameters = Params("RoleName", roleName, "AssumeRolePolicyDocument", assumeRolePolicyDocument, "Description", description,
                "MaxSessionDuration", maxSessionDuration?.ToString(CultureInfo.InvariantCulture), "Path", path);
            AddTags(parameters, tags);
            return ReadRole((await SendAsync("CreateRole", parameters, cancellationToken).ConfigureAwait(false)).Child("Role"));
        }

        public async Task<IamPage<IamRole>> ListRolesAsync(string marker = null, string pathPrefix = null, int? maxItems = null, CancellationToken cancellationToken = default)
        {
            var result = await SendAsync("ListRoles", Params("Marker", marker, "PathPrefix", pathPrefix, "MaxItems", maxItems?.ToString(CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
            return Page(result, "Roles", ReadRole);
        }

        public Task UpdateAssumeRolePolicyAsync(string roleName, string policyDocument, CancellationToken cancellationToken = default)
            => SendAsync("UpdateAssumeRolePolicy", Params("RoleName", roleName, "PolicyDocument", policyDocument), cancellationToken);

        public Task DeleteRoleAsync(string roleName, CancellationToken cancellationToken = default)
            => SendAsync("DeleteRole", Params("RoleName", roleName), cancellationToken);

        // ---- Role policies ----

        public Task PutRolePolicyAsync(string roleName, string policyName, string policyDocument, CancellationToken cancellationToken = default)
            => SendAsync("PutRolePolicy", Params("RoleName", roleName, "PolicyName", policyName, "PolicyDocument", policyDocument), cancellationToken);

        public Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken = default)
            => SendAsync("DeleteRolePolicy", Params("RoleName", roleName, "PolicyName", policyName), cancellationToken);

        public async Task<IamPage<string>> ListRolePoliciesAsync(string roleName, string marker = null, CancellationToken cancellationToken = default)
            => Page(await SendAsync("ListRolePolicies", Params("RoleName", roleName, "Marker", marker), cancellationToken).ConfigureAwait(false), "PolicyNames", m => m.Value);

        public async Task<IamInlinePolicy> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken = default)
        {
            var result = await SendAsync("GetRolePolicy", Params("RoleName", roleName, "PolicyName", policyName), cancellationToken).ConfigureAwait(false);
            return new IamInlinePolicy { OwnerName = result.Text("RoleName"), PolicyName = result.Text("PolicyName"), PolicyDocument = Decode(result.Text("PolicyDocument")) };
        }

        public async Task<IamPage<IamAttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, string marker = null, CancellationToken cancellationToken = default)
            => Page(await SendAsync("ListAttachedRolePolicies", Params("RoleName", roleName, "Marker", marker), cancellationToken).ConfigureAwait(false), "AttachedPolicies", ReadAttachedPolicy);

        // ---- Managed policies ----

        public async Task<IamManagedPolicy> GetPolicyAsync(string policyArn, CancellationToken cancellationToken = default)
            => ReadManagedPolicy((await SendAsync("GetPolicy", Params("PolicyArn", policyArn), cancellationToken).ConfigureAwait(false)).Child("Policy"));

        public async Task<IamPolicyVersion> GetPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken = default)
        {
            var version = (await SendAsync("GetPolicyVersion", Params("PolicyArn", policyArn, "VersionId", versionId), cancellationToken).ConfigureAwait(false)).Child("PolicyVersion");
            return new IamPolicyVersion
            {
                VersionId = version.Text("VersionId"),
                IsDefaultVersion = string.Equals(version.Text("IsDefaultVersion"), "true", StringComparison.OrdinalIgnoreCase),
                Document = Decode(version.Text("Document")),
                CreateDate = XmlElements.ParseDate(version.Text("CreateDate")),
            };
        }

        // ---- Whole-account reads ----

        /// <summary>GetAccountAuthorizationDetails with Filter=User: users with their tags, inline policies (documents included), attached policies and groups.</summary>
        public async Task<IamPage<IamUserDetail>> GetUserDetailsAsync(string marker = null, int? maxItems = null, CancellationToken cancellationToken = default)
            => Page(await SendAuthorizationDetailsAsync("User", marker, maxItems, cancellationToken).ConfigureAwait(false), "UserDetailList", user => new IamUserDetail
            {
                User = ReadUser(user),
                InlinePolicies = ReadInlinePolicies(user, "UserPolicyList", user.Text("UserName")),
                AttachedPolicies = Members(user, "AttachedManagedPolicies", ReadAttachedPolicy),
                GroupNames = Members(user, "GroupList", group => group.Value),
            });

        /// <summary>
        /// GetAccountAuthorizationDetails with Filter=Role: roles with their trust policy, tags, inline policies (documents
        /// included) and attached policies. IAM leaves out Description and MaxSessionDuration here (ListRoles has them).
        /// </summary>
        public async Task<IamPage<IamRoleDetail>> GetRoleDetailsAsync(string marker = null, int? maxItems = null, CancellationToken cancellationToken = default)
            => Page(await SendAuthorizationDetailsAsync("Role", marker, maxItems, cancellationToken).ConfigureAwait(false), "RoleDetailList", role => new IamRoleDetail
            {
                Role = ReadRole(role),
                InlinePolicies = ReadInlinePolicies(role, "RolePolicyList", role.Text("RoleName")),
                AttachedPolicies = Members(role, "AttachedManagedPolicies", ReadAttachedPolicy),
            });

        private Task<XElement> SendAuthorizationDetailsAsync(string filter, string marker, int? maxItems, CancellationToken cancellationToken)
            => SendAsync("GetAccountAuthorizationDetails", Params("Filter.member.1", filter, "Marker", marker, "MaxItems", maxItems?.ToString(CultureInfo.InvariantCulture)), cancellationToken);

        // ---- Request building ----

        private static void AddTags(IDictionary<string, string> parameters, IEnumerable<IamTag> tags)
            => AddMembers(parameters, "Tags", tags?.Select(tag => new KeyValuePair<string, string>(tag.Key, tag.Value)));

        // ---- Response reading ----

        private static IamPage<T> Page<T>(XElement result, string listName, Func<XElement, T> read)
        {
            var items = Members(result, listName, read);
            var truncated = string.Equals(result.Text("IsTruncated"), "true", StringComparison.OrdinalIgnoreCase);
            return new IamPage<T>(items, truncated, truncated ? result.Text("Marker") : null);
        }

        private static IamUser ReadUser(XElement user) => user == null ? null : new IamUser
        {
            UserName = user.Text("UserName"),
            UserId = user.Text("UserId"),
            Arn = user.Text("Arn"),
            Path = user.Text("Path"),
            CreateDate = XmlElements.ParseDate(user.Text("CreateDate")),
            PermissionsBoundaryArn = user.Child("PermissionsBoundary")?.Text("PermissionsBoundaryArn"),
            Tags = ReadTags(user),
        };

        private static IamRole ReadRole(XElement role)
        {
            if (role == null) return null;
            int.TryParse(role.Text("MaxSessionDuration"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var maxSessionDuration);
            return new IamRole
            {
                RoleName = role.Text("RoleName"),
                RoleId = role.Text("RoleId"),
                Arn = role.Text("Arn"),
                Path = role.Text("Path"),
                CreateDate = XmlElements.ParseDate(role.Text("CreateDate")),
                Description = role.Text("Description"),
                MaxSessionDuration = maxSessionDuration,
                AssumeRolePolicyDocument = Decode(role.Text("AssumeRolePolicyDocument")),
                PermissionsBoundaryArn = role.Child("PermissionsBoundary")?.Text("PermissionsBoundaryArn"),
                Tags = ReadTags(role),
            };
        }

        private static IamAccessKey ReadAccessKey(XElement key) => key == null ? null : new IamAccessKey
        {
            UserName = key.Text("UserName"),
            AccessKeyId = key.Text("AccessKeyId"),
            Status = key.Text("Status"),
            SecretAccessKey = key.Text("SecretAccessKey"),
            CreateDate = XmlElements.ParseDate(key.Text("CreateDate")),
        };

        private static IamAttachedPolicy ReadAttachedPolicy(XElement policy)
            => new IamAttachedPolicy { PolicyName = policy.Text("PolicyName"), PolicyArn = policy.Text("PolicyArn") };

        private static IamGroup ReadGroup(XElement group) => new IamGroup
        {
            GroupName = group.Text("GroupName"),
            GroupId = group.Text("GroupId"),
            Arn = group.Text("Arn"),
            Path = group.Text("Path"),
        };

        private static IamManagedPolicy ReadManagedPolicy(XElement policy)
        {
            if (policy == null) return null;
            int.TryParse(policy.Text("AttachmentCount"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var attachments);
            return new IamManagedPolicy
            {
                PolicyName = policy.Text("PolicyName"),
                PolicyId = policy.Text("PolicyId"),
                Arn = policy.Text("Arn"),
                Path = policy.Text("Path"),
                DefaultVersionId = policy.Text("DefaultVersionId"),
                AttachmentCount = attachments,
                Description = policy.Text("Description"),
                CreateDate = XmlElements.ParseDate(policy.Text("CreateDate")),
                UpdateDate = XmlElements.ParseDate(policy.Text("UpdateDate")),
            };
        }

        private static IReadOnlyList<IamInlinePolicy> ReadInlinePolicies(XElement owner, string listName, string ownerName)
            => Members(owner, listName, policy => new IamInlinePolicy { OwnerName = ownerName, PolicyName = policy.Text("PolicyName"), PolicyDocument = Decode(policy.Text("PolicyDocument")) });

        private static IReadOnlyList<T> Members<T>(XElement owner, string listName, Func<XElement, T> read)
            => owner.Child(listName)?.Elements().Where(e => e.Name.LocalName == "member").Select(read).ToList() ?? (IReadOnlyList<T>)Array.Empty<T>();

        private static IamTag ReadTag(XElement tag) => new IamTag(tag.Text("Key"), tag.Text("Value"));

        private static IReadOnlyList<IamTag> ReadTags(XElement owner) => Members(owner, "Tags", ReadTag);

        /// <summary>IAM says N/A for the service and region of a key never used (and for the region of a global service).</summary>
        private static string NotApplicableAsNull(string value) => string.IsNullOrEmpty(value) || value == "N/A" ? null : value;

        /// <summary>IAM returns policy documents URL-encoded (RFC 3986).</summary>
        internal static string Decode(string value) => value == null ? null : Uri.UnescapeDataString(value);
    }
}
