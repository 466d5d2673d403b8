using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// Revoke-S3Credential. Temporary credentials cannot be deleted: those of a role are revoked by an inline policy on the
    /// role denying every action to sessions issued before a moment (Condition DateLessThan aws:TokenIssueTime), what the
    /// AWS console calls "revoke active sessions", under the console's own policy name; sessions issued later work.
    /// GetFederationToken credentials belong to no role: the same policy on the IAM user that made them revokes them (and
    /// its GetSessionToken sessions) but not the user's own keys, whose requests carry no token issue time.
    /// Permanent credentials are revoked by deactivating their access key.
    /// </summary>
    public sealed class RevokeCredentialOperation
    {
        private readonly AwsSession _session;
        private readonly IOperationHost _host;

        public RevokeCredentialOperation(AwsSession session, IOperationHost host)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _host = host ?? throw new ArgumentNullException(nameof(host));
        }

        /// <summary>
        /// The moment written into the policy: <paramref name="before"/>, or now, rounded up to the whole second the policy
        /// can hold (so nothing issued before the moment asked for survives). A moment after now is refused: it would
        /// also refuse credentials not yet made.
        /// </summary>
        /// <exception cref="S3CredentialsException">BeforeInFuture naming -Before.</exception>
        public static DateTime IssuedBefore(DateTime? before, DateTime utcNow)
        {
            var now = RoundUpToSecond(utcNow.ToUniversalTime());
            if (before == null)
                return now;
            var asked = RoundUpToSecond(before.Value.ToUniversalTime());
            if (asked > now)
                throw S3CredentialsException.InvalidParameter("BeforeInFuture", "Before",
                    $"-Before {asked:u} is later than now ({now:u}): it would also refuse temporary credentials not issued yet. Give a moment that has passed, or leave -Before out for now.");
            return asked;
        }

        private static DateTime RoundUpToSecond(DateTime moment)
        {
            var whole = new DateTime(moment.Ticks - moment.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
            return whole == moment ? whole : whole.AddSeconds(1);
        }

        /// <summary>Refuses every session of the role issued before the moment: its AWSRevokeOlderSessions policy. Null when declined.</summary>
        public Task<CredentialRevocation> RevokeRoleSessionsAsync(string roleName, DateTime issuedBefore, CancellationToken cancellationToken)
        {
            AwsNames.ValidateRoleName(roleName);
            return RevokeSessionsAsync("Role", roleName,
                (iam, ct) => iam.GetRolePolicyAsync(roleName, S3AccessPolicies.RevokeOlderSessionsPolicyName, ct),
                (iam, document, ct) => iam.PutRolePolicyAsync(roleName, S3AccessPolicies.RevokeOlderSessionsPolicyName, document, ct),
                (iam, ct) => iam.DeleteRolePolicyAsync(roleName, S3AccessPolicies.RevokeOlderSessionsPolicyName, ct),
                e => new S3CredentialsException("RoleNotFound", FailureKind.ObjectNotFound, $"IAM role '{roleName}' does not exist.", "RoleName", e),
                issuedBefore, cancellationToken);
        }

        /// <summary>
        /// Refuses every temporary credential the IAM user made (GetFederationToken, GetSessionToken) before the moment; the
        /// user's own access keys keep working. Null when declined.
        /// </summary>
        public Task<CredentialRevocation> RevokeUserSessionsAsync(string userName, DateTime issuedBefore, CancellationToken cancellationToken)
        {
            AwsNames.ValidateUserName(userName);
            return RevokeSessionsAsync("User", userName,
                (iam, ct) => iam.GetUserPolicyAsync(userName, S3AccessPolicies.RevokeOlderSessionsPolicyName, ct),
                (iam, document, ct) => iam.PutUserPolicyAsync(userName, S3AccessPolicies.RevokeOlderSessionsPolicyName, document, ct),
                (iam, ct) => iam.DeleteUserPolicyAsync(userName, S3AccessPolicies.RevokeOlderSessionsPolicyName, ct),
                e => IamInspection.UserNotFound(userName, e),
                issuedBefore, cancellationToken);
        }

        private async Task<CredentialRevocation> RevokeSessionsAsync(string targetType, string name,
            Func<IIamClient, CancellationToken, Task<IamInlinePolicy>> read, Func<IIamClient, string, CancellationToken, Task> write,
            Func<IIamClient, CancellationToken, Task> delete, Func<Exception, S3CredentialsException> notFound, DateTime issuedBefore, CancellationToken cancellationToken)
        {
            using (var iam = _session.CreateIamClient())
            {
                // An earlier revocation reaching later (this module's or the console's) is kept: writing an earlier moment
                // would let sessions it refuses work again.
                DateTime? existing = null;
                string previous = null;
                try
                {
                    previous = (await read(iam, cancellationToken).ConfigureAwait(false)).PolicyDocument;
                    existing = ReadIssuedBefore(previous);
                }
                catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
                {
                    // No such policy yet, or no such role or user: PutRolePolicy / PutUserPolicy will say which.
                }
                var kind = targetType == "Role" ? "role" : "user";
                if (existing >= issuedBefore)
                {
                    _host.Verbose($"The {kind} '{name}' already refuses temporary credentials issued before {existing:u}; left as it is.");
                    return Revocation(targetType, name, existing.Value, null);
                }
                var document = S3AccessPolicies.RevokeOlderSessionsPolicy(issuedBefore).ToJson();
                var what = targetType == "Role"
                    ? $"Revoke every session of the role issued before {issuedBefore:u}: put inline policy '{S3AccessPolicies.RevokeOlderSessionsPolicyName}' {document}"
                    : $"Revoke every temporary credential the user made (GetFederationToken, GetSessionToken) before {issuedBefore:u}; its access keys keep working: put inline policy '{S3AccessPolicies.RevokeOlderSessionsPolicyName}' {document}";
                // One step: its undo (run when Ctrl+C or an unclear answer leaves the write in doubt) puts back the
                // policy it replaced, or deletes it when there was none.
                var step = new OperationStep(name, what)
                {
                    Do = async ct =>
                    {
                        try
                        {
                            await write(iam, document, ct).ConfigureAwait(false);
                        }
                        catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
                        {
                            throw notFound(e);
                        }
                        return true;
                    },
                    Undo = previous != null
                        ? (Func<CancellationToken, Task>)(ct => write(iam, previous, ct))
                        : ct => IamRemoval.DoneIfAbsentAsync(() => delete(iam, ct)),
                    UndoDescription = previous != null
                        ? $"inline policy '{S3AccessPolicies.RevokeOlderSessionsPolicyName}' of the {kind} '{name}' (replaced an earlier one)"
                        : $"inline policy '{S3AccessPolicies.RevokeOlderSessionsPolicyName}' of the {kind} '{name}'",
                };
                if (!await RunStepAsync(step, cancellationToken).ConfigureAwait(false))
                    return null;
                _host.Verbose($"The {kind} '{name}' now refuses temporary credentials issued before {issuedBefore:u}.");
                return Revocation(targetType, name, issuedBefore, document);
            }
        }

        /// <summary>Deactivates one access key (its permanent credentials stop working at once; delete it with Remove-S3User or IAM). Null when declined.</summary>
        public async Task<CredentialRevocation> DeactivateKeyAsync(string userName, string accessKeyId, CancellationToken cancellationToken)
        {
            AwsNames.ValidateUserName(userName);
            AwsNames.ValidateAccessKeyId(accessKeyId);
            using (var iam = _session.CreateIamClient())
            {
                // The key's status is read when the step runs (so -WhatIf sends nothing): a key already inactive is left as
                // it is and nothing is undone; one this step deactivates is reactivated by its undo (Ctrl+C, unclear answer).
                var wasActive = false;
                var step = new OperationStep(userName, $"Deactivate access key {accessKeyId}")
                {
                    Do = async ct =>
                    {
                        try
                        {
                            List<IamAccessKey> keys = null;
                            try
                            {
                                keys = await IamPager.CollectAsync((m, c) => iam.ListAccessKeysAsync(userName, m, c), ct).ConfigureAwait(false);
                            }
                            catch (IamServiceException e) when (e.ErrorCode == "AccessDenied")
                            {
                                // Credentials that may deactivate but not list: deactivated all the same, its earlier status unknown, so no undo.
                                _host.Verbose($"Cannot list the access keys of user '{userName}' ({e.Message}); deactivating {accessKeyId} without reading its status first.");
                            }
                            if (keys != null)
                            {
                                var key = keys.FirstOrDefault(k => string.Equals(k.AccessKeyId, accessKeyId, StringComparison.Ordinal));
                                if (key == null)
                                    throw AccessKeyNotFound(userName, accessKeyId, null);
                                if (string.Equals(key.Status, "Inactive", StringComparison.OrdinalIgnoreCase))
                                    return false;
                                wasActive = true;
                            }
                            await iam.UpdateAccessKeyAsync(userName, accessKeyId, "Inactive", ct).ConfigureAwait(false);
                        }
                        catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
                        {
                            throw AccessKeyNotFound(userName, accessKeyId, e);
                        }
                        return true;
                    },
                    Undo = async ct =>
                    {
                        if (wasActive)
                            await iam.UpdateAccessKeyAsync(userName, accessKeyId, "Active", ct).ConfigureAwait(false);
                    },
                    UndoDescription = $"access key {accessKeyId} of user '{userName}' (deactivated)",
                };
                if (!await RunStepAsync(step, cancellationToken).ConfigureAwait(false))
                    return null;
            }
            _host.Verbose($"Deactivated access key {accessKeyId} of user '{userName}'.");
            return new CredentialRevocation { TargetType = "AccessKey", Name = userName, AccessKeyId = accessKeyId };
        }

        /// <summary>
        /// Walks one step on the <see cref="StepRunner"/>: false when declined or under -WhatIf (shown, not made). When the
        /// step is stopped or its answer lost, its undo runs, and what it could not undo is named in a warning and the error.
        /// </summary>
        private async Task<bool> RunStepAsync(OperationStep step, CancellationToken cancellationToken)
        {
            var runner = new StepRunner(_host);
            try
            {
                var outcome = await runner.RunAsync(step, cancellationToken).ConfigureAwait(false);
                return outcome == StepOutcome.Made || outcome == StepOutcome.AlreadyThere;
            }
            catch (Exception e)
            {
                throw await runner.RollBackAfterAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }

        private static S3CredentialsException AccessKeyNotFound(string userName, string accessKeyId, Exception inner)
            => new S3CredentialsException("AccessKeyNotFound", FailureKind.ObjectNotFound,
                $"IAM user '{userName}' has no access key {accessKeyId} (or the user does not exist).", "AccessKeyId", inner);

        private static CredentialRevocation Revocation(string targetType, string name, DateTime issuedBefore, string document)
            => new CredentialRevocation
            {
                TargetType = targetType,
                Name = name,
                IssuedBefore = issuedBefore,
                PolicyName = S3AccessPolicies.RevokeOlderSessionsPolicyName,
                PolicyDocument = document ?? S3AccessPolicies.RevokeOlderSessionsPolicy(issuedBefore).ToJson(),
            };

        /// <summary>The latest DateLessThan aws:TokenIssueTime of a revocation policy, or null when it has none that reads.</summary>
        internal static DateTime? ReadIssuedBefore(string policyDocument)
        {
            try
            {
                using (var document = JsonDocument.Parse(policyDocument ?? "", PolicyJson.LenientReading))
                {
                    if (!document.RootElement.TryGetProperty("Statement", out var statements)) return null;
                    var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : new[] { statements }.ToList();
                    var moments = list
                        .Where(s => s.TryGetProperty("Effect", out var effect) && effect.ValueKind == JsonValueKind.String && effect.GetString() == "Deny")
                        .Select(s => s.TryGetProperty("Condition", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("DateLessThan", out var d)
                                     && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("aws:TokenIssueTime", out var t) ? t : default)
                        .SelectMany(t => t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().ToArray() : t.ValueKind == JsonValueKind.String ? new[] { t } : new JsonElement[0])
                        .Select(t => DateTime.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var m) ? m : (DateTime?)null)
                        .Where(m => m.HasValue)
                        .ToList();
                    return moments.Count == 0 ? (DateTime?)null : moments.Max();
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
