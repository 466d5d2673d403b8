using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.NewCredential;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// Get-S3User, Get-S3UserPolicy and Get-S3Role: every listing paginated and sorted by name, per-item calls run with at most
    /// <c>limit</c> items at once (each item's own calls one after another, so no more than <c>limit</c>
    /// requests are ever in flight), results in listing order, one item's failure reported for that item only. A name or
    /// pattern that can match no IAM name is its own error, before any request.
    /// </summary>
    public static class IamInspection
    {
        public static async Task<IReadOnlyList<ItemResult<string, S3User>>> GetUsersAsync(AwsSession session, IReadOnlyCollection<string> namePatterns, bool managedOnly,
            int limit, IOperationHost host, CancellationToken cancellationToken)
        {
            var (patterns, invalid) = CheckNames<S3User>(namePatterns, name => Policies.S3Names.ValidateUserNamePattern(name));
            if (patterns == null)
                return invalid;
            namePatterns = patterns;
            using (var iam = session.CreateIamClient())
            {
                var users = await IamPager.CollectAsync((m, ct) => iam.ListUsersAsync(m, managedOnly ? CredentialPlan.ManagedPath : null, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
                var byName = users.ToDictionary(u => u.UserName, StringComparer.Ordinal);
                var (matched, missing) = NamePattern.Select(SortedNames(users.Select(u => u.UserName)), namePatterns, ignoreCase: true);
                var results = await BoundedConcurrency.MapAsync(matched, limit, async (name, ct) =>
                {
                    var user = byName[name];
                    var keys = await IamPager.CollectAsync((m, c) => iam.ListAccessKeysAsync(name, m, c), ct).ConfigureAwait(false);
                    var tags = await IamPager.CollectAsync((m, c) => iam.ListUserTagsAsync(name, m, c), ct).ConfigureAwait(false);
                    return new S3User
                    {
                        UserName = user.UserName,
                        UserId = user.UserId,
                        Arn = user.Arn,
                        Path = user.Path,
                        CreateDate = user.CreateDate,
                        Tags = string.Join("; ", tags.Select(t => t.Key + "=" + t.Value)),
                        AccessKeyCount = keys.Count,
                        IsManaged = CredentialPlan.HasManagedTag(tags),
                    };
                }, host, "Reading IAM users", cancellationToken).ConfigureAwait(false);
                var list = invalid.Concat(results.Where(r => !managedOnly || r.Error != null || r.Value.IsManaged)).ToList();
                list.AddRange(missing.Select(name => MissingUser<S3User>(name, managedOnly)));
                return list;
            }
        }

        public static async Task<IReadOnlyList<ItemResult<string, IReadOnlyList<S3UserPolicy>>>> GetUserPoliciesAsync(AwsSession session, IReadOnlyCollection<string> userNames,
            int limit, IOperationHost host, CancellationToken cancellationToken)
        {
            var (patterns, invalid) = CheckNames<IReadOnlyList<S3UserPolicy>>(userNames, name => Policies.S3Names.ValidateUserNamePattern(name));
            if (patterns == null)
                return invalid;
            userNames = patterns;
            using (var iam = session.CreateIamClient())
            {
                var (names, missing) = await SelectUserNamesAsync(iam, userNames, false, cancellationToken).ConfigureAwait(false);
                var managedDocuments = new ManagedPolicyDocuments(iam);
                var results = await BoundedConcurrency.MapAsync(names, limit, async (name, ct) =>
                {
                    var policies = new List<S3UserPolicy>();
                    List<string> inlineNames;
                    try
                    {
                        inlineNames = await IamPager.CollectAsync((m, c) => iam.ListUserPoliciesAsync(name, m, c), ct).ConfigureAwait(false);
                    }
                    catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
                    {
                        throw UserNotFound(name, e);
                    }
                    foreach (var policyName in inlineNames)
                    {
                        var inline = await iam.GetUserPolicyAsync(name, policyName, ct).ConfigureAwait(false);
                        policies.Add(new S3UserPolicy { UserName = name, PolicyName = policyName, Kind = "Inline", PolicyDocument = inline.PolicyDocument });
                    }
                    foreach (var attached in await IamPager.CollectAsync((m, c) => iam.ListAttachedUserPoliciesAsync(name, m, c), ct).ConfigureAwait(false))
                        policies.Add(new S3UserPolicy
                        {
                            UserName = name, PolicyName = attached.PolicyName, Kind = "Attached", PolicyArn = attached.PolicyArn,
                            PolicyDocument = await managedDocuments.GetAsync(attached.PolicyArn, ct).ConfigureAwait(false),
                        });
                    return (IReadOnlyList<S3UserPolicy>)policies;
                }, host, "Reading IAM user policies", cancellationToken).ConfigureAwait(false);
                var list = invalid.Concat(results).ToList();
                list.AddRange(missing.Select(name => MissingUser<IReadOnlyList<S3UserPolicy>>(name, false)));
                return list;
            }
        }

        public static async Task<IReadOnlyList<ItemResult<string, S3Role>>> GetRolesAsync(AwsSession session, IReadOnlyCollection<string> namePatterns, bool detail,
            int limit, IOperationHost host, CancellationToken cancellationToken)
        {
            var (patterns, invalid) = CheckNames<S3Role>(namePatterns, name => Policies.S3Names.ValidateRoleNamePattern(name));
            if (patterns == null)
                return invalid;
            namePatterns = patterns;
            using (var iam = session.CreateIamClient())
            {
                var roles = await IamPager.CollectAsync((m, ct) => iam.ListRolesAsync(m, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
                var byName = roles.ToDictionary(r => r.RoleName, StringComparer.Ordinal);
                var (matched, missing) = NamePattern.Select(SortedNames(roles.Select(r => r.RoleName)), namePatterns, ignoreCase: true);
                var managedDocuments = new ManagedPolicyDocuments(iam);
                S3Role Summary(string name)
                {
                    var role = byName[name];
                    return new S3Role
                    {
                        RoleName = role.RoleName,
                        RoleId = role.RoleId,
                        Arn = role.Arn,
                        Path = role.Path,
                        CreateDate = role.CreateDate,
                        Description = role.Description,
                        MaxSessionDuration = role.MaxSessionDuration,
                        AssumeRolePolicyDocument = role.AssumeRolePolicyDocument,
                        IsManaged = (role.Path ?? "").StartsWith(CredentialPlan.ManagedPath, StringComparison.Ordinal),
                    };
                }
                if (!detail)
                {
                    // Everything is in the listing: no further call, nothing to throttle.
                    var summaries = invalid.Concat(matched.Select(name => new ItemResult<string, S3Role>(name, Summary(name), null))).ToList();
                    summaries.AddRange(missing.Select(name => NotFound<S3Role>(name, "Role", "RoleName")));
                    return summaries;
                }
                var results = await BoundedConcurrency.MapAsync(matched, limit, async (name, ct) =>
                {
                    var result = Summary(name);
                    var documents = new List<KeyValuePair<string, string>>();
                    var inlineNames = await IamPager.CollectAsync((m, c) => iam.ListRolePoliciesAsync(name, m, c), ct).ConfigureAwait(false);
                    foreach (var policyName in inlineNames)
                        documents.Add(new KeyValuePair<string, string>(policyName, (await iam.GetRolePolicyAsync(name, policyName, ct).ConfigureAwait(false)).PolicyDocument));
                    var attached = await IamPager.CollectAsync((m, c) => iam.ListAttachedRolePoliciesAsync(name, m, c), ct).ConfigureAwait(false);
                    foreach (var policy in attached)
                        documents.Add(new KeyValuePair<string, string>(policy.PolicyArn, await managedDocuments.GetAsync(policy.PolicyArn, ct).ConfigureAwait(false)));
                    result.InlinePolicyNames = string.Join("; ", inlineNames);
                    result.AttachedPolicyArns = string.Join("; ", attached.Select(a => a.PolicyArn));
                    result.PolicyDocuments = JsonObjectOf(documents);
                    return result;
                }, host, "Reading IAM roles", cancellationToken).ConfigureAwait(false);
                var list = invalid.Concat(results).ToList();
                list.AddRange(missing.Select(name => NotFound<S3Role>(name, "Role", "RoleName")));
                return list;
            }
        }

        /// <summary>
        /// Names or patterns that can never match an IAM name are each their own error, found before any request. Returns the
        /// others (all names when none was given) and those errors; the names are null when every given name was refused,
        /// so that nothing is listed: refused names must not turn into "every user".
        /// </summary>
        internal static (IReadOnlyCollection<string> Valid, List<ItemResult<string, T>> Invalid) CheckNames<T>(IReadOnlyCollection<string> names, Action<string> validate)
        {
            var valid = new List<string>();
            var invalid = new List<ItemResult<string, T>>();
            foreach (var name in names ?? Array.Empty<string>())
            {
                try
                {
                    validate(name);
                    valid.Add(name);
                }
                catch (S3CredentialsException e)
                {
                    invalid.Add(new ItemResult<string, T>(name, default, e));
                }
            }
            return (invalid.Count > 0 && valid.Count == 0 ? null : valid, invalid);
        }

        /// <summary>
        /// The users a per-user read visits: exact names as given, without a listing (a missing one fails on its first
        /// call); otherwise the users listed (with managedOnly, only those at the module's path) that match the patterns,
        /// sorted, and the exact names among the patterns that matched none.
        /// </summary>
        internal static async Task<(List<string> Names, List<string> Missing)> SelectUserNamesAsync(IIamClient iam, IReadOnlyCollection<string> namePatterns, bool managedOnly,
            CancellationToken cancellationToken)
        {
            if (!managedOnly && namePatterns != null && namePatterns.Count > 0 && namePatterns.All(n => n.IndexOf('*') < 0 && n.IndexOf('?') < 0))
                return (namePatterns.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), new List<string>()); // exact names: no listing needed
            var users = await IamPager.CollectAsync((m, ct) => iam.ListUsersAsync(m, managedOnly ? CredentialPlan.ManagedPath : null, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            return NamePattern.Select(SortedNames(users.Select(u => u.UserName)), namePatterns, ignoreCase: true);
        }

        /// <summary>An exact name that matched no user (with managedOnly: none of the module's users).</summary>
        internal static ItemResult<string, T> MissingUser<T>(string name, bool managedOnly) => managedOnly
            ? new ItemResult<string, T>(name, default, new S3CredentialsException("UserNotFound", FailureKind.ObjectNotFound,
                $"IAM user '{name}' does not exist or was not made by this module (-Managed).", "UserName"))
            : NotFound<T>(name, "User", "UserName");

        /// <summary>Listings come out sorted by name (IAM names are unique regardless of case).</summary>
        private static IEnumerable<string> SortedNames(IEnumerable<string> names) => names.OrderBy(n => n, StringComparer.OrdinalIgnoreCase);

        internal static S3CredentialsException UserNotFound(string name, Exception inner = null)
            => new S3CredentialsException("UserNotFound", FailureKind.ObjectNotFound, $"IAM user '{name}' does not exist.", "UserName", inner);

        private static ItemResult<string, T> NotFound<T>(string name, string what, string parameter)
            => new ItemResult<string, T>(name, default,
                new S3CredentialsException(what + "NotFound", FailureKind.ObjectNotFound, $"IAM {what.ToLowerInvariant()} '{name}' does not exist.", parameter));

        /// <summary>{"name or ARN": document, ...}, with each document embedded as JSON, not as a string.</summary>
        private static string JsonObjectOf(IEnumerable<KeyValuePair<string, string>> documents)
        {
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream))
                {
                    writer.WriteStartObject();
                    foreach (var document in documents)
                    {
                        writer.WritePropertyName(document.Key);
                        using (var parsed = JsonDocument.Parse(document.Value))
                            parsed.RootElement.WriteTo(writer);
                    }
                    writer.WriteEndObject();
                }
                return Encoding.UTF8.GetString(stream.ToArray());
            }
        }

        /// <summary>Default-version documents of managed policies, fetched once per ARN however many users or roles share them.</summary>
        private sealed class ManagedPolicyDocuments
        {
            private readonly IIamClient _iam;
            private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _documents = new ConcurrentDictionary<string, Lazy<Task<string>>>(StringComparer.Ordinal);

            public ManagedPolicyDocuments(IIamClient iam) => _iam = iam;

            public async Task<string> GetAsync(string policyArn, CancellationToken cancellationToken)
            {
                var entry = _documents.GetOrAdd(policyArn, arn => new Lazy<Task<string>>(async () =>
                {
                    var policy = await _iam.GetPolicyAsync(arn, cancellationToken).ConfigureAwait(false);
                    return (await _iam.GetPolicyVersionAsync(arn, policy.DefaultVersionId, cancellationToken).ConfigureAwait(false)).Document;
                }));
                try
                {
                    return await entry.Value.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // A failure is not remembered: the next user sharing this policy asks again.
                    ((ICollection<KeyValuePair<string, Lazy<Task<string>>>>)_documents).Remove(new KeyValuePair<string, Lazy<Task<string>>>(policyArn, entry));
                    throw;
                }
            }
        }
    }
}
