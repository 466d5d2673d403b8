using System;
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

            var runner = new StepRunner(_host);
            // The clients outlive the rollback: undoing needs them after the step that failed. Permanent credentials call
            // no STS, so no STS client is made for them (about 0.5 ms of a process's first command, bench/README.md).
            using (var s3 = _session.CreateS3Client())
            using (var iam = _session.CreateIamClient())
            using (var sts = plan.IsTemporary ? _session.CreateStsClient() : null)
            {
                try
                {
                    var bucketsReady = await BucketPreparation.PrepareAsync(s3, plan, _session.Region, callerKey.AccessKey, _host, runner, cancellationToken).ConfigureAwait(false);
                    S3Credential result;
                    if (!plan.IsTemporary)
                        result = await MakePermanentAsync(iam, plan, bucketsReady, runner, cancellationToken).ConfigureAwait(false);
                    else if (plan.Method == TemporaryCredentialMethod.FederationToken)
                        result = await MakeFederationTokenAsync(sts, plan, bucketsReady, runner, cancellationToken).ConfigureAwait(false);
                    else
                        result = await MakeAssumedRoleAsync(sts, iam, plan, bucketsReady, callerKey, runner, cancellationToken).ConfigureAwait(false);
                    // Stopped (Ctrl+C) after the last step: nobody will receive the credentials, so undo what was made for them
                    // rather than leave a key whose secret is lost.
                    cancellationToken.ThrowIfCancellationRequested();
                    if (result == null)
                        await runner.RollBackDeclinedAsync().ConfigureAwait(false);
                    return result;
                }
                catch (Exception e) when (runner.Count > 0)
                {
                    var failure = await runner.RollBackAfterAsync(e, cancellationToken).ConfigureAwait(false);
                    if (failure == e)
                        throw;
                    throw failure;
                }
            }
        }

        // ---------------- Permanent: user, inline policies, access key ----------------

        private async Task<S3Credential> MakePermanentAsync(IIamClient iam, CredentialPlan plan, bool bucketsReady, StepRunner runner, CancellationToken cancellationToken)
        {
            {
                if (!bucketsReady && !runner.IsWhatIf)
                    return null;

                IamUser existing = null;
                var boundary = plan.PermissionsBoundaryArn == null ? "no permissions boundary" : "permissions boundary " + plan.PermissionsBoundaryArn;
                var userStep = new OperationStep(plan.UserName, $"Create IAM user at path {CredentialPlan.ManagedPath} with {boundary}")
                {
                    ActionWhenDone = "Reuse the existing IAM user",
                    IsDone = async ct => (existing = await GetUserOrNullAsync(iam, plan.UserName, ct).ConfigureAwait(false)) != null,
                    Do = ct => CreateOrReuseUserAsync(iam, plan, ct),
                    UndoWhenInterrupted = false, // OnceOnlyCreation reads back and returns the user this call made
                    Undo = ct => iam.DeleteUserAsync(plan.UserName, ct),
                    UndoDescription = $"user '{plan.UserName}'",
                };
                var userOutcome = await runner.RunAsync(userStep, cancellationToken).ConfigureAwait(false);
                if (userOutcome == StepOutcome.Declined)
                    return null;

                var previousDocuments = new Dictionary<string, string>(StringComparer.Ordinal);
                IReadOnlyCollection<string> keysBefore = Array.Empty<string>();
                if (userOutcome == StepOutcome.AlreadyThere)
                    (previousDocuments, keysBefore) = await CheckExistingUserAsync(iam, plan, cancellationToken, existing).ConfigureAwait(false);

                var policySteps = plan.UserPolicies.Select(p => UserPolicyStep(iam, plan.UserName, p, previousDocuments)).ToList();
                if (await runner.RunTogetherAsync(policySteps, cancellationToken).ConfigureAwait(false) == StepOutcome.Declined)
                    return null;

                IamAccessKey key = null;
                OperationStep keyStep = null;
                keyStep = new OperationStep(plan.UserName, "Create access key" + (plan.NoWait ? "" : " and wait until S3 recognises it"))
                {
                    Do = async ct =>
                    {
                        key = await CreateAccessKeyAsync(iam, plan.UserName, keysBefore, ct).ConfigureAwait(false);
                        keyStep.UndoDescription = $"access key {key.AccessKeyId} of user '{plan.UserName}'";
                        _host.Verbose($"Created access key {key.AccessKeyId} for user '{plan.UserName}'.");
                        return true;
                    },
                    UndoWhenInterrupted = false, // AccessKeyCreation deletes a key made by a call stopped or unanswered
                    Undo = ct => iam.DeleteAccessKeyAsync(plan.UserName, key.AccessKeyId, ct),
                };
                if (await runner.RunAsync(keyStep, cancellationToken).ConfigureAwait(false) != StepOutcome.Made)
                    return null;

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

        /// <summary>True when this call made the user; false when it was there already.</summary>
        private async Task<bool> CreateOrReuseUserAsync(IIamClient iam, CredentialPlan plan, CancellationToken cancellationToken)
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
            // A CreateUser stopped in flight returns the user it made: the runner records its undo, then stops.
            _host.Verbose($"Created user '{plan.UserName}'" + (plan.PermissionsBoundaryArn == null ? "." : $" with permissions boundary {plan.PermissionsBoundaryArn}."));
            return true;
        }

        /// <summary>Puts one inline policy; its undo restores the document it overwrote, or deletes it (absent counts as undone).</summary>
        private OperationStep UserPolicyStep(IIamClient iam, string userName, PlannedPolicy policy, IReadOnlyDictionary<string, string> previousDocuments)
        {
            var restore = previousDocuments.TryGetValue(policy.Name, out var previous);
            return new OperationStep(userName, $"Put inline policy '{policy.Name}' for bucket '{policy.BucketName}': {policy.Document.ToJson()}")
            {
                Do = async ct =>
                {
                    await iam.PutUserPolicyAsync(userName, policy.Name, policy.Document.ToJson(), ct).ConfigureAwait(false);
                    _host.Verbose($"Attached inline policy '{policy.Name}' to user '{userName}'.");
                    return true;
                },
                Undo = restore
                    ? ct => iam.PutUserPolicyAsync(userName, policy.Name, previous, ct)
                    : (Func<CancellationToken, Task>)(ct => IamRemoval.DoneIfAbsentAsync(() => iam.DeleteUserPolicyAsync(userName, policy.Name, ct))),
                UndoDescription = restore
                    ? $"inline policy '{policy.Name}' of user '{userName}' (restoring its previous document)"
                    : $"inline policy '{policy.Name}' of user '{userName}'",
            };
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
                    $"Make room with Update-S3Credential -UserName '{userName}' -AccessKeyId ID (replaces that key with a new one) or Remove-S3User '{userName}', or choose another -UserName.", "UserName");
            return keys;
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

        private async Task<S3Credential> MakeFederationTokenAsync(IStsClient sts, CredentialPlan plan, bool bucketsReady, StepRunner runner, CancellationToken cancellationToken)
        {
            if (!bucketsReady && !runner.IsWhatIf)
                return null;
            S3Credential result = null;
            await runner.RunAsync(new OperationStep(plan.SessionName, $"Get a federation token for {DurationParser.Describe(plan.Duration.Value)} with session policy {plan.SessionPolicy.ToJson()}")
            {
                Do = async ct =>
                {
                    var response = await sts.GetFederationTokenAsync(plan.SessionName, plan.SessionPolicy.ToJson(), (int)plan.Duration.Value.TotalSeconds, ct).ConfigureAwait(false);
                    _host.Verbose($"Got a federation token for '{plan.SessionName}' until {response.Credentials.Expiration:u}.");
                    result = Temporary(plan, response.Credentials, "FederationToken", null, plan.SessionName);
                    return true;
                },
            }, cancellationToken).ConfigureAwait(false);
            return result;
        }

        // ---------------- Temporary: AssumeRole on the module's role ----------------

        private async Task<S3Credential> MakeAssumedRoleAsync(IStsClient sts, IIamClient iam, CredentialPlan plan, bool bucketsReady, ImmutableCredentials callerKey, StepRunner runner, CancellationToken cancellationToken)
        {
            if (plan.RoleArn != null)
                return await AssumeNamedRoleAsync(sts, plan, bucketsReady, runner, cancellationToken).ConfigureAwait(false);
            {
                var caller = _session.State.KnownCallers.TryGetValue(callerKey.AccessKey, out var known) ? known : null;
                var account = caller?.Account ?? AccessKeyAccount.TryGetAccountId(callerKey.AccessKey);
                // Look the caller up only when the key does not name the account, or when role chaining would cap
                // the duration: temporary caller credentials asking for more than an hour. -WhatIf always looks it up,
                // since it walks the role's steps without trying AssumeRole first.
                if (account == null || (caller == null && callerKey.UseToken && plan.Duration.Value > TimeSpan.FromHours(1)) || (caller == null && runner.IsWhatIf))
                    caller = await LookUpCallerAsync(sts, callerKey, cancellationToken).ConfigureAwait(false);
                account = caller?.Account ?? account;
                EnsureNotChained(plan, caller);
                var roleArn = RoleArn(plan, account);
                S3Credential result = null;

                if (!runner.IsWhatIf)
                {
                    if (!bucketsReady)
                        return null;
                    // The role is usually in place: try it first, and look at the role only when AssumeRole refuses.
                    try
                    {
                        if (await runner.RunAsync(AssumeStep(sts, plan, roleArn, r => result = r), cancellationToken).ConfigureAwait(false) == StepOutcome.Declined)
                            return null;
                        return result;
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
                }

                var principal = await TrustPrincipalAsync(iam, caller, cancellationToken).ConfigureAwait(false);
                var role = await GetRoleOrNullAsync(iam, plan.RoleName, cancellationToken).ConfigureAwait(false);
                if (role == null)
                {
                    var made = await CreateRoleAsync(iam, plan, principal, runner, cancellationToken).ConfigureAwait(false);
                    if (made == StepOutcome.Declined)
                        return null;
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
                        var previousTrust = role.AssumeRolePolicyDocument;
                        var trusted = await runner.RunAsync(new OperationStep(role.Arn, $"Add {principal} to the role's trust policy")
                        {
                            Do = async ct =>
                            {
                                await iam.UpdateAssumeRolePolicyAsync(role.RoleName, TrustPolicies.AddPrincipal(previousTrust, principal), ct).ConfigureAwait(false);
                                _host.Verbose($"Role '{role.RoleName}' now trusts {principal}.");
                                return true;
                            },
                            Undo = ct => iam.UpdateAssumeRolePolicyAsync(role.RoleName, previousTrust, ct),
                            UndoDescription = $"trust of {principal} in role '{role.RoleName}' (restoring its previous trust policy)",
                        }, cancellationToken).ConfigureAwait(false);
                        if (trusted == StepOutcome.Declined)
                            return null;
                    }
                    // A role of the module's found without its s3-access policy (left by a run that failed between CreateRole
                    // and PutRolePolicy) would give credentials that can do nothing: repaired whenever the role is read here.
                    if (CredentialPlan.HasManagedTag(role.Tags) && !await HasRolePolicyAsync(iam, role.RoleName, cancellationToken).ConfigureAwait(false))
                    {
                        _host.Warning($"Role '{role.RoleName}' has no '{RolePolicyName}' policy (a run that failed part-way left it so): putting it back.");
                        if (await runner.RunAsync(RolePolicyStep(iam, plan, repair: true), cancellationToken).ConfigureAwait(false) == StepOutcome.Declined)
                            return null;
                    }
                    roleArn = role.Arn;
                }
                if (runner.IsWhatIf)
                {
                    await runner.RunAsync(AssumeStep(sts, plan, roleArn, r => result = r), cancellationToken).ConfigureAwait(false);
                    return null;
                }
                // Already asked before the first AssumeRole: a new or changed role is assumed once IAM has propagated it.
                return await AssumeWhenPropagatedAsync(sts, plan, roleArn, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>-RoleArn: one AssumeRole on the role named, which must exist and trust the caller; no caller lookup, no role made.</summary>
        private async Task<S3Credential> AssumeNamedRoleAsync(IStsClient sts, CredentialPlan plan, bool bucketsReady, StepRunner runner, CancellationToken cancellationToken)
        {
            if (!bucketsReady && !runner.IsWhatIf)
                return null;
            S3Credential result = null;
            try
            {
                await runner.RunAsync(AssumeStep(sts, plan, plan.RoleArn, r => result = r), cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (StsServiceException e) when (e.ErrorCode == "AccessDenied" || e.ErrorCode == "NoSuchEntity")
            {
                throw new S3CredentialsException("RoleNotAssumable", FailureKind.PermissionDenied,
                    $"STS refused to assume {plan.RoleArn} ({e.ErrorCode}: {e.Message}). -RoleArn names a role that must exist and trust you; check its trust policy, and that your identity may call sts:AssumeRole on it.", "RoleArn", e);
            }
        }

        /// <summary>AssumeRole on the module's role: nothing to undo (temporary credentials expire by themselves).</summary>
        private OperationStep AssumeStep(IStsClient sts, CredentialPlan plan, string roleArn, Action<S3Credential> received)
            => new OperationStep(roleArn, $"Assume role for {DurationParser.Describe(plan.Duration.Value)} as '{plan.SessionName}' with session policy {plan.SessionPolicy.ToJson()}")
            {
                Do = async ct =>
                {
                    received(await AssumeAsync(sts, plan, roleArn, ct).ConfigureAwait(false));
                    return true;
                },
            };

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
            _session.State.KnownCallers[callerKey.AccessKey] = identity; // the module session asks STS once per key
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

        private static async Task<bool> HasRolePolicyAsync(IIamClient iam, string roleName, CancellationToken cancellationToken)
        {
            try
            {
                await iam.GetRolePolicyAsync(roleName, RolePolicyName, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
            {
                return false;
            }
        }

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

        /// <summary>The role and its s3-access policy: two steps, asked as one ("Create IAM role").</summary>
        private async Task<StepOutcome> CreateRoleAsync(IIamClient iam, CredentialPlan plan, string principal, StepRunner runner, CancellationToken cancellationToken)
        {
            var made = await runner.RunAsync(new OperationStep(plan.RoleName, $"Create IAM role at path {CredentialPlan.ManagedPath} trusting only {principal}, with S3-only permissions and a 12 h maximum session")
            {
                Do = async ct =>
                {
                    var role = await OnceOnlyCreation.CreateAsync(_session, $"CreateRole '{plan.RoleName}'",
                        (once, c) => once.CreateRoleAsync(plan.RoleName, TrustPolicies.ForPrincipal(principal).ToJson(),
                            "Assumed by S3Credentials' New-S3Credential for temporary, session-policy-scoped S3 access.", 43200, CredentialPlan.ManagedPath, plan.Tags, c),
                        c => GetRoleOrNullAsync(iam, plan.RoleName, c),
                        existing => CredentialPlan.HasManagedTag(existing.Tags), existing => existing.CreateDate, _host, ct).ConfigureAwait(false);
                    _host.Verbose($"Created role '{role.Arn}' trusting only {principal}.");
                    return true;
                },
                UndoWhenInterrupted = false, // OnceOnlyCreation reads back and returns the role this call made
                Undo = ct => iam.DeleteRoleAsync(plan.RoleName, ct),
                UndoDescription = $"role '{plan.RoleName}'",
            }, cancellationToken).ConfigureAwait(false);
            if (made == StepOutcome.Declined)
                return made;
            await runner.RunAsync(RolePolicyStep(iam, plan), cancellationToken).ConfigureAwait(false);
            return made;
        }

        /// <summary>The role's s3-access policy: part of making (or repairing) the role, not asked on its own.</summary>
        /// <param name="repair">Putting it back on a role found without it: a change of its own, asked about.</param>
        private static OperationStep RolePolicyStep(IIamClient iam, CredentialPlan plan, bool repair = false)
            => new OperationStep(plan.RoleName, $"Put inline policy '{RolePolicyName}' (S3 only) on the role")
            {
                Asks = repair,
                Do = async ct =>
                {
                    await iam.PutRolePolicyAsync(plan.RoleName, RolePolicyName, S3AccessPolicies.RolePermissionsPolicy(plan.Partition).ToJson(), ct).ConfigureAwait(false);
                    return true;
                },
                Undo = ct => IamRemoval.DoneIfAbsentAsync(() => iam.DeleteRolePolicyAsync(plan.RoleName, RolePolicyName, ct)),
                UndoDescription = $"inline policy '{RolePolicyName}' of role '{plan.RoleName}'",
            };

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
