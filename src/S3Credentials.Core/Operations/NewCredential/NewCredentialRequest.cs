using System;
using System.Collections.Generic;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;

namespace S3Credentials.Core.Operations.NewCredential
{
    /// <summary>Everything New-S3Credential was asked for, before any checking.</summary>
    public sealed class NewCredentialRequest
    {
        public IReadOnlyList<string> BucketNames { get; set; } = Array.Empty<string>();
        /// <summary>Null means ReadWrite; given explicitly it may not be combined with a custom -Policy.</summary>
        public AccessLevel? Access { get; set; }
        public IReadOnlyList<string> Prefixes { get; set; } = Array.Empty<string>();
        /// <summary>Set: temporary credentials for this long. Null: permanent credentials.</summary>
        public TimeSpan? Duration { get; set; }
        /// <summary>Null means AssumeRole; only with a duration.</summary>
        public TemporaryCredentialMethod? Method { get; set; }
        public string UserName { get; set; }
        public string RoleName { get; set; }
        /// <summary>A role to assume named by ARN, instead of the module's own role (<see cref="RoleName"/>); only with AssumeRole.</summary>
        public string RoleArn { get; set; }
        public bool CreateBucket { get; set; }
        public string BucketRegion { get; set; }
        public bool Public { get; set; }
        public bool Website { get; set; }
        /// <summary>A custom policy document (JSON) with $!BUCKET_NAME!$ placeholders.</summary>
        public string Policy { get; set; }
        /// <summary>Extra statements (JSON objects) added to every policy.</summary>
        public IReadOnlyList<string> Statements { get; set; } = Array.Empty<string>();
        /// <summary>Null: the default boundary; "none": no boundary; otherwise a managed policy ARN.</summary>
        public string PermissionsBoundary { get; set; }
        public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();
        /// <summary>Do not wait until S3 recognises a new access key.</summary>
        public bool NoWait { get; set; }
    }
}
