using System;
using S3Credentials.Core.Models;

namespace S3Credentials.Core.Policies
{
    /// <summary>The words s3-credentials uses for access levels in user, policy and session names.</summary>
    public static class AccessLevelWords
    {
        /// <summary>The word used instead of the access level when a custom -Policy or -Statement decides the permissions.</summary>
        public const string Custom = "custom";

        /// <summary>read-write, read-only or write-only.</summary>
        public static string ToWord(this AccessLevel access)
        {
            switch (access)
            {
                case AccessLevel.ReadWrite: return "read-write";
                case AccessLevel.ReadOnly: return "read-only";
                case AccessLevel.WriteOnly: return "write-only";
                default: throw new ArgumentOutOfRangeException(nameof(access), access, "Unknown access level.");
            }
        }

        /// <summary>The access word of a name: <see cref="Custom"/> when a custom policy or statement is used, else <see cref="ToWord"/>.</summary>
        public static string NameWord(AccessLevel access, bool customPolicy) => customPolicy ? Custom : access.ToWord();
    }
}
