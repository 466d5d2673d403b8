using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.S3;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;
using S3Credentials.Core.Sts;

namespace S3Credentials.Core.Operations.NewCredential
{
    /// <summary>
    /// Makes the credentials a <see cref="CredentialPlan"/> describes, with as few AWS calls as possible, and undoes
    /// everything it made when a later step fails, is cancelled or is declined.
    /// Permanent, existing bucket, new user: HeadBucket, CreateUser, PutUserPolicy, CreateAccessKey.
    /// Temporary with the role in place: HeadBucket, AssumeRole (the account is read from the caller's key id
    /// when it can be; the role is looked up only when AssumeRole refuses).
    /// </summary>
    public sealed class NewCredentialOperation
    {
        /// <summary>Caller identities already asked for, by access key id, so a session asks STS once.</summary>
        private static readonly ConcurrentDictionary<string, StsCallerIdentity> KnownCallers = new ConcurrentDictionary<string, StsCallerIdentity>(StringComparer.Ordinal);
        private const string RolePolicyName = "s3-access";

        private readonly AwsSession _session;
        private readonly IOperationHost _host;

        public NewCredentialOperation(AwsSession session, IOperationHost host)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _host = host ?? throw new ArgumentNullException(nameof(host));
        }

        public PropagationTiming KeyTiming { get; set; } = PropagationTiming.AccessKey;
        /// <summary>Wait before trying CreateAccessKey again after an uncertain failure.</summary>
        public TimeSpan KeyRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
        public PropagationTiming RoleTiming { get; set; } = PropagationTiming.Role;

        /// <summary>Checks the request (no AWS call when it is wrong), then makes the credentials.</summary>
        public Task<S3Credential> RunAsync(NewCredentialRequest request, CancellationToken cancellationToken)
            => RunAsync(CredentialPlan.Create(request, _session), cancellationToken);

        /// <summary>The credentials, or null when -WhatIf was given or a step was declined (then nothing is left behind).</summary>
        public async Task<S3Credential> RunAsync(CredentialPlan plan, CancellationToken cancellationToken)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            var callerKey = await _session.Credentials.GetCredentialsAsync().ConfigureAwait(false);
            if (plan.IsTemporary && plan.Method == TemporaryCredentialMethod.FederationToken && callerKey.UseToken)
                throw new S3CredentialsException("FederationTokenNeedsPermanentCredentials", FailureKind.InvalidOperation,
                    "-Method FederationToken cannot be used with temporary credentials (these have a session token): STS GetFederationToken needs an IAM user's own keys. Use -Method AssumeRole, or permanent credentials.",
                    "Method");

            var created = new CreatedResources();
            // The clients outlive the rollback: undoing needs them after the step that failed.
            using (var s3 = _session.CreateS3Client())
            using (var iam = _session.CreateIamClient())
            using (var sts = _session.CreateStsClient())
            {
                try
                {
                    var bucketsReady = await BucketPreparation.PrepareAsync(s3, plan, _session.Region, callerKey.AccessKey, _host, created, cancellationToken).ConfigureAwait(false);
                    S3Credential result;
                    if (!plan.IsTemporary)
                        result = await MakePermanentAsync(iam, plan, bucketsReady, created, cancellationToken).ConfigureAwait(false);
                    else if (plan.Method == TemporaryCredentialMethod.FederationToken)
                        result = await MakeFederationTokenAsync(sts, plan, bucketsReady, cancellationToken).ConfigureAwait(false);
                    else
                        result = await MakeAssumedRoleAsync(sts, iam, plan, bucketsReady, callerKey, created, cancellationToken).ConfigureAwait(false);
                    // Stopped (Ctrl+C) after the last step: nobody will receive the credentials, so undo what was made for them
                    // rather than leave a key whose secret is lost.
                    cancellationToken.ThrowIfCancellationRequested();
                    if (result == null && created.Count > 0)
                    {
                        _host.Warning("A step was declined: undoing what this command had already made, so nothing is left half-made.");
                        await created.RollBackAsync(_host).ConfigureAwait(false);
                    }
                    return result;
                }
                catch (Exception e) when (created.Count > 0)
                {
                    _host.Verbose($"A step failed: undoing the {created.Count} change(s) this command made.");
                    var leftovers = await created.RollBackAsync(_host).ConfigureAwait(false);
                    if (leftovers.Count > 0 && e is OperationCanceledException && cancellationToken.IsCancellationRequested)
                        throw new OperationCanceledException($"Stopped. Could not undo: {string.Join("; ", leftovers)}. Remove it by hand.", e, cancellationToken);
                    throw;
                }
            }
        }

        // ---------------- Permanent: user, inline policies, access key ----------------

        private async Task<S3Credential> MakePermanentAsync(IIamClient iam, CredentialPlan plan, bool bucketsReady, CreatedResources created, CancellationToken cancellationToken)
        {
            {
                if (_host.IsWhatIf)
                {
                    await DescribePermanentPlanAsync(iam, plan, cancellationToken).ConfigureAwait(false);
                    return null;
                }
                if (!bucketsReady)
                    return null;

                var boundary = plan.PermissionsBoundaryArn == null ? "no permissions boundary" : "permissions boundary " + plan.PermissionsBoundaryArn;
                if (!_host.ShouldProcess(plan.UserName, $"Create IAM user (or reuse it if it exists) with {boundary}"))
                    return null;
                var userIsNew = await CreateOrReuseUserAsync(iam, plan, created, cancellationToken).ConfigureAwait(false);

                var previousDocuments = new Dictionary<string, string>(StringComparer.Ordinal);
                IReadOnlyCollection<string> keysBefore = Array.Empty<string>();
                if (!userIsNew)
                    (previousDocuments, keysBefore) = await CheckExistingUserAsync(iam, plan, cancellationToken).ConfigureAwait(false);

                var approved = plan.UserPolicies.Where(p => _host.ShouldProcess(plan.UserName, $"Put inline policy '{p.Name}' for bucket '{p.BucketName}': {p.Document.ToJson()}")).ToList();
                if (approved.Count != plan.UserPolicies.Count)
                    return null;
                await Task.WhenAll(approved.Select(p => PutUserPolicyAsync(iam, plan.UserName, p, previousDocuments, created, cancellationToken))).ConfigureAwait(false);

                if (!_host.ShouldProcess(plan.UserName, "Create access key"))
                    return null;
                var key = await CreateAccessKeyAsync(iam, plan.UserName, keysBefore, cancellationToken).ConfigureAwait(false);
                created.Add($"access key {key.AccessKeyId} of user '{plan.UserName}'", ct => iam.DeleteAccessKeyAsync(plan.UserName, key.AccessKeyId, ct));
                _host.Verbose($"Created access key {key.AccessKeyId} for user '{plan.UserName}'.");

                if (!plan.NoWait)
                {
                    var recognised = await KeyReadiness.WaitUntilRecognisedAsync(_session, new BasicAWSCredentials(key.AccessKeyId, key.SecretAccessKey),
                        plan.BucketNames[0], plan.Prefixes.FirstOrDefault(), KeyTiming, _host, cancellationToken).ConfigureAwait(false);
                    if (recognised == true)
                        _host.Verbose("S3 recognises the new key.");
                    else if (recognised == false)
                        _host.Warning($"S3 did not recognise the new key {key.AccessKeyId} within {KeyTiming.Timeout.TotalSeconds:0} s; it usually does within a minute.");
                }

                return new S3Credential
                {
                    AccessKeyId = key.AccessKeyId,
                    SecretAccessKey = key.SecretAccessKey,
                    Kind = "Permanent",
                    Method = "AccessKey",
                    UserName = plan.UserName,
                    BucketName = plan.BucketNames.ToArray(),
                    Access = plan.AccessName,
                    Prefix = plan.Prefixes.ToArray(),
                    Region = _session.Region,
                };
            }
        }

        /// <summary>
        /// Before changing a user that already exists: room for a key, room for the policies next to the ones it has,
        /// and a warning when the module did not make it (its other permissions apply to the new key too).
        /// Returns the documents of the inline policies that will be overwritten (to restore them on failure) and the ids
        /// of the keys the user has (any other key found later was made by this call).
        /// </summary>
        private async Task<(Dictionary<string, string> PreviousDocuments, IReadOnlyCollection<string> KeyIds)> CheckExistingUserAsync(IIamClient iam, CredentialPlan plan, CancellationToken cancellationToken, IamUser user = null)
        {
            user = user ?? await iam.GetUserAsync(plan.UserName, cancellationToken).ConfigureAwait(false);
            if (!CredentialPlan.HasManagedTag(user.Tags))
                _host.Warning($"User '{plan.UserName}' was not made by this module: its own policies, groups and permissions boundary apply to the new key as well.");
            if (plan.HasUserTags)
                _host.Warning($"-Tag is not applied: user '{plan.UserName}' already exists.");
            var keys = await EnsureRoomForAKeyAsync(iam, plan.UserName, cancellationToken).ConfigureAwait(false);

            var existingNames = await IamPager.CollectAsync((m, ct) => iam.ListUserPoliciesAsync(plan.UserName, m, ct), cancellationToken).ConfigureAwait(false);
            var documents = await Task.WhenAll(existingNames.Select(name => iam.GetUserPolicyAsync(plan.UserName, name, cancellationToken))).ConfigureAwait(false);
            var replaced = new HashSet<string>(plan.UserPolicies.Select(p => p.Name), StringComparer.Ordinal);
            var keptSize = documents.Where(d => !replaced.Contains(d.PolicyName)).Sum(d => S3Credentials.Core.Policies.PolicyJson.CompactLength(d.PolicyDocument));
            PolicySize.EnsureFitTogether(plan.UserPolicies.Select(p => p.Document).ToList(), PolicySize.UserInlinePoliciesLimit, "UserName",
                $"User '{plan.UserName}' already has {keptSize} characters of other inline policies. Choose another -UserName, or remove some of its policies.", keptSize);
            return (documents.Where(d => replaced.Contains(d.PolicyName)).ToDictionary(d => d.PolicyName, d => d.PolicyDocument, StringComparer.Ordinal),
                keys.Select(k => k.AccessKeyId).ToList());
        }

        private async Task<bool> CreateOrReuseUserAsync(IIamClient iam, CredentialPlan plan, CreatedResources created, CancellationToken cancellationToken)
        {
            try
            {
                await OnceOnlyCreation.CreateAsync(_session, $"CreateUser '{plan.UserName}'",
                    (once, ct) => once.CreateUserAsync(plan.UserName, CredentialPlan.ManagedPath, plan.PermissionsBoundaryArn, plan.Tags, ct),
                    ct => GetUserOrNullAsync(iam, plan.UserName, ct),
                    user => CredentialPlan.HasManagedTag(user.Tags), user => user.CreateDate, _host, cancellationToken).ConfigureAwait(false);
            }
            catch (IamServiceException e) when (e.ErrorCode == "EntityAlreadyExists")
            {
                _host.Verbose($"User '{plan.UserName}' exists: adding to it.");
                return false;
            }
            created.Add($"user '{plan.UserName}'", ct => iam.DeleteUserAsync(plan.UserName, ct));
            // A CreateUser stopped in flight returns the user it made: it is registered above, now stop.
            cancellationToken.ThrowIfCancellationRequested();
            _host.Verbose($"Created user '{plan.UserName}'" + (plan.PermissionsBoundaryArn == null ? "." : $" with permissions boundary {plan.PermissionsBoundaryArn}."));
            return true;
        }

        private async Task PutUserPolicyAsync(IIamClient iam, string userName, PlannedPolicy policy, IReadOnlyDictionary<string, string> previousDocuments, CreatedResources created, CancellationToken cancellationToken)
        {
            void Register()
            {
                if (previousDocuments.TryGetValue(policy.Name, out var previous))
                    created.Add($"inline policy '{policy.Name}' of user '{userName}' (restoring its previous document)", ct => iam.PutUserPolicyAsync(userName, policy.Name, previous, ct));
                else
                    created.Add($"inline policy '{policy.Name}' of user '{userName}'", ct => IamRemoval.DoneIfAbsentAsync(() => iam.DeleteUserPolicyAsync(userName, policy.Name, ct)));
            }
            try
            {
                await iam.PutUserPolicyAsync(userName, policy.Name, policy.Document.ToJson(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped while the request may have been sent: it may have put the policy, so undo it (absent counts as undone).
                Register();
                throw;
            }
            Register();
            _host.Verbose($"Attached inline policy '{policy.Name}' to user '{userName}'.");
        }

        private async Task<IamAccessKey> CreateAccessKeyAsync(IIamClient iam, string userName, IReadOnlyCollection<string> keysBefore, CancellationToken cancellationToken)
        {
            try
            {
                return await AccessKeyCreation.CreateExactlyOneAsync(_session, userName, keysBefore, _host, cancellationToken, KeyRetryDelay).ConfigureAwait(false);
            }
            catch (IamServiceException e) when (e.ErrorCode == "LimitExceeded")
            {
                await EnsureRoomForAKeyAsync(iam, userName, cancellationToken).ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>IAM allows two access keys per user: say which exist instead of failing half-way.</summary>
        private static async Task<List<IamAccessKey>> EnsureRoomForAKeyAsync(IIamClient iam, string userName, CancellationToken cancellationToken)
        {
            var keys = await IamPager.CollectAsync((m, ct) => iam.ListAccessKeysAsync(userName, m, ct), cancellationToken).ConfigureAwait(false);
            if (keys.Count >= 2)
                throw new S3CredentialsException("UserHasTwoAccessKeys", FailureKind.LimitsExceeded,
                    $"User '{userName}' already has two access keys ({string.Join(", ", keys.Select(k => k.AccessKeyId + " " + k.Status))}), the most IAM allows. " +
                    "Delete one (Remove-IAMAccessKey, or aws iam delete-access-key), or choose another -UserName.", "UserName");
            return keys;
        }

        private async Task DescribePermanentPlanAsync(IIamClient iam, CredentialPlan plan, CancellationToken cancellationToken)
        {
            var existing = await GetUserOrNullAsync(iam, plan.UserName, cancellationToken).ConfigureAwait(false);
            var exists = existing != null;
            if (exists)
                await CheckExistingUserAsync(iam, plan, cancellationToken, existing).ConfigureAwait(false);
            var boundary = plan.PermissionsBoundaryArn == null ? "no permissions boundary" : "permissions boundary " + plan.PermissionsBoundaryArn;
            _host.ShouldProcess(plan.UserName, exists ? "Reuse the existing IAM user" : $"Create IAM user at path {CredentialPlan.ManagedPath} with {boundary}");
            foreach (var policy in plan.UserPolicies)
                _host.ShouldProcess(plan.UserName, $"Put inline policy '{policy.Name}' for bucket '{policy.BucketName}': {policy.Document.ToJson()}");
            _host.ShouldProcess(plan.UserName, "Create access key" + (plan.NoWait ? "" : " and wait until S3 recognises it"));
        }

        private static async Task<IamUser> GetUserOrNullAsync(IIamClient iam, string userName, CancellationToken cancellationToken)
        {
            try
            {
                return await iam.GetUserAsync(userName, cancellationToken).ConfigureAwait(false);
            }
            catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
            {
                return null;
            }
        }

        // ---------------- Temporary: GetFederationToken ----------------

        private async Task<S3Credential> MakeFederationTokenAsync(IStsClient sts, CredentialPlan plan, bool bucketsReady, CancellationToken cancellationToken)
        {
            var what = $"Get a federation token for {DurationParser.Describe(plan.Duration.Value)} with session policy {plan.SessionPolicy.ToJson()}";
            if (!_host.ShouldProcess(plan.SessionName, what) || !bucketsReady)
                return null;
            {
                var response = await sts.GetFederationTokenAsync(plan.SessionName, plan.SessionPolicy.ToJson(), (int)plan.Duration.Value.TotalSeconds, cancellationToken).ConfigureAwait(false);
                _host.Verbose($"Got a federation token for '{plan.SessionName}' until {response.Credentials.Expiration:u}.");
                return Temporary(plan, response.Credentials, "FederationToken", null, plan.SessionName);
            }
        }

        // ---------------- Temporary: AssumeRole on the module's role ----------------

        private async Task<S3Credential> MakeAssumedRoleAsync(IStsClient sts, IIamClient iam, CredentialPlan plan, bool bucketsReady, ImmutableCredentials callerKey, CreatedResources created, CancellationToken cancellationToken)
        {
            if (plan.RoleArn != null)
                return await AssumeNamedRoleAsync(sts, plan, bucketsReady, cancellationToken).ConfigureAwait(false);
            {
                var caller = KnownCallers.TryGetValue(callerKey.AccessKey, out var known) ? known : null;
                var account = caller?.Account ?? AccessKeyAccount.TryGetAccountId(callerKey.AccessKey);
                // Look the caller up only when the key does not name the account, or when role chaining would cap
                // the duration: temporary caller credentials asking for more than an hour.
                if (account == null || (caller == null && callerKey.UseToken && plan.Duration.Value > TimeSpan.FromHours(1)))
                    caller = await LookUpCallerAsync(sts, callerKey, cancellationToken).ConfigureAwait(false);
                account = caller?.Account ?? account;
                EnsureNotChained(plan, caller);
                var roleArn = RoleArn(plan, account);

                if (_host.IsWhatIf)
                {
                    caller = caller ?? await LookUpCallerAsync(sts, callerKey, cancellationToken).ConfigureAwait(false);
                    EnsureNotChained(plan, caller);
                    await DescribeRolePlanAsync(iam, plan, RoleArn(plan, caller.Account), await TrustPrincipalAsync(iam, caller, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                    return null;
                }
                if (!bucketsReady || !_host.ShouldProcess(roleArn, $"Assume role for {DurationParser.Describe(plan.Duration.Value)} as '{plan.SessionName}' with session policy {plan.SessionPolicy.ToJson()}"))
                    return null;

                try
                {
                    return await AssumeAsync(sts, plan, roleArn, cancellationToken).ConfigureAwait(false);
                }
                catch (StsServiceException e) when (e.ErrorCode == "AccessDenied" || e.ErrorCode == "NoSuchEntity")
                {
                    _host.Verbose($"AssumeRole on {roleArn} was refused ({e.ErrorCode}): checking the caller and the role.");
                }

                // The role may be missing, not trust this caller, or the account guessed from the key may be wrong.
                caller = caller ?? await LookUpCallerAsync(sts, callerKey, cancellationToken).ConfigureAwait(false);
                EnsureNotChained(plan, caller);
                if (caller.Account != account)
                {
                    roleArn = RoleArn(plan, caller.Account);
                    try { return await AssumeAsync(sts, plan, roleArn, cancellationToken).ConfigureAwait(false); }
                    catch (StsServiceException e) when (e.ErrorCode == "AccessDenied" || e.ErrorCode == "NoSuchEntity") { }
                }

                var principal = await TrustPrincipalAsync(iam, caller, cancellationToken).ConfigureAwait(false);
                var role = await GetRoleOrNullAsync(iam, plan.RoleName, cancellationToken).ConfigureAwait(false);
                if (role == null)
                {
                    if (!_host.ShouldProcess(plan.RoleName, $"Create IAM role at path {CredentialPlan.ManagedPath} trusting only {principal}, with S3-only permissions and a 12 h maximum session"))
                        return null;
                    role = await CreateRoleAsync(iam, plan, principal, created, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    if (plan.HasUserTags)
                        _host.Warning($"-Tag is not applied: role '{role.RoleName}' already exists.");
                    EnsureLongEnough(plan, role);
                    if (!TrustPolicies.Trusts(role.AssumeRolePolicyDocument, principal))
                    {
                        if (!CredentialPlan.HasManagedTag(role.Tags))
                            throw RoleDoesNotTrustCaller(role, principal);
                        if (!_host.ShouldProcess(role.Arn, $"Add {principal} to the role's trust policy"))
                            return null;
                        var previousTrust = role.AssumeRolePolicyDocument;
                        await iam.UpdateAssumeRolePolicyAsync(role.RoleName, TrustPolicies.AddPrincipal(previousTrust, principal), cancellationToken).ConfigureAwait(false);
                        created.Add($"trust of {principal} in role '{role.RoleName}' (restoring its previous trust policy)", ct => iam.UpdateAssumeRolePolicyAsync(role.RoleName, previousTrust, ct));
                        _host.Verbose($"Role '{role.RoleName}' now trusts {principal}.");
                    }
                }
                return await AssumeWhenPropagatedAsync(sts, plan, role.Arn, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>-RoleArn: one AssumeRole on the role named, which must exist and trust the caller; no caller lookup, no role made.</summary>
        private async Task<S3Credential> AssumeNamedRoleAsync(IStsClient sts, CredentialPlan plan, bool bucketsReady, CancellationToken cancellationToken)
        {
            if (!_host.ShouldProcess(plan.RoleArn, $"Assume role for {DurationParser.Describe(plan.Duration.Value)} as '{plan.SessionName}' with session policy {plan.SessionPolicy.ToJson()}")
                || _host.IsWhatIf || !bucketsReady)
                return null;
            try
            {
                return await AssumeAsync(sts, plan, plan.RoleArn, cancellationToken).ConfigureAwait(false);
            }
            catch (StsServiceException e) when (e.ErrorCode == "AccessDenied" || e.ErrorCode == "NoSuchEntity")
            {
                throw new S3CredentialsException("RoleNotAssumable", FailureKind.PermissionDenied,
                    $"STS refused to assume {plan.RoleArn} ({e.ErrorCode}: {e.Message}). -RoleArn names a role that must exist and trust you; check its trust policy, and that your identity may call sts:AssumeRole on it.", "RoleArn", e);
            }
        }

        private static string RoleArn(CredentialPlan plan, string account)
            => plan.Partition.Arn("iam", "", account, "role" + CredentialPlan.ManagedPath + plan.RoleName);

        private async Task<S3Credential> AssumeAsync(IStsClient sts, CredentialPlan plan, string roleArn, CancellationToken cancellationToken)
        {
            try
            {
                var response = await sts.AssumeRoleAsync(new StsAssumeRoleRequest
                {
                    RoleArn = roleArn,
                    RoleSessionName = plan.SessionName,
                    Policy = plan.SessionPolicy.ToJson(),
                    DurationSeconds = (int)plan.Duration.Value.TotalSeconds,
                }, cancellationToken).ConfigureAwait(false);
                _host.Verbose($"Assumed {roleArn} as '{plan.SessionName}' until {response.Credentials.Expiration:u}.");
                return Temporary(plan, response.Credentials, "AssumeRole", roleArn, plan.SessionName);
            }
            catch (StsServiceException e) when (e.ErrorCode == "ValidationError" && e.Message != null && e.Message.IndexOf("chaining", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                throw RoleChainingError(plan);
            }
            catch (StsServiceException e) when (e.ErrorCode == "ValidationError" && e.Message != null && e.Message.IndexOf("MaxSessionDuration", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                throw MaxSessionError(plan, roleArn, null);
            }
        }

        /// <summary>A new or changed role takes a while to reach STS: retry AccessDenied with backoff, within a bound.</summary>
        private async Task<S3Credential> AssumeWhenPropagatedAsync(IStsClient sts, CredentialPlan plan, string roleArn, CancellationToken cancellationToken)
        {
            S3Credential result = null;
            StsServiceException last = null;
            var done = await RoleTiming.RetryAsync(async attempt =>
            {
                try
                {
                    result = await AssumeAsync(sts, plan, roleArn, cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (StsServiceException e) when (e.ErrorCode == "AccessDenied" || e.ErrorCode == "NoSuchEntity")
                {
                    last = e;
                    _host.Verbose($"STS does not accept role {roleArn} yet (attempt {attempt}); waiting for IAM to propagate it.");
                    return false;
                }
            }, cancellationToken).ConfigureAwait(false);
            if (!done)
                throw new S3CredentialsException("RoleNotAssumable", FailureKind.PermissionDenied,
                    $"STS still refused to assume {roleArn} after {RoleTiming.Timeout.TotalSeconds:0} s ({last?.ErrorCode}: {last?.Message}). Check that your identity may call sts:AssumeRole on it.", "RoleName", last);
            return result;
        }

        private async Task<StsCallerIdentity> LookUpCallerAsync(IStsClient sts, ImmutableCredentials callerKey, CancellationToken cancellationToken)
        {
            var identity = await sts.GetCallerIdentityAsync(cancellationToken).ConfigureAwait(false);
            KnownCallers[callerKey.AccessKey] = identity;
            _host.Verbose($"Caller is {identity.Arn}.");
            return identity;
        }

        /// <summary>The principal a role must trust for this caller: an IAM user's ARN, or for an assumed role the role's own ARN.</summary>
        private static async Task<string> TrustPrincipalAsync(IIamClient iam, StsCallerIdentity caller, CancellationToken cancellationToken)
        {
            var parts = caller.Arn.Split(':');
            var resource = parts.Length >= 6 ? string.Join(":", parts.Skip(5)) : "";
            if (resource.StartsWith("assumed-role/", StringComparison.Ordinal))
            {
                var roleName = resource.Split('/')[1];
                var role = await iam.GetRoleAsync(roleName, cancellationToken).ConfigureAwait(false);
                return role.Arn;
            }
            if (resource.StartsWith("user/", StringComparison.Ordinal))
                return caller.Arn;
            throw new S3CredentialsException("CallerCannotBeTrusted", FailureKind.InvalidOperation,
                $"The caller {caller.Arn} is neither an IAM user nor an assumed role, so no role can be made to trust it alone. Use an IAM user or role, or -Method FederationToken.");
        }

        private static void EnsureNotChained(CredentialPlan plan, StsCallerIdentity caller)
        {
            if (caller != null && caller.Arn.Contains(":assumed-role/") && plan.Duration.Value > TimeSpan.FromHours(1))
                throw RoleChainingError(plan);
        }

        private static S3CredentialsException RoleChainingError(CredentialPlan plan)
            => S3CredentialsException.InvalidParameter("RoleChainingLimit", "Duration",
                $"-Duration {DurationParser.Describe(plan.Duration.Value)} is more than the 1h STS allows when the caller itself uses role credentials (role chaining). Ask for 1h or less, or call with an IAM user's keys.");

        private static void EnsureLongEnough(CredentialPlan plan, IamRole role)
        {
            if (role.MaxSessionDuration > 0 && plan.Duration.Value.TotalSeconds > role.MaxSessionDuration)
                throw MaxSessionError(plan, role.Arn, role.MaxSessionDuration);
        }

        private static S3CredentialsException MaxSessionError(CredentialPlan plan, string roleArn, int? maxSeconds)
            => S3CredentialsException.InvalidParameter("RoleMaxSessionTooShort", "Duration",
                $"-Duration {DurationParser.Describe(plan.Duration.Value)} is longer than role {roleArn} allows" +
                (maxSeconds.HasValue ? $" ({DurationParser.Describe(TimeSpan.FromSeconds(maxSeconds.Value))})" : "") +
                $". Ask for less, or raise the role's limit: aws iam update-role --role-name {plan.RoleName} --max-session-duration 43200");

        private static async Task<IamRole> GetRoleOrNullAsync(IIamClient iam, string roleName, CancellationToken cancellationToken)
        {
            try
            {
                return await iam.GetRoleAsync(roleName, cancellationToken).ConfigureAwait(false);
            }
            catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
            {
                return null;
            }
        }

        private async Task<IamRole> CreateRoleAsync(IIamClient iam, CredentialPlan plan, string principal, CreatedResources created, CancellationToken cancellationToken)
        {
            var role = await OnceOnlyCreation.CreateAsync(_session, $"CreateRole '{plan.RoleName}'",
                (once, ct) => once.CreateRoleAsync(plan.RoleName, TrustPolicies.ForPrincipal(principal).ToJson(),
                    "Assumed by S3Credentials' New-S3Credential for temporary, session-policy-scoped S3 access.", 43200, CredentialPlan.ManagedPath, plan.Tags, ct),
                ct => GetRoleOrNullAsync(iam, plan.RoleName, ct),
                existing => CredentialPlan.HasManagedTag(existing.Tags), existing => existing.CreateDate, _host, cancellationToken).ConfigureAwait(false);
            created.Add($"role '{plan.RoleName}'", ct => iam.DeleteRoleAsync(plan.RoleName, ct));
            // A CreateRole stopped in flight returns the role it made: it is registered above, now stop.
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await iam.PutRolePolicyAsync(plan.RoleName, RolePolicyName, S3AccessPolicies.RolePermissionsPolicy(plan.Partition).ToJson(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped while the request may have been sent: undo the policy it may have put (absent counts as undone).
                created.Add($"inline policy '{RolePolicyName}' of role '{plan.RoleName}'", ct => IamRemoval.DoneIfAbsentAsync(() => iam.DeleteRolePolicyAsync(plan.RoleName, RolePolicyName, ct)));
                throw;
            }
            created.Add($"inline policy '{RolePolicyName}' of role '{plan.RoleName}'", ct => iam.DeleteRolePolicyAsync(plan.RoleName, RolePolicyName, ct));
            _host.Verbose($"Created role '{role.Arn}' trusting only {principal}.");
            return role;
        }

        private async Task DescribeRolePlanAsync(IIamClient iam, CredentialPlan plan, string roleArn, string principal, CancellationToken cancellationToken)
        {
            var role = await GetRoleOrNullAsync(iam, plan.RoleName, cancellationToken).ConfigureAwait(false);
            if (role == null)
                _host.ShouldProcess(plan.RoleName, $"Create IAM role at path {CredentialPlan.ManagedPath} trusting only {principal}, with S3-only permissions and a 12 h maximum session");
            else
            {
                EnsureLongEnough(plan, role);
                if (!TrustPolicies.Trusts(role.AssumeRolePolicyDocument, principal))
                {
                    if (!CredentialPlan.HasManagedTag(role.Tags))
                        throw RoleDoesNotTrustCaller(role, principal);
                    _host.ShouldProcess(role.Arn, $"Add {principal} to the role's trust policy");
                }
            }
            _host.ShouldProcess(role?.Arn ?? roleArn, $"Assume role for {DurationParser.Describe(plan.Duration.Value)} as '{plan.SessionName}' with session policy {plan.SessionPolicy.ToJson()}");
        }

        private static S3CredentialsException RoleDoesNotTrustCaller(IamRole role, string principal)
            => new S3CredentialsException("RoleDoesNotTrustCaller", FailureKind.PermissionDenied,
                $"Role '{role.Arn}' does not trust {principal}, and it was not made by this module, so it is left as it is. Choose another -RoleName, or add {principal} to its trust policy.", "RoleName");

        private S3Credential Temporary(CredentialPlan plan, StsCredentials credentials, string method, string roleArn, string sessionName)
            => new S3Credential
            {
                AccessKeyId = credentials.AccessKeyId,
                SecretAccessKey = credentials.SecretAccessKey,
                SessionToken = credentials.SessionToken,
                Expiration = credentials.Expiration,
                Kind = "Temporary",
                Method = method,
                RoleArn = roleArn,
                SessionName = sessionName,
                BucketName = plan.BucketNames.ToArray(),
                Access = plan.AccessName,
                Prefix = plan.Prefixes.ToArray(),
                Region = _session.Region,
            };
    }
}
