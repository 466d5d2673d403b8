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
    /// Get-S3AccessKey: the access keys of the users chosen as Get-S3User chooses them (the whole account's details, which
    /// carry each user's tags), each with when and where it was last used. Per user: ListAccessKeys, then
    /// GetAccessKeyLastUsed for every key that -OlderThan keeps, at once; a few exact names are read without a listing,
    /// ListAccessKeys and ListUserTags at once. Every call within one bound on the requests in flight (<c>limit</c>).
    /// Users in name order (exact names in the order given), streamed as each is ready; each user's keys oldest first;
    /// one user's failure is that user's error.
    /// </summary>
    public static class AccessKeyInspection
    {
        public static Task<IReadOnlyList<ItemResult<string, IReadOnlyList<S3AccessKey>>>> GetAccessKeysAsync(AwsSession session, IReadOnlyCollection<string> namePatterns,
            bool managedOnly, AccessKeyFilter filter, DateTime now, int limit, IOperationHost host, CancellationToken cancellationToken)
            => IamInspection.CollectAsync<string, IReadOnlyList<S3AccessKey>>(onResult => StreamAccessKeysAsync(session, namePatterns, managedOnly, filter, now, limit, host, onResult, cancellationToken));

        public static async Task StreamAccessKeysAsync(AwsSession session, IReadOnlyCollection<string> namePatterns, bool managedOnly, AccessKeyFilter filter, DateTime now,
            int limit, IOperationHost host, Action<ItemResult<string, IReadOnlyList<S3AccessKey>>> onResult, CancellationToken cancellationToken)
        {
            filter = filter ?? new AccessKeyFilter();
            if (!IamInspection.StartWithInvalid<IReadOnlyList<S3AccessKey>>(ref namePatterns, name => AwsNames.ValidateUserNamePattern(name), onResult))
                return;
            using (var iam = session.CreateIamClient())
            using (var gate = new RequestGate(limit))
            {
                var names = IamInspection.ExactNamesToReadOneByOne(namePatterns, managedOnly);
                var missing = new List<string>();
                Dictionary<string, IamUserDetail> details = null;
                IamInspection.UserDetails users = null;
                if (names == null)
                {
                    users = await IamInspection.SelectUserDetailsAsync(iam, gate, namePatterns, managedOnly, IamInspection.UserDetailParts.Tags, host, cancellationToken).ConfigureAwait(false);
                    missing = users.Missing;
                    details = users.Selected.ToDictionary(d => d.User.UserName, StringComparer.Ordinal);
                    names = users.Selected.Select(d => d.User.UserName).ToList();
                }
                await BoundedConcurrency.StreamAsync(names, limit * IamInspection.ItemsAheadPerRequest, async (name, ct) =>
                {
                    List<IamAccessKey> keys;
                    IReadOnlyList<IamTag> tags;
                    try
                    {
                        var keysTask = gate.CollectPagesAsync((m, x) => iam.ListAccessKeysAsync(name, m, x), ct);
                        tags = details != null ? (await users.CompleteAsync(details[name], ct).ConfigureAwait(false)).User.Tags
                            : await gate.CollectPagesAsync((m, x) => iam.ListUserTagsAsync(name, m, x), ct).ConfigureAwait(false);
                        keys = await keysTask.ConfigureAwait(false);
                    }
                    catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
                    {
                        throw IamInspection.UserNotFound(name, e);
                    }
                    var managed = CredentialPlan.HasManagedTag(tags);
                    var kept = keys.Where(k => filter.KeepsCreated(k.CreateDate, now))
                        .OrderBy(k => k.CreateDate).ThenBy(k => k.AccessKeyId, StringComparer.Ordinal).ToList();
                    var uses = await Task.WhenAll(kept.Select(k => gate.RunAsync(x => iam.GetAccessKeyLastUsedAsync(k.AccessKeyId, x), ct))).ConfigureAwait(false);
                    return (IReadOnlyList<S3AccessKey>)kept.Select((key, i) => (Key: key, Used: uses[i]))
                        .Where(k => filter.KeepsLastUsed(k.Key.CreateDate, k.Used.LastUsedDate, now))
                        .Select(k => new S3AccessKey
                        {
                            UserName = k.Key.UserName ?? name,
                            AccessKeyId = k.Key.AccessKeyId,
                            Status = k.Key.Status,
                            CreateDate = k.Key.CreateDate,
                            Age = (int)Math.Floor((now - k.Key.CreateDate).TotalDays),
                            LastUsedDate = k.Used.LastUsedDate,
                            LastUsedService = k.Used.ServiceName,
                            LastUsedRegion = k.Used.Region,
                            IsManaged = managed,
                        }).ToList();
                }, onResult, host, "Reading IAM access keys", cancellationToken).ConfigureAwait(false);
                foreach (var name in missing)
                    onResult(IamInspection.MissingUser<IReadOnlyList<S3AccessKey>>(name, managedOnly));
            }
        }
    }
}
