using System;
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
            S3Names.ValidateRoleName(roleName);
            return RevokeSessionsAsync("Role", roleName,
                (iam, ct) => iam.GetRolePolicyAsync(roleName, S3AccessPolicies.RevokeOlderSessionsPolicyName, ct),
                (iam, document, ct) => iam.PutRolePolicyAsync(roleName, S3AccessPolicies.RevokeOlderSessionsPolicyName, document, ct),
                e => new S3CredentialsException("RoleNotFound", FailureKind.ObjectNotFound, $"IAM role '{roleName}' does not exist.", "RoleName", e),
                issuedBefore, cancellationToken);
        }

        /// <summary>
        /// Refuses every temporary credential the IAM user made (GetFederationToken, GetSessionToken) before the moment; the
        /// user's own access keys keep working. Null when declined.
        /// </summary>
        public Task<CredentialRevocation> RevokeUserSessionsAsync(string userName, DateTime issuedBefore, CancellationToken cancellationToken)
        {
            S3Names.ValidateUserName(userName);
            return RevokeSessionsAsync("User", userName,
                (iam, ct) => iam.GetUserPolicyAsync(userName, S3AccessPolicies.RevokeOlderSessionsPolicyName, ct),
                (iam, document, ct) => iam.PutUserPolicyAsync(userName, S3AccessPolicies.RevokeOlderSessionsPolicyName, document, ct),
                e => IamInspection.UserNotFound(userName, e),
                issuedBefore, cancellationToken);
        }

        private async Task<CredentialRevocation> RevokeSessionsAsync(string targetType, string name,
            Func<IIamClient, CancellationToken, Task<IamInlinePolicy>> read, Func<IIamClient, string, CancellationToken, Task> write,
            Func<Exception, S3CredentialsException> notFound, DateTime issuedBefore, CancellationToken cancellationToken)
        {
            using (var iam = _session.CreateIamClient())
            {
                // An earlier revocation reaching later (this module's or the console's) is kept: writing an earlier moment
                // would let sessions it refuses work again.
                DateTime? existing = null;
                try
                {
                    existing = ReadIssuedBefore((await read(iam, cancellationToken).ConfigureAwait(false)).PolicyDocument);
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
                if (!_host.ShouldProcess(name, what))
                    return null;
                try
                {
                    await write(iam, document, cancellationToken).ConfigureAwait(false);
                }
                catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
                {
                    throw notFound(e);
                }
                _host.Verbose($"The {kind} '{name}' now refuses temporary credentials issued before {issuedBefore:u}.");
                return Revocation(targetType, name, issuedBefore, document);
            }
        }

        /// <summary>Deactivates one access key (its permanent credentials stop working at once; delete it with Remove-S3User or IAM). Null when declined.</summary>
        public async Task<CredentialRevocation> DeactivateKeyAsync(string userName, string accessKeyId, CancellationToken cancellationToken)
        {
            S3Names.ValidateUserName(userName);
            KeyRules.Check(accessKeyId, "AccessKeyIdInvalid", "AccessKeyId", "-AccessKeyId");
            if (!_host.ShouldProcess(userName, $"Deactivate access key {accessKeyId}"))
                return null;
            using (var iam = _session.CreateIamClient())
            {
                try
                {
                    await iam.UpdateAccessKeyAsync(userName, accessKeyId, "Inactive", cancellationToken).ConfigureAwait(false);
                }
                catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
                {
                    throw new S3CredentialsException("AccessKeyNotFound", FailureKind.ObjectNotFound,
                        $"IAM user '{userName}' has no access key {accessKeyId} (or the user does not exist).", "AccessKeyId", e);
                }
            }
            _host.Verbose($"Deactivated access key {accessKeyId} of user '{userName}'.");
            return new CredentialRevocation { TargetType = "AccessKey", Name = userName, AccessKeyId = accessKeyId };
        }

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
