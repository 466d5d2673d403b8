using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.NewCredential;

namespace S3Credentials.Core.Operations
{
    /// <summary>Which keys Get-S3AccessKey keeps; a null span does not filter.</summary>
    public sealed class AccessKeyFilter
    {
        /// <summary>Keys last used longer ago than this, or never used and created longer ago than this.</summary>
        public TimeSpan? UnusedFor { get; set; }
        /// <summary>Keys created longer ago than this.</summary>
        public TimeSpan? OlderThan { get; set; }

        /// <summary>True when the key's age passes -OlderThan (checked before its last use is asked for).</summary>
        public bool KeepsCreated(DateTime createDate, DateTime now) => OlderThan == null || now - createDate > OlderThan.Value;

        public bool KeepsLastUsed(DateTime createDate, DateTime? lastUsedDate, DateTime now) => UnusedFor == null || now - (lastUsedDate ?? createDate) > UnusedFor.Value;
    }

    /// <summary>
    /// Get-S3AccessKey: the access keys of the users chosen as Get-S3User chooses them, each with when and where it was
    /// last used. Per user, one after another: ListAccessKeys, then (when it has keys) ListUserTags, then
    /// GetAccessKeyLastUsed for each key that -OlderThan keeps; at most <c>limit</c> users at once, so no more than
    /// <c>limit</c> requests are in flight. Users in listing order, each user's keys oldest first; one user's failure
    /// is that user's error.
    /// </summary>
    public static class AccessKeyInspection
    {
        public static async Task<IReadOnlyList<ItemResult<string, IReadOnlyList<S3AccessKey>>>> GetAccessKeysAsync(AwsSession session, IReadOnlyCollection<string> namePatterns,
            bool managedOnly, AccessKeyFilter filter, DateTime now, int limit, IOperationHost host, CancellationToken cancellationToken)
        {
            filter = filter ?? new AccessKeyFilter();
            var (patterns, invalid) = IamInspection.CheckNames<IReadOnlyList<S3AccessKey>>(namePatterns, name => Policies.S3Names.ValidateUserNamePattern(name));
            if (patterns == null)
                return invalid;
            namePatterns = patterns;
            using (var iam = session.CreateIamClient())
            {
                var (names, missing) = await IamInspection.SelectUserNamesAsync(iam, namePatterns, managedOnly, cancellationToken).ConfigureAwait(false);
                var results = await BoundedConcurrency.MapAsync(names, limit, async (name, ct) =>
                {
                    List<IamAccessKey> keys;
                    try
                    {
                        keys = await IamPager.CollectAsync((m, c) => iam.ListAccessKeysAsync(name, m, c), ct).ConfigureAwait(false);
                    }
                    catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
                    {
                        throw IamInspection.UserNotFound(name, e);
                    }
                    if (keys.Count == 0)
                        return (IReadOnlyList<S3AccessKey>)Array.Empty<S3AccessKey>();
                    var managed = CredentialPlan.HasManagedTag(await IamPager.CollectAsync((m, c) => iam.ListUserTagsAsync(name, m, c), ct).ConfigureAwait(false));
                    var found = new List<S3AccessKey>();
                    if (managedOnly && !managed)
                        return found; // at the module's path without its tag: left out, as Get-S3User -Managed does
                    foreach (var key in keys.OrderBy(k => k.CreateDate).ThenBy(k => k.AccessKeyId, StringComparer.Ordinal))
                    {
                        if (!filter.KeepsCreated(key.CreateDate, now))
                            continue;
                        var used = await iam.GetAccessKeyLastUsedAsync(key.AccessKeyId, ct).ConfigureAwait(false);
                        if (!filter.KeepsLastUsed(key.CreateDate, used.LastUsedDate, now))
                            continue;
                        found.Add(new S3AccessKey
                        {
                            UserName = key.UserName ?? name,
                            AccessKeyId = key.AccessKeyId,
                            Status = key.Status,
                            CreateDate = key.CreateDate,
                            Age = (int)Math.Floor((now - key.CreateDate).TotalDays),
                            LastUsedDate = used.LastUsedDate,
                            LastUsedService = used.ServiceName,
                            LastUsedRegion = used.Region,
                            IsManaged = managed,
                        });
                    }
                    return (IReadOnlyList<S3AccessKey>)found;
                }, host, "Reading IAM access keys", cancellationToken).ConfigureAwait(false);
                var list = invalid.Concat(results).ToList();
                list.AddRange(missing.Select(name => IamInspection.MissingUser<IReadOnlyList<S3AccessKey>>(name, managedOnly)));
                return list;
            }
        }
    }
}
