using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Models;
using S3Credentials.Core.Sts;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// Update-S3Credential: rotates a user's access key (s3-credentials #60, #64). Makes room when the user already
    /// has two keys (an inactive one is deleted; with two active ones -AccessKeyId must say which to replace),
    /// creates exactly one new key, waits until STS accepts it, then deactivates the old key and deletes it
    /// (keepOld: only deactivates). If anything fails before the old key is deactivated, the new key is deleted
    /// again and the old one keeps working. Stopped (Ctrl+C) at any point, it never keeps a new key whose secret is not
    /// returned: before the old key's deletion the rotation is undone; during it, the new key is deleted too, with a warning.
    /// </summary>
    public sealed class RotateKeyOperation
    {
        private readonly AwsSession _session;
        private readonly IOperationHost _host;

        public RotateKeyOperation(AwsSession session, IOperationHost host)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _host = host ?? throw new ArgumentNullException(nameof(host));
        }

        public PropagationTiming KeyTiming { get; set; } = PropagationTiming.AccessKey;
        public TimeSpan KeyRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        public async Task<S3Credential> RunAsync(string userName, string oldAccessKeyId, bool keepOld, bool noWait, CancellationToken cancellationToken)
        {
            Policies.S3Names.ValidateUserName(userName);
            if (oldAccessKeyId != null)
                KeyRules.Check(oldAccessKeyId, "AccessKeyIdInvalid", "AccessKeyId", "-AccessKeyId");

            using (var iam = _session.CreateIamClient())
            {
                List<IamAccessKey> keys;
                try
                {
                    keys = await IamPager.CollectAsync((m, ct) => iam.ListAccessKeysAsync(userName, m, ct), cancellationToken).ConfigureAwait(false);
                }
                catch (IamServiceException e) when (e.ErrorCode == "NoSuchEntity")
                {
                    throw IamInspection.UserNotFound(userName, e);
                }
                var old = ChooseOldKey(userName, keys, oldAccessKeyId);

                // Make room: IAM allows two keys per user.
                IamAccessKey spare = null;
                if (keys.Count >= 2)
                {
                    spare = keys.First(k => k.AccessKeyId != old.AccessKeyId);
                    if (spare.Status != "Inactive")
                        throw new S3CredentialsException("UserHasTwoActiveKeys", FailureKind.LimitsExceeded,
                            $"User '{userName}' already has two keys ({string.Join(", ", keys.Select(k => k.AccessKeyId + " " + k.Status))}) and the one not being replaced is active, so there is no room for a new one. Delete or deactivate {spare.AccessKeyId} first.", "AccessKeyId");
                }

                var replace = keepOld ? "deactivate" : "deactivate and delete";
                var room = spare == null ? "" : $"delete the inactive key {spare.AccessKeyId} to make room, ";
                if (!_host.ShouldProcess(userName, $"Rotate access key: {room}create a new key, then {replace} {old.AccessKeyId}"))
                    return null;
                if (spare != null)
                {
                    await iam.DeleteAccessKeyAsync(userName, spare.AccessKeyId, cancellationToken).ConfigureAwait(false);
                    _host.Verbose($"Deleted inactive key {spare.AccessKeyId} of '{userName}' to make room.");
                }

                var fresh = await AccessKeyCreation.CreateExactlyOneAsync(_session, userName, new[] { old.AccessKeyId }, _host, cancellationToken, KeyRetryDelay).ConfigureAwait(false);
                _host.Verbose($"Created access key {fresh.AccessKeyId} for '{userName}'.");
                var deactivating = false;
                try
                {
                    if (!noWait)
                        await WaitUntilAcceptedAsync(fresh, cancellationToken).ConfigureAwait(false);
                    deactivating = true;
                    await iam.UpdateAccessKeyAsync(userName, old.AccessKeyId, "Inactive", cancellationToken).ConfigureAwait(false);
                    _host.Verbose($"Deactivated old key {old.AccessKeyId}.");
                    // Stopped (Ctrl+C) before the old key is deleted: undo, so the old key works and no new key's secret is lost.
                    cancellationToken.ThrowIfCancellationRequested();
                }
                catch (Exception)
                {
                    await UndoAsync(iam, userName, old, fresh, deactivating).ConfigureAwait(false);
                    throw;
                }
                if (!keepOld)
                {
                    // The new key is about to be returned: this last step is not cancelled half-way, and its failure is only a warning.
                    try
                    {
                        using (var timeout = new CancellationTokenSource(CreatedResources.UndoTimeout))
                            await iam.DeleteAccessKeyAsync(userName, old.AccessKeyId, timeout.Token).ConfigureAwait(false);
                        _host.Verbose($"Deleted old key {old.AccessKeyId}.");
                    }
                    catch (Exception) when (cancellationToken.IsCancellationRequested)
                    {
                        // Stopped while it was being sent: whether the old key is gone is found out just below.
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        _host.Warning($"The old key {old.AccessKeyId} is inactive but could not be deleted ({ErrorDescription.Describe(e).Message}); delete it later.");
                    }
                }
                if (cancellationToken.IsCancellationRequested)
                    await StoppedAtTheEndAsync(iam, userName, old, fresh, keepOld).ConfigureAwait(false);
                return new S3Credential
                {
                    AccessKeyId = fresh.AccessKeyId,
                    SecretAccessKey = fresh.SecretAccessKey,
                    Kind = "Permanent",
                    Method = "AccessKey",
                    UserName = userName,
                    Region = _session.Region,
                };
            }
        }

        /// <summary>
        /// Stopped (Ctrl+C) while the old key was being deleted: the new key's secret will not reach anyone, so it must not
        /// stay. When the old key is still there it is made active again and the new key deleted (nothing changed);
        /// when it is gone, the new key is deleted too and a warning says the user is left without a key.
        /// </summary>
        private async Task StoppedAtTheEndAsync(IIamClient iam, string userName, IamAccessKey old, IamAccessKey fresh, bool keepOld)
        {
            var oldRemains = keepOld;
            if (!oldRemains)
            {
                try
                {
                    using (var timeout = new CancellationTokenSource(CreatedResources.UndoTimeout))
                    {
                        var keys = await IamPager.CollectAsync((m, ct) => iam.ListAccessKeysAsync(userName, m, ct), timeout.Token).ConfigureAwait(false);
                        oldRemains = keys.Any(k => k.AccessKeyId == old.AccessKeyId);
                    }
                }
                catch (Exception e)
                {
                    _host.Warning($"Rotation of '{userName}' was stopped at its end and its keys could not be listed ({ErrorDescription.Describe(e).Message}): the new key {fresh.AccessKeyId} is kept but its secret is not returned, delete it, and check {old.AccessKeyId}.");
                    throw new OperationCanceledException($"Stopped. The new key {fresh.AccessKeyId} of '{userName}' may be left, its secret not returned: delete it.");
                }
            }
            if (oldRemains)
            {
                await UndoAsync(iam, userName, old, fresh, deactivationAttempted: true).ConfigureAwait(false);
                throw new OperationCanceledException($"Stopped: the rotation of '{userName}' was undone, {old.AccessKeyId} keeps working.");
            }
            try
            {
                using (var timeout = new CancellationTokenSource(CreatedResources.UndoTimeout))
                    await iam.DeleteAccessKeyAsync(userName, fresh.AccessKeyId, timeout.Token).ConfigureAwait(false);
                _host.Warning($"Rotation of '{userName}' was stopped after its old key {old.AccessKeyId} was deleted: the new key {fresh.AccessKeyId} was deleted as well, since its secret could not be returned. '{userName}' has no access key now: make one with New-S3Credential -UserName {userName}.");
                throw new OperationCanceledException($"Stopped: '{userName}' has no access key now ({old.AccessKeyId} and the new {fresh.AccessKeyId} are deleted).");
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                _host.Warning($"Rotation of '{userName}' was stopped after its old key {old.AccessKeyId} was deleted, and the new key {fresh.AccessKeyId}, whose secret could not be returned, could not be deleted ({ErrorDescription.Describe(e).Message}): delete it by hand.");
                throw new OperationCanceledException($"Stopped. The new key {fresh.AccessKeyId} of '{userName}' is left, its secret not returned: delete it.");
            }
        }

        /// <summary>Before the old key is known to be inactive: make sure it is active again, then delete the new key.</summary>
        private async Task UndoAsync(IIamClient iam, string userName, IamAccessKey old, IamAccessKey fresh, bool deactivationAttempted)
        {
            using (var timeout = new CancellationTokenSource(CreatedResources.UndoTimeout))
            {
                if (deactivationAttempted)
                {
                    try
                    {
                        await iam.UpdateAccessKeyAsync(userName, old.AccessKeyId, "Active", timeout.Token).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        _host.Warning($"Could not make sure the old key {old.AccessKeyId} is active ({ErrorDescription.Describe(e).Message}); the new key {fresh.AccessKeyId} is kept so '{userName}' is not left without one, but its secret is not returned: delete it, and check {old.AccessKeyId}.");
                        return;
                    }
                }
                try
                {
                    await iam.DeleteAccessKeyAsync(userName, fresh.AccessKeyId, timeout.Token).ConfigureAwait(false);
                    _host.Verbose($"Rotation failed: deleted the new key {fresh.AccessKeyId}; {old.AccessKeyId} keeps working.");
                }
                catch (Exception e)
                {
                    _host.Warning($"Rotation failed and the new key {fresh.AccessKeyId} could not be deleted ({ErrorDescription.Describe(e).Message}); its secret is lost, delete it by hand. {old.AccessKeyId} keeps working.");
                }
            }
        }

        private static IamAccessKey ChooseOldKey(string userName, IReadOnlyList<IamAccessKey> keys, string oldAccessKeyId)
        {
            if (oldAccessKeyId != null)
                return keys.FirstOrDefault(k => k.AccessKeyId == oldAccessKeyId)
                    ?? throw new S3CredentialsException("AccessKeyNotFound", FailureKind.ObjectNotFound, $"User '{userName}' has no access key {oldAccessKeyId}.", "AccessKeyId");
            var active = keys.Where(k => k.Status == "Active").ToList();
            if (active.Count == 1)
                return active[0];
            if (active.Count == 0)
                throw new S3CredentialsException("NoActiveKey", FailureKind.ObjectNotFound, $"User '{userName}' has no active access key to rotate; make one with New-S3Credential -UserName {userName}.", "UserName");
            throw new S3CredentialsException("AccessKeyIdNeeded", FailureKind.InvalidArgument,
                $"User '{userName}' has two active keys ({string.Join(", ", active.Select(k => k.AccessKeyId))}): say which to replace with -AccessKeyId.", "AccessKeyId");
        }

        /// <summary>A new key is accepted by STS once IAM has propagated it; InvalidClientTokenId means not yet.</summary>
        private async Task WaitUntilAcceptedAsync(IamAccessKey key, CancellationToken cancellationToken)
        {
            using (var sts = _session.CreateStsClient(new BasicAWSCredentials(key.AccessKeyId, key.SecretAccessKey)))
            {
                var accepted = await KeyTiming.RetryAsync(async attempt =>
                {
                    try
                    {
                        await sts.GetCallerIdentityAsync(cancellationToken).ConfigureAwait(false);
                        return true;
                    }
                    catch (StsServiceException e) when (e.ErrorCode == "InvalidClientTokenId" || e.ErrorCode == "SignatureDoesNotMatch")
                    {
                        _host.Verbose($"The new key is not accepted yet (attempt {attempt}); waiting.");
                        return false;
                    }
                }, cancellationToken).ConfigureAwait(false);
                if (!accepted)
                    throw new S3CredentialsException("NewKeyNotAccepted", FailureKind.InvalidOperation,
                        $"The new key {key.AccessKeyId} was still not accepted after {KeyTiming.Timeout.TotalSeconds:0} s, so the old key was left active.");
            }
        }
    }
}
