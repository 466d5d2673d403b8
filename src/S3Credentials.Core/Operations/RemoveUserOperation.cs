using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Models;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// Remove-S3User: removes what IAM requires first (access keys, inline policies, attached policies, group
    /// memberships, login profile), then the user. Each user is confirmed first, in input order. Then, per user, three
    /// rounds of requests, each round's requests sent at once: the four listings; every removal they found and the login
    /// profile's; DeleteUser. Every request of every user shares one bound on the requests in flight (<c>limit</c>, a
    /// <see cref="RequestGate"/>); results stream out in input order as each user is done; one user's failure is
    /// reported for that user and the others go on.
    /// </summary>
    public static class RemoveUserOperation
    {
        public const string ConfirmAction = "Remove IAM user with its access keys, inline and attached policies, group memberships and login profile";
        public const string Activity = "Removing IAM users";

        public static Task<IReadOnlyList<ItemResult<string, RemovedS3User>>> RunAsync(AwsSession session, IReadOnlyList<string> userNames, int limit,
            IOperationHost host, CancellationToken cancellationToken)
            => IamInspection.CollectAsync<string, RemovedS3User>(onResult => StreamAsync(session, userNames, limit, host, onResult, cancellationToken));

        /// <summary>
        /// Names that cannot be users first (each its own error, never asked about), then the approved users in input order,
        /// each handed on as soon as it and the users before it are done.
        /// </summary>
        public static async Task StreamAsync(AwsSession session, IReadOnlyList<string> userNames, int limit,
            IOperationHost host, Action<ItemResult<string, RemovedS3User>> onResult, CancellationToken cancellationToken)
        {
            BoundedConcurrency.ValidateThrottleLimit(limit);
            IReadOnlyCollection<string> names = userNames.Distinct(StringComparer.Ordinal).ToList();
            if (!IamInspection.StartWithInvalid<RemovedS3User>(ref names, name => AwsNames.ValidateUserName(name), onResult))
                return;
            var approved = names.Where(name => host.ShouldProcess(name, ConfirmAction)).ToList();
            if (approved.Count == 0)
                return;
            using (var iam = session.CreateIamClient())
            using (var gate = new RequestGate(limit))
            {
                await BoundedConcurrency.StreamAsync(approved, limit * IamInspection.ItemsAheadPerRequest, (name, ct) => RemoveAsync(iam, gate, name, host, ct),
                    onResult, host, Activity, cancellationToken).ConfigureAwait(false);
            }
        }

        private static async Task<RemovedS3User> RemoveAsync(IIamClient iam, RequestGate gate, string name, IOperationHost host, CancellationToken cancellationToken)
        {
            var removed = new RemovedS3User { UserName = name };

            // Round 1: everything IAM wants gone before the user, listed at once.
            var keysTask = gate.CollectPagesAsync((m, c) => iam.ListAccessKeysAsync(name, m, c), cancellationToken);
            var inlineTask = gate.CollectPagesAsync((m, c) => iam.ListUserPoliciesAsync(name, m, c), cancellationToken);
            var attachedTask = gate.CollectPagesAsync((m, c) => iam.ListAttachedUserPoliciesAsync(name, m, c), cancellationToken);
            var groupsTask = gate.CollectPagesAsync((m, c) => iam.ListGroupsForUserAsync(name, m, c), cancellationToken);
            var listings = new Task[] { keysTask, inlineTask, attachedTask, groupsTask };
            try
            {
                await Task.WhenAll(listings).ConfigureAwait(false);
            }
            catch (Exception) when (listings.Any(t => t.Exception?.InnerException is IamServiceException e && e.ErrorCode == "NoSuchEntity"))
            {
                throw IamInspection.UserNotFound(name, listings.Select(t => t.Exception?.InnerException).First(e => e is IamServiceException s && s.ErrorCode == "NoSuchEntity"));
            }

            // Approved with the user's question: each removal is a step with no undo (what is gone cannot come back).
            // Each removes something just listed, so NoSuchEntity means it is gone: usually because the answer to this
            // very request was lost and the SDK's retry found the work done. Gone is what was wanted.
            var runner = new StepRunner(host);
            Task RemoveAsync(string action, Func<CancellationToken, Task> remove, Action count)
                => runner.RunApprovedAsync(new OperationStep(name, action)
                {
                    Do = async ct =>
                    {
                        await gate.RunAsync(x => IamRemoval.DoneIfAbsentAsync(() => remove(x)), ct).ConfigureAwait(false);
                        lock (removed) count();
                        return true;
                    },
                }, cancellationToken);
            async Task DeleteLoginProfileAsync()
            {
                try
                {
                    await gate.RunAsync(x => iam.DeleteLoginProfileAsync(name, x), cancellationToken).ConfigureAwait(false);
                    lock (removed) removed.LoginProfileDeleted = true;
                }
                catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
                {
                    // no console password (or its removal's answer was lost: either way, none now)
                }
            }
            try
            {
                // Round 2: every removal at once, and the login profile's.
                await Task.WhenAll(keysTask.Result.Select(key => RemoveAsync($"Delete access key {key.AccessKeyId}", ct => iam.DeleteAccessKeyAsync(name, key.AccessKeyId, ct), () => removed.AccessKeysDeleted++))
                    .Concat(inlineTask.Result.Select(policy => RemoveAsync($"Delete inline policy '{policy}'", ct => iam.DeleteUserPolicyAsync(name, policy, ct), () => removed.InlinePoliciesDeleted++)))
                    .Concat(attachedTask.Result.Select(policy => RemoveAsync($"Detach policy {policy.PolicyArn}", ct => iam.DetachUserPolicyAsync(name, policy.PolicyArn, ct), () => removed.PoliciesDetached++)))
                    .Concat(groupsTask.Result.Select(group => RemoveAsync($"Leave group '{group.GroupName}'", ct => iam.RemoveUserFromGroupAsync(group.GroupName, name, ct), () => removed.GroupsLeft++)))
                    .Concat(new[] { DeleteLoginProfileAsync() })
                    .ToList()).ConfigureAwait(false);
                // Round 3: the user.
                await RemoveAsync("Delete user", ct => iam.DeleteUserAsync(name, ct), () => { }).ConfigureAwait(false);
            }
            catch (IamServiceException e) when (e.ErrorCode == "DeleteConflict")
            {
                throw new S3CredentialsException("UserStillHasAttachments", FailureKind.InvalidOperation,
                    $"IAM user '{name}' still has something attached that this command does not remove (MFA devices, SSH public keys, signing certificates or service-specific credentials): {e.Message} Already removed: {Describe(removed)}.", "UserName", e);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped (Ctrl+C) part-way: what is gone cannot come back, so say what is left.
                host.Warning($"Removing IAM user '{name}' was stopped part-way: the user is left, partly removed (already removed: {Describe(removed)}; the requests that were being sent may have removed more). Run Remove-S3User -UserName {name} again to finish.");
                throw;
            }
            catch (Exception e) when (!(e is OperationCanceledException) && (removed.AccessKeysDeleted + removed.InlinePoliciesDeleted + removed.PoliciesDetached + removed.GroupsLeft > 0 || removed.LoginProfileDeleted))
            {
                var description = ErrorDescription.Describe(e);
                throw new S3CredentialsException("UserPartlyRemoved", description.Kind,
                    $"Removing IAM user '{name}' stopped part-way: {description.Message} Already removed: {Describe(removed)}.", "UserName", e);
            }
            host.Verbose($"Removed user '{name}': {Describe(removed)}.");
            return removed;
        }

        private static string Describe(RemovedS3User removed)
        {
            lock (removed)
                return $"{removed.AccessKeysDeleted} key(s), {removed.InlinePoliciesDeleted} inline and {removed.PoliciesDetached} attached policies, {removed.GroupsLeft} group(s){(removed.LoginProfileDeleted ? ", login profile" : "")}";
        }
    }
}
