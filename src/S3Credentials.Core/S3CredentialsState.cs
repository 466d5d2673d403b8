using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using S3Credentials.Core.Sts;

namespace S3Credentials.Core
{
    /// <summary>
    /// What the module remembers between commands, held in one object per module session instead of in the process:
    /// the caller identities STS already answered (so a session asks once per key) and the names tab completion read
    /// from AWS. The cmdlets make one when the module is imported and hand it on in <see cref="Credentials.SessionOptions.State"/>;
    /// a library caller that passes none gets a fresh one with every resolved session, so two sessions never share a cache.
    /// </summary>
    public sealed class S3CredentialsState
    {
        /// <summary>How long names read from AWS for tab completion are reused (per kind, account, region and endpoint).</summary>
        public TimeSpan CompletionCacheLifetime { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>How long tab completion waits for AWS before it offers nothing, so the prompt never hangs.</summary>
        public TimeSpan CompletionLookupTimeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>Caller identities already asked for (STS GetCallerIdentity), by access key id.</summary>
        internal ConcurrentDictionary<string, StsCallerIdentity> KnownCallers { get; } = new ConcurrentDictionary<string, StsCallerIdentity>(StringComparer.Ordinal);

        /// <summary>Names read for tab completion, by kind, access key, region and endpoints, with when they expire (UTC).</summary>
        internal ConcurrentDictionary<string, (DateTime Expires, IReadOnlyList<string> Names)> CompletionNames { get; }
            = new ConcurrentDictionary<string, (DateTime Expires, IReadOnlyList<string> Names)>(StringComparer.Ordinal);
    }
}
