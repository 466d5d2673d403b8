using System;
using System.Collections.Generic;

namespace S3Credentials.Core.Iam
{
    // Plain shapes of IAM's XML responses (https://docs.aws.amazon.com/IAM/latest/APIReference/).
    // Policy documents are returned decoded (IAM sends them URL-encoded).

    public sealed class IamTag
    {
        public IamTag(string key, string value) { Key = key; Value = value; }
        public string Key { get; }
        public string Value { get; }
    }

    public sealed class IamUser
    {
        public string UserName { get; set; }
        public string UserId { get; set; }
        public string Arn { get; set; }
        public string Path { get; set; }
        public DateTime CreateDate { get; set; }
        public string PermissionsBoundaryArn { get; set; }
        public IReadOnlyList<IamTag> Tags { get; set; } = Array.Empty<IamTag>();

        /// <summary>The same user with other tags: every other field copied, including any this class gains later.</summary>
        public IamUser WithTags(IReadOnlyList<IamTag> tags)
        {
            var copy = (IamUser)MemberwiseClone();
            copy.Tags = tags ?? Array.Empty<IamTag>();
            return copy;
        }
    }

    public sealed class IamAccessKey
    {
        public string UserName { get; set; }
        public string AccessKeyId { get; set; }
        /// <summary>Active or Inactive.</summary>
        public string Status { get; set; }
        /// <summary>Only set by CreateAccessKey: IAM never returns it again.</summary>
        public string SecretAccessKey { get; set; }
        public DateTime CreateDate { get; set; }
    }

    /// <summary>GetAccessKeyLastUsed's answer: no date (and no service or region) when the key was never used.</summary>
    public sealed class IamAccessKeyLastUsed
    {
        public string UserName { get; set; }
        public DateTime? LastUsedDate { get; set; }
        /// <summary>Null where IAM says N/A.</summary>
        public string ServiceName { get; set; }
        /// <summary>Null where IAM says N/A (never used, or a service that is not regional).</summary>
        public string Region { get; set; }
    }

    public sealed class IamRole
    {
        public string RoleName { get; set; }
        public string RoleId { get; set; }
        public string Arn { get; set; }
        public string Path { get; set; }
        public DateTime CreateDate { get; set; }
        public string Description { get; set; }
        public int MaxSessionDuration { get; set; }
        /// <summary>The trust policy, decoded.</summary>
        public string AssumeRolePolicyDocument { get; set; }
        public string PermissionsBoundaryArn { get; set; }
        public IReadOnlyList<IamTag> Tags { get; set; } = Array.Empty<IamTag>();
    }

    public sealed class IamAttachedPolicy
    {
        public string PolicyName { get; set; }
        public string PolicyArn { get; set; }
    }

    public sealed class IamInlinePolicy
    {
        /// <summary>The user or role the policy belongs to.</summary>
        public string OwnerName { get; set; }
        public string PolicyName { get; set; }
        /// <summary>The policy document, decoded.</summary>
        public string PolicyDocument { get; set; }
    }

    public sealed class IamManagedPolicy
    {
        public string PolicyName { get; set; }
        public string PolicyId { get; set; }
        public string Arn { get; set; }
        public string Path { get; set; }
        public string DefaultVersionId { get; set; }
        public int AttachmentCount { get; set; }
        public string Description { get; set; }
        public DateTime CreateDate { get; set; }
        public DateTime UpdateDate { get; set; }
    }

    public sealed class IamPolicyVersion
    {
        public string VersionId { get; set; }
        public bool IsDefaultVersion { get; set; }
        /// <summary>The policy document, decoded.</summary>
        public string Document { get; set; }
        public DateTime CreateDate { get; set; }
    }

    public sealed class IamGroup
    {
        public string GroupName { get; set; }
        public string GroupId { get; set; }
        public string Arn { get; set; }
        public string Path { get; set; }
    }

    /// <summary>A user as GetAccountAuthorizationDetails returns it: with tags, inline policy documents, attached policies and groups.</summary>
    public sealed class IamUserDetail
    {
        public IamUser User { get; set; }
        public IReadOnlyList<IamInlinePolicy> InlinePolicies { get; set; } = Array.Empty<IamInlinePolicy>();
        public IReadOnlyList<IamAttachedPolicy> AttachedPolicies { get; set; } = Array.Empty<IamAttachedPolicy>();
        public IReadOnlyList<string> GroupNames { get; set; } = Array.Empty<string>();
    }

    /// <summary>A role as GetAccountAuthorizationDetails returns it (no Description or MaxSessionDuration: IAM leaves them out there).</summary>
    public sealed class IamRoleDetail
    {
        public IamRole Role { get; set; }
        public IReadOnlyList<IamInlinePolicy> InlinePolicies { get; set; } = Array.Empty<IamInlinePolicy>();
        public IReadOnlyList<IamAttachedPolicy> AttachedPolicies { get; set; } = Array.Empty<IamAttachedPolicy>();
    }

    /// <summary>One page of a Marker/IsTruncated listing.</summary>
    public sealed class IamPage<T>
    {
        public IamPage(IReadOnlyList<T> items, bool isTruncated, string marker)
        {
            Items = items;
            IsTruncated = isTruncated;
            Marker = marker;
        }

        public IReadOnlyList<T> Items { get; }
        public bool IsTruncated { get; }
        /// <summary>Pass to the next call to get the following page; null on the last page.</summary>
        public string Marker { get; }
    }
}
