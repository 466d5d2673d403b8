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
    /// Get-S3User, Get-S3UserPolicy and Get-S3Role. Many users or roles are read in a handful of calls: IAM's
    /// GetAccountAuthorizationDetails returns them with their tags, inline policy documents and attached policies, a page
    /// of up to 100 at a time. What it lacks is read only when the output needs it (a user's access keys; the documents of
    /// attached managed policies, once per ARN). A few exact names (at most <see cref="OneByOneUpTo"/>) are read one by
    /// one instead, with no listing. Every call that does not depend on another is sent at once, within one bound on the
    /// requests in flight (<c>limit</c>, a <see cref="RequestGate"/>); results stream out in name order as each is ready
    /// (the Stream methods; the Get methods collect them), one item's failure reported for that item only. A name or
    /// pattern that can match no IAM name is its own error, before any request.
    /// </summary>
    public static class IamInspection
    {
        /// <summary>Up to this many exact names are read one by one; more names, or any wildcard, read the whole account.</summary>
        public const int OneByOneUpTo = 10;

        /// <summary>How many items are started ahead of the last one handed on, per request allowed in flight.</summary>
        internal const int ItemsAheadPerRequest = 4;

        public static Task<IReadOnlyList<ItemResult<string, S3User>>> GetUsersAsync(AwsSession session, IReadOnlyCollection<string> namePatterns, bool managedOnly,
            int limit, IOperationHost host, CancellationToken cancellationToken, bool includeAccessKeyCount = false)
            => CollectAsync<string, S3User>(onResult => StreamUsersAsync(session, namePatterns, managedOnly, limit, host, onResult, cancellationToken, includeAccessKeyCount));

        /// <summary>
        /// The users, sorted by name, from the whole account's details (users with their tags): one request per 100 users.
        /// With includeAccessKeyCount, ListAccessKeys per user too, for AccessKeyCount (otherwise null), all within the limit.
        /// With managedOnly, only users at the module's path with its tag.
        /// </summary>
        public static async Task StreamUsersAsync(AwsSession session, IReadOnlyCollection<string> namePatterns, bool managedOnly,
            int limit, IOperationHost host, Action<ItemResult<string, S3User>> onResult, CancellationToken cancellationToken, bool includeAccessKeyCount = false)
        {
            if (!StartWithInvalid<S3User>(ref namePatterns, name => AwsNames.ValidateUserNamePattern(name), onResult))
                return;
            using (var iam = session.CreateIamClient())
            using (var gate = new RequestGate(limit))
            {
                var users = await SelectUserDetailsAsync(iam, gate, namePatterns, managedOnly, UserDetailParts.Tags, host, cancellationToken).ConfigureAwait(false);
                async Task<S3User> ReadAsync(IamUserDetail found, CancellationToken ct)
                {
                    var detail = await users.CompleteAsync(found, ct).ConfigureAwait(false);
                    var user = detail.User;
                    var keys = includeAccessKeyCount
                        ? await gate.CollectPagesAsync((m, x) => iam.ListAccessKeysAsync(user.UserName, m, x), ct).ConfigureAwait(false)
                        : null;
                    return new S3User
                    {
                        UserName = user.UserName,
                        UserId = user.UserId,
                        Arn = user.Arn,
                        Path = user.Path,
                        CreateDate = user.CreateDate,
                        Tags = string.Join("; ", user.Tags.Select(t => t.Key + "=" + t.Value)),
                        AccessKeyCount = keys?.Count,
                        IsManaged = CredentialPlan.HasManagedTag(user.Tags),
                    };
                }
                await BoundedConcurrency.StreamAsync(users.Selected, limit * ItemsAheadPerRequest, ReadAsync,
                    r => onResult(new ItemResult<string, S3User>(r.Input.User.UserName, r.Value, r.Error)), host, "Reading IAM users", cancellationToken).ConfigureAwait(false);
                foreach (var name in users.Missing)
                    onResult(MissingUser<S3User>(name, managedOnly));
            }
        }

        public static async Task<IReadOnlyList<ItemResult<string, IReadOnlyList<S3UserPolicy>>>> GetUserPoliciesAsync(AwsSession session, IReadOnlyCollection<string> userNames,
            int limit, IOperationHost host, CancellationToken cancellationToken)
            => await CollectAsync<string, IReadOnlyList<S3UserPolicy>>(onResult => StreamUserPoliciesAsync(session, userNames, limit, host, onResult, cancellationToken)).ConfigureAwait(false);

        /// <summary>
        /// Each user's inline policies (with documents) and attached policies (with their default version's document), in
        /// user order. From the whole account's details, or, for a few exact names, per user: ListUserPolicies and
        /// ListAttachedUserPolicies at once, then GetUserPolicy for every inline policy at once.
        /// </summary>
        public static async Task StreamUserPoliciesAsync(AwsSession session, IReadOnlyCollection<string> userNames,
            int limit, IOperationHost host, Action<ItemResult<string, IReadOnlyList<S3UserPolicy>>> onResult, CancellationToken cancellationToken)
        {
            if (!StartWithInvalid<IReadOnlyList<S3UserPolicy>>(ref userNames, name => AwsNames.ValidateUserNamePattern(name), onResult))
                return;
            using (var iam = session.CreateIamClient())
            using (var gate = new RequestGate(limit))
            {
                var managedDocuments = new ManagedPolicyDocuments(iam, gate);
                var items = ExactNamesToReadOneByOne(userNames, false);
                var missing = new List<string>();
                UserDetails users = null;
                Dictionary<string, IamUserDetail> details = null;
                if (items == null)
                {
                    users = await SelectUserDetailsAsync(iam, gate, userNames, false, UserDetailParts.Policies, host, cancellationToken).ConfigureAwait(false);
                    missing = users.Missing;
                    details = users.Selected.ToDictionary(d => d.User.UserName, StringComparer.Ordinal);
                    items = users.Selected.Select(d => d.User.UserName).ToList();
                }
                await BoundedConcurrency.StreamAsync(items, limit * ItemsAheadPerRequest, async (name, ct) =>
                {
                    IReadOnlyList<IamInlinePolicy> inline;
                    IReadOnlyList<IamAttachedPolicy> attached;
                    if (details != null)
                    {
                        var detail = await users.CompleteAsync(details[name], ct).ConfigureAwait(false);
                        (inline, attached) = (detail.InlinePolicies, detail.AttachedPolicies);
                    }
                    else
                    {
                        try
                        {
                            (inline, attached) = await ReadPoliciesOneByOneAsync(gate, name, iam.ListUserPoliciesAsync, iam.GetUserPolicyAsync, iam.ListAttachedUserPoliciesAsync, ct).ConfigureAwait(false);
                        }
                        catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
                        {
                            throw UserNotFound(name, e);
                        }
                    }
                    var documents = await Task.WhenAll(attached.Select(a => managedDocuments.GetAsync(a.PolicyArn, ct))).ConfigureAwait(false);
                    return (IReadOnlyList<S3UserPolicy>)inline
                        .Select(p => new S3UserPolicy { UserName = name, PolicyName = p.PolicyName, Kind = "Inline", PolicyDocument = p.PolicyDocument })
                        .Concat(attached.Select((a, i) => new S3UserPolicy { UserName = name, PolicyName = a.PolicyName, Kind = "Attached", PolicyArn = a.PolicyArn, PolicyDocument = documents[i] }))
                        .ToList();
                }, onResult, host, "Reading IAM user policies", cancellationToken).ConfigureAwait(false);
                foreach (var name in missing)
                    onResult(MissingUser<IReadOnlyList<S3UserPolicy>>(name, false));
            }
        }

        public static Task<IReadOnlyList<ItemResult<string, S3Role>>> GetRolesAsync(AwsSession session, IReadOnlyCollection<string> namePatterns, bool detail,
            int limit, IOperationHost host, CancellationToken cancellationToken)
            => CollectAsync<string, S3Role>(onResult => StreamRolesAsync(session, namePatterns, detail, limit, host, onResult, cancellationToken));

        /// <summary>
        /// The roles, sorted by name, from ListRoles. With detail, their policies too: the whole account's role details,
        /// read at the same time as the listing (it lacks a role's description and maximum session), or, for a few exact
        /// names, per role as <see cref="StreamUserPoliciesAsync"/> does per user.
        /// </summary>
        public static async Task StreamRolesAsync(AwsSession session, IReadOnlyCollection<string> namePatterns, bool detail,
            int limit, IOperationHost host, Action<ItemResult<string, S3Role>> onResult, CancellationToken cancellationToken)
        {
            if (!StartWithInvalid<S3Role>(ref namePatterns, name => AwsNames.ValidateRoleNamePattern(name), onResult))
                return;
            using (var iam = session.CreateIamClient())
            using (var gate = new RequestGate(limit))
            {
                var readDetails = detail && ExactNamesToReadOneByOne(namePatterns, false) == null;
                var detailsTask = readDetails
                    ? OrRefusedAsync(gate.CollectPagesAsync((m, x) => iam.GetRoleDetailsAsync(m, cancellationToken: x), cancellationToken),
                        "roles", "ListRoles", "each role's ListRolePolicies, GetRolePolicy and ListAttachedRolePolicies", host)
                    : Task.FromResult(new List<IamRoleDetail>());
                var roles = await gate.CollectPagesAsync((m, x) => iam.ListRolesAsync(m, cancellationToken: x), cancellationToken).ConfigureAwait(false);
                // Refused: every role is read on its own, as a role made after the details were read is.
                var details = ((await detailsTask.ConfigureAwait(false)) ?? new List<IamRoleDetail>()).ToDictionary(d => d.Role.RoleName, StringComparer.Ordinal);
                var byName = roles.ToDictionary(r => r.RoleName, StringComparer.Ordinal);
                var (matched, missing) = NamePattern.Select(SortedNames(roles.Select(r => r.RoleName)), namePatterns, ignoreCase: true);
                var managedDocuments = new ManagedPolicyDocuments(iam, gate);
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
                    // Everything is in the listing: no further call.
                    foreach (var name in matched)
                        onResult(new ItemResult<string, S3Role>(name, Summary(name), null));
                }
                else
                {
                    await BoundedConcurrency.StreamAsync(matched, limit * ItemsAheadPerRequest, async (name, ct) =>
                    {
                        var result = Summary(name);
                        // A role made after the details were read is read on its own.
                        var (inline, attached) = details.TryGetValue(name, out var known)
                            ? (known.InlinePolicies, known.AttachedPolicies)
                            : await ReadPoliciesOneByOneAsync(gate, name, iam.ListRolePoliciesAsync, iam.GetRolePolicyAsync, iam.ListAttachedRolePoliciesAsync, ct).ConfigureAwait(false);
                        var attachedDocuments = await Task.WhenAll(attached.Select(a => managedDocuments.GetAsync(a.PolicyArn, ct))).ConfigureAwait(false);
                        result.InlinePolicyNames = string.Join("; ", inline.Select(p => p.PolicyName));
                        result.AttachedPolicyArns = string.Join("; ", attached.Select(a => a.PolicyArn));
                        result.PolicyDocuments = JsonObjectOf(inline.Select(p => new KeyValuePair<string, string>(p.PolicyName, p.PolicyDocument))
                            .Concat(attached.Select((a, i) => new KeyValuePair<string, string>(a.PolicyArn, attachedDocuments[i]))));
                        return result;
                    }, onResult, host, "Reading IAM roles", cancellationToken).ConfigureAwait(false);
                }
                foreach (var name in missing)
                    onResult(NotFound<S3Role>(name, "Role", "RoleName"));
            }
        }

        /// <summary>Runs a streaming read and collects its results in the order they were handed on.</summary>
        internal static async Task<IReadOnlyList<ItemResult<TInput, TOutput>>> CollectAsync<TInput, TOutput>(Func<Action<ItemResult<TInput, TOutput>>, Task> stream)
        {
            var results = new List<ItemResult<TInput, TOutput>>();
            await stream(result => { lock (results) results.Add(result); }).ConfigureAwait(false);
            return results;
        }

        /// <summary>
        /// Hands on an error for each name that can match no IAM name and keeps the others in <paramref name="names"/>; false
        /// when nothing is left to read (every given name was refused).
        /// </summary>
        internal static bool StartWithInvalid<T>(ref IReadOnlyCollection<string> names, Action<string> validate, Action<ItemResult<string, T>> onResult)
        {
            var (valid, invalid) = CheckNames<T>(names, validate);
            foreach (var error in invalid)
                onResult(error);
            names = valid;
            return valid != null;
        }

        /// <summary>The exact names to read one by one, without a listing; null when the whole account is to be read instead.</summary>
        internal static List<string> ExactNamesToReadOneByOne(IReadOnlyCollection<string> namePatterns, bool managedOnly)
        {
            if (managedOnly || namePatterns == null || namePatterns.Count == 0 || namePatterns.Any(n => n.IndexOf('*') >= 0 || n.IndexOf('?') >= 0))
                return null;
            var names = namePatterns.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            return names.Count <= OneByOneUpTo ? names : null;
        }

        /// <summary>What a reader needs of each user beyond the listing, when GetAccountAuthorizationDetails is refused.</summary>
        [Flags]
        internal enum UserDetailParts
        {
            None = 0,
            Tags = 1,
            Policies = 2,
        }

        /// <summary>The users chosen, the exact names that matched none, and how to complete a user's detail.</summary>
        internal sealed class UserDetails
        {
            private readonly Func<IamUserDetail, CancellationToken, Task<IamUserDetail>> _complete;

            public UserDetails(List<IamUserDetail> selected, List<string> missing, Func<IamUserDetail, CancellationToken, Task<IamUserDetail>> complete)
            {
                Selected = selected;
                Missing = missing;
                _complete = complete;
            }

            public List<IamUserDetail> Selected { get; }
            public List<string> Missing { get; }

            /// <summary>
            /// The user's detail with the parts asked for: as it is when it came from the account's details; after the
            /// fallback, read now (under the gate, the calls at once).
            /// </summary>
            public Task<IamUserDetail> CompleteAsync(IamUserDetail detail, CancellationToken cancellationToken) => _complete(detail, cancellationToken);
        }

        /// <summary>
        /// The account's users (with managedOnly, those at the module's path with its tag) that match the patterns, sorted by
        /// name, from GetAccountAuthorizationDetails; and the exact names among the patterns that matched none. When that
        /// request is refused (AccessDenied), from ListUsers instead, with each chosen user's <paramref name="parts"/> read
        /// per user as it is completed (with managedOnly, the tags of the users at the module's path first, to choose).
        /// </summary>
        internal static async Task<UserDetails> SelectUserDetailsAsync(IIamClient iam, RequestGate gate,
            IReadOnlyCollection<string> namePatterns, bool managedOnly, UserDetailParts parts, IOperationHost host, CancellationToken cancellationToken)
        {
            Func<IamUserDetail, CancellationToken, Task<IamUserDetail>> complete = (d, ct) => Task.FromResult(d);
            var details = await OrRefusedAsync(gate.CollectPagesAsync((m, x) => iam.GetUserDetailsAsync(m, cancellationToken: x), cancellationToken),
                "users", "ListUsers", FallbackCalls(parts), host).ConfigureAwait(false);
            if (details == null)
            {
                var users = await gate.CollectPagesAsync((m, x) => iam.ListUsersAsync(m, cancellationToken: x), cancellationToken).ConfigureAwait(false);
                complete = (d, ct) => CompleteUserAsync(iam, gate, d, parts, ct);
                details = users.Select(u => new IamUserDetail { User = u }).ToList();
                if (managedOnly)
                {
                    var atPath = details.Where(d => (d.User.Path ?? "").StartsWith(CredentialPlan.ManagedPath, StringComparison.Ordinal)).ToList();
                    details = (await Task.WhenAll(atPath.Select(d => CompleteUserAsync(iam, gate, d, parts | UserDetailParts.Tags, cancellationToken))).ConfigureAwait(false)).ToList();
                    complete = (d, ct) => Task.FromResult(d);
                }
            }
            var byName = details
                .Where(d => !managedOnly || ((d.User.Path ?? "").StartsWith(CredentialPlan.ManagedPath, StringComparison.Ordinal) && CredentialPlan.HasManagedTag(d.User.Tags)))
                .ToDictionary(d => d.User.UserName, StringComparer.Ordinal);
            var (matched, missing) = NamePattern.Select(SortedNames(byName.Keys), namePatterns, ignoreCase: true);
            return new UserDetails(matched.Select(name => byName[name]).ToList(), missing, complete);
        }

        private static string FallbackCalls(UserDetailParts parts)
        {
            var calls = new List<string>();
            if ((parts & UserDetailParts.Tags) != 0) calls.Add("ListUserTags");
            if ((parts & UserDetailParts.Policies) != 0) calls.Add("ListUserPolicies, GetUserPolicy and ListAttachedUserPolicies");
            return calls.Count == 0 ? "no call per user" : "each user's " + string.Join(" and ", calls);
        }

        /// <summary>
        /// A whole-account read, or null when IAM refuses it (AccessDenied): then one Verbose line says so, once, and which
        /// list calls take its place.
        /// </summary>
        private static async Task<List<T>> OrRefusedAsync<T>(Task<List<T>> read, string what, string listCall, string instead, IOperationHost host)
        {
            try
            {
                return await read.ConfigureAwait(false);
            }
            catch (IamServiceException e) when (e.ErrorCode == "AccessDenied")
            {
                host?.Verbose($"iam:GetAccountAuthorizationDetails was refused (AccessDenied), so the {what} are read with {listCall} and {instead} instead: more requests, the same result.");
                return null;
            }
        }

        /// <summary>A user from ListUsers with the parts asked for read now: its tags, its policies, at once.</summary>
        private static async Task<IamUserDetail> CompleteUserAsync(IIamClient iam, RequestGate gate, IamUserDetail detail, UserDetailParts parts, CancellationToken cancellationToken)
        {
            var name = detail.User.UserName;
            try
            {
                var tagsTask = (parts & UserDetailParts.Tags) != 0
                    ? gate.CollectPagesAsync((m, x) => iam.ListUserTagsAsync(name, m, x), cancellationToken)
                    : Task.FromResult(detail.User.Tags.ToList());
                var policiesTask = (parts & UserDetailParts.Policies) != 0
                    ? ReadPoliciesOneByOneAsync(gate, name, iam.ListUserPoliciesAsync, iam.GetUserPolicyAsync, iam.ListAttachedUserPoliciesAsync, cancellationToken)
                    : Task.FromResult((detail.InlinePolicies, detail.AttachedPolicies));
                var tags = await tagsTask.ConfigureAwait(false);
                var (inline, attached) = await policiesTask.ConfigureAwait(false);
                return new IamUserDetail
                {
                    User = detail.User.WithTags(tags),
                    InlinePolicies = inline,
                    AttachedPolicies = attached,
                    GroupNames = detail.GroupNames,
                };
            }
            catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
            {
                throw UserNotFound(name, e);
            }
        }

        /// <summary>
        /// One user's or role's policies without the whole-account read: the inline names and the attached policies at once,
        /// then every inline document at once.
        /// </summary>
        private static async Task<(IReadOnlyList<IamInlinePolicy> Inline, IReadOnlyList<IamAttachedPolicy> Attached)> ReadPoliciesOneByOneAsync(RequestGate gate, string owner,
            Func<string, string, CancellationToken, Task<IamPage<string>>> listInline, Func<string, string, CancellationToken, Task<IamInlinePolicy>> getInline,
            Func<string, string, CancellationToken, Task<IamPage<IamAttachedPolicy>>> listAttached, CancellationToken cancellationToken)
        {
            var attachedTask = gate.CollectPagesAsync((m, x) => listAttached(owner, m, x), cancellationToken);
            var inlineNames = await gate.CollectPagesAsync((m, x) => listInline(owner, m, x), cancellationToken).ConfigureAwait(false);
            var inline = await Task.WhenAll(inlineNames.Select(name => gate.RunAsync(x => getInline(owner, name, x), cancellationToken))).ConfigureAwait(false);
            return (inline, await attachedTask.ConfigureAwait(false));
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
            private readonly RequestGate _gate;
            private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _documents = new ConcurrentDictionary<string, Lazy<Task<string>>>(StringComparer.Ordinal);

            public ManagedPolicyDocuments(IIamClient iam, RequestGate gate)
            {
                _iam = iam;
                _gate = gate;
            }

            public async Task<string> GetAsync(string policyArn, CancellationToken cancellationToken)
            {
                var entry = _documents.GetOrAdd(policyArn, arn => new Lazy<Task<string>>(async () =>
                {
                    var policy = await _gate.RunAsync(x => _iam.GetPolicyAsync(arn, x), cancellationToken).ConfigureAwait(false);
                    return (await _gate.RunAsync(x => _iam.GetPolicyVersionAsync(arn, policy.DefaultVersionId, x), cancellationToken).ConfigureAwait(false)).Document;
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
