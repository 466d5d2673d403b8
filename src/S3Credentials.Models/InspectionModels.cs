using System;

namespace S3Credentials.Core.Models
{
    // Flat objects for Get-S3User, Get-S3AccessKey, Get-S3UserPolicy, Get-S3Role and Remove-S3User: every property is a string,
    // number, bool or date, so Export-Csv writes them as they are; lists are joined with "; ".

    /// <summary>An IAM user (Get-S3User).</summary>
    public sealed class S3User
    {
        public string UserName { get; set; }
        public string UserId { get; set; }
        public string Arn { get; set; }
        public string Path { get; set; }
        public DateTime CreateDate { get; set; }
        /// <summary>key=value pairs joined with "; ".</summary>
        public string Tags { get; set; }
        /// <summary>The number of access keys, active or not; null unless asked for (Get-S3User -IncludeAccessKeyCount), as it costs a request per user.</summary>
        public int? AccessKeyCount { get; set; }
        /// <summary>True when this module created the user (it carries the module's tag).</summary>
        public bool IsManaged { get; set; }
    }

    /// <summary>One access key of an IAM user, with when it was last used (Get-S3AccessKey).</summary>
    public sealed class S3AccessKey
    {
        public string UserName { get; set; }
        public string AccessKeyId { get; set; }
        /// <summary>Active or Inactive.</summary>
        public string Status { get; set; }
        public DateTime CreateDate { get; set; }
        /// <summary>Whole days since CreateDate (a number, so it sorts, compares and exports as one).</summary>
        public int Age { get; set; }
        /// <summary>When IAM last saw the key used (UTC); null when it never was.</summary>
        public DateTime? LastUsedDate { get; set; }
        /// <summary>The service of that last use, such as s3; null when never used.</summary>
        public string LastUsedService { get; set; }
        /// <summary>The region of that last use; null when never used or the service is not regional.</summary>
        public string LastUsedRegion { get; set; }
        /// <summary>True when this module created the user (it carries the module's tag), as S3User.IsManaged.</summary>
        public bool IsManaged { get; set; }
    }

    /// <summary>One policy of an IAM user, inline or attached (Get-S3UserPolicy). The cmdlet adds Document, the parsed JSON.</summary>
    public sealed class S3UserPolicy
    {
        public string UserName { get; set; }
        public string PolicyName { get; set; }
        /// <summary>Inline or Attached.</summary>
        public string Kind { get; set; }
        /// <summary>For attached managed policies.</summary>
        public string PolicyArn { get; set; }
        /// <summary>The policy document as JSON (for attached policies, the default version's).</summary>
        public string PolicyDocument { get; set; }
    }

    /// <summary>An IAM role (Get-S3Role); the policy properties are filled with -Detail.</summary>
    public sealed class S3Role
    {
        public string RoleName { get; set; }
        public string RoleId { get; set; }
        public string Arn { get; set; }
        public string Path { get; set; }
        public DateTime CreateDate { get; set; }
        public string Description { get; set; }
        public int MaxSessionDuration { get; set; }
        /// <summary>The trust policy as JSON.</summary>
        public string AssumeRolePolicyDocument { get; set; }
        /// <summary>True when the role is at this module's path (/s3credentials/).</summary>
        public bool IsManaged { get; set; }
        /// <summary>With -Detail: inline policy names joined with "; ".</summary>
        public string InlinePolicyNames { get; set; }
        /// <summary>With -Detail: attached managed policy ARNs joined with "; ".</summary>
        public string AttachedPolicyArns { get; set; }
        /// <summary>With -Detail: a JSON object of every policy's document, by inline name or attached ARN.</summary>
        public string PolicyDocuments { get; set; }
    }

    /// <summary>What Remove-S3User removed for one user (-PassThru).</summary>
    public sealed class RemovedS3User
    {
        public string UserName { get; set; }
        public int AccessKeysDeleted { get; set; }
        public int InlinePoliciesDeleted { get; set; }
        public int PoliciesDetached { get; set; }
        public int GroupsLeft { get; set; }
        public bool LoginProfileDeleted { get; set; }
    }
}
