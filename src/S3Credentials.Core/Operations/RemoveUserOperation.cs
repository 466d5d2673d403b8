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
    /// memberships, login profile), then the user. Each user is confirmed first, in input order; the approved
    /// ones are removed concurrently; one user's failure is reported for that user and the others go on.
    /// </summary>
    public static class RemoveUserOperation
    {
        public const string ConfirmAction = "Remove IAM user with its access keys, inline and attached policies, group memberships and login profile";

        public static async Task<IReadOnlyList<ItemResult<string, RemovedS3User>>> RunAsync(AwsSession session, IReadOnlyList<string> userNames, int limit,
            IOperationHost host, CancellationToken cancellationToken)
        {
            // A name that cannot be a user is that name's error; the others go on. Valid ones are confirmed in input order.
            var (valid, invalid) = IamInspection.CheckNames<RemovedS3User>(userNames.Distinct(StringComparer.Ordinal).ToList(), name => AwsNames.ValidateUserName(name));
            var approved = (valid ?? Array.Empty<string>()).Where(name => host.ShouldProcess(name, ConfirmAction)).ToList();
            if (approved.Count == 0)
                return invalid;
            using (var iam = session.CreateIamClient())
            {
                var results = await BoundedConcurrency.MapAsync(approved, limit, (name, ct) => RemoveAsync(iam, name, host, ct), host, "Removing IAM users", cancellationToken).ConfigureAwait(false);
                return invalid.Concat(results).ToList();
            }
        }

        private static async Task<RemovedS3User> RemoveAsync(IIamClient iam, string name, IOperationHost host, CancellationToken cancellationToken)
        {
            var removed = new RemovedS3User { UserName = name };
            // Approved with the user's question: each removal is a step with no undo (what is gone cannot come back).
            // Each removes something just listed, so NoSuchEntity means it is gone: usually because the answer to this
            // very request was lost and the SDK's retry found the work done. Gone is what was wanted.
            var runner = new StepRunner(host);
            Task RemoveAsync(string action, Func<Task> remove)
                => runner.RunApprovedAsync(new OperationStep(name, action)
                {
                    Do = async ct => { await IamRemoval.DoneIfAbsentAsync(remove).ConfigureAwait(false); return true; },
                }, cancellationToken);
            List<IamAccessKey> keys;
            try
            {
                keys = await IamPager.CollectAsync((m, c) => iam.ListAccessKeysAsync(name, m, c), cancellationToken).ConfigureAwait(false);
            }
            catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
            {
                throw IamInspection.UserNotFound(name, e);
            }
            try
            {
                foreach (var key in keys)
                {
                    await RemoveAsync($"Delete access key {key.AccessKeyId}", () => iam.DeleteAccessKeyAsync(name, key.AccessKeyId, cancellationToken)).ConfigureAwait(false);
                    removed.AccessKeysDeleted++;
                }
                foreach (var policy in await IamPager.CollectAsync((m, c) => iam.ListUserPoliciesAsync(name, m, c), cancellationToken).ConfigureAwait(false))
                {
                    await RemoveAsync($"Delete inline policy '{policy}'", () => iam.DeleteUserPolicyAsync(name, policy, cancellationToken)).ConfigureAwait(false);
                    removed.InlinePoliciesDeleted++;
                }
                foreach (var policy in await IamPager.CollectAsync((m, c) => iam.ListAttachedUserPoliciesAsync(name, m, c), cancellationToken).ConfigureAwait(false))
                {
                    await RemoveAsync($"Detach policy {policy.PolicyArn}", () => iam.DetachUserPolicyAsync(name, policy.PolicyArn, cancellationToken)).ConfigureAwait(false);
                    removed.PoliciesDetached++;
                }
                foreach (var group in await IamPager.CollectAsync((m, c) => iam.ListGroupsForUserAsync(name, m, c), cancellationToken).ConfigureAwait(false))
                {
                    await RemoveAsync($"Leave group '{group.GroupName}'", () => iam.RemoveUserFromGroupAsync(group.GroupName, name, cancellationToken)).ConfigureAwait(false);
                    removed.GroupsLeft++;
                }
                try
                {
                    await iam.DeleteLoginProfileAsync(name, cancellationToken).ConfigureAwait(false);
                    removed.LoginProfileDeleted = true;
                }
                catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
                {
                    // no console password (or its removal's answer was lost: either way, none now)
                }
                await RemoveAsync("Delete user", () => iam.DeleteUserAsync(name, cancellationToken)).ConfigureAwait(false);
            }
            catch (IamServiceException e) when (e.ErrorCode == "DeleteConflict")
            {
                throw new S3CredentialsException("UserStillHasAttachments", FailureKind.InvalidOperation,
                    $"IAM user '{name}' still has something attached that this command does not remove (MFA devices, SSH public keys, signing certificates or service-specific credentials): {e.Message} Already removed: {Describe(removed)}.", "UserName", e);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped (Ctrl+C) part-way: what is gone cannot come back, so say what is left.
                host.Warning($"Removing IAM user '{name}' was stopped part-way: the user is left, partly removed (already removed: {Describe(removed)}; the request that was being sent may have removed one more). Run Remove-S3User -UserName {name} again to finish.");
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
            => $"{removed.AccessKeysDeleted} key(s), {removed.InlinePoliciesDeleted} inline and {removed.PoliciesDetached} attached policies, {removed.GroupsLeft} group(s){(removed.LoginProfileDeleted ? ", login profile" : "")}";
    }
}
