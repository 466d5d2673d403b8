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
    /// again and the old one keeps working. Stopped (Ctrl+C) at any point up to the old key's deletion, the rotation is undone
    /// (old key active again, new key deleted); stopped while the deletion is in flight, the keys are read: a deletion that
    /// was carried out completes the rotation (the new key returned, named in a warning), one that was not is undone.
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
            AwsNames.ValidateUserName(userName);
            if (oldAccessKeyId != null)
                AwsNames.ValidateAccessKeyId(oldAccessKeyId);

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

                // The rotation is one change to the user, asked as one question naming its steps.
                var runner = new StepRunner(_host);
                var steps = new List<OperationStep>();
                if (spare != null)
                    steps.Add(new OperationStep(userName, $"delete the inactive key {spare.AccessKeyId} to make room")
                    {
                        Do = async ct =>
                        {
                            await IamRemoval.DoneIfAbsentAsync(() => iam.DeleteAccessKeyAsync(userName, spare.AccessKeyId, ct)).ConfigureAwait(false);
                            _host.Verbose($"Deleted inactive key {spare.AccessKeyId} of '{userName}' to make room.");
                            return true;
                        },
                    });
                IamAccessKey fresh = null;
                var oldActive = true;
                OperationStep create = null;
                create = new OperationStep(userName, "create a new key")
                {
                    Do = async ct =>
                    {
                        fresh = await AccessKeyCreation.CreateExactlyOneAsync(_session, userName, new[] { old.AccessKeyId }, _host, ct, KeyRetryDelay).ConfigureAwait(false);
                        create.UndoDescription = $"new access key {fresh.AccessKeyId} of '{userName}'";
                        _host.Verbose($"Created access key {fresh.AccessKeyId} for '{userName}'.");
                        return true;
                    },
                    UndoWhenInterrupted = false, // AccessKeyCreation deletes a key made by a call stopped or unanswered
                    // Never leave the user without a working key: the new one goes only once the old one is active again.
                    Undo = async ct =>
                    {
                        if (!oldActive)
                        {
                            // Its reactivation failed: find out whether it is active after all (a deactivation refused, or never sent).
                            var now = await IamPager.CollectAsync((m, c) => iam.ListAccessKeysAsync(userName, m, c), ct).ConfigureAwait(false);
                            oldActive = now.Any(k => k.AccessKeyId == old.AccessKeyId && k.Status == "Active");
                        }
                        if (!oldActive)
                            throw new S3CredentialsException("OldKeyNotActive", FailureKind.InvalidOperation,
                                $"the old key {old.AccessKeyId} could not be made active again, so the new key {fresh.AccessKeyId} is kept for '{userName}' (its secret is not returned): delete it, and check {old.AccessKeyId}.");
                        await IamRemoval.DoneIfAbsentAsync(() => iam.DeleteAccessKeyAsync(userName, fresh.AccessKeyId, ct)).ConfigureAwait(false);
                        _host.Verbose($"Rotation undone: deleted the new key {fresh.AccessKeyId}; {old.AccessKeyId} keeps working.");
                    },
                };
                steps.Add(create);
                var deactivate = new OperationStep(userName, $"then {(keepOld ? "deactivate" : "deactivate and delete")} {old.AccessKeyId}")
                {
                    Do = async ct =>
                    {
                        oldActive = false;
                        try
                        {
                            await iam.UpdateAccessKeyAsync(userName, old.AccessKeyId, "Inactive", ct).ConfigureAwait(false);
                        }
                        catch (Exception e) when (!ct.IsCancellationRequested && !FailureClassification.IsUncertain(e))
                        {
                            oldActive = true; // refused: it was not deactivated
                            throw;
                        }
                        _host.Verbose($"Deactivated old key {old.AccessKeyId}.");
                        return true;
                    },
                    Undo = async ct =>
                    {
                        await iam.UpdateAccessKeyAsync(userName, old.AccessKeyId, "Active", ct).ConfigureAwait(false);
                        oldActive = true;
                    },
                    UndoDescription = $"deactivation of the old key {old.AccessKeyId} of '{userName}' (making it active again)",
                };
                steps.Add(deactivate);
                if (!runner.Ask(userName, "Rotate access key: ", steps))
                    return null;

                try
                {
                    foreach (var step in steps)
                    {
                        if (step == deactivate && !noWait)
                            await WaitUntilAcceptedAsync(fresh, cancellationToken).ConfigureAwait(false);
                        await runner.RunApprovedAsync(step, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e)
                {
                    var failure = await runner.RollBackAfterAsync(e, cancellationToken).ConfigureAwait(false);
                    if (failure == e)
                        throw;
                    throw failure;
                }
                // Stopped before the old key's deletion was sent (or with -KeepOld, after the last step): nothing is lost by
                // undoing, so the rotation is rolled back in StoppedAtTheEndAsync and the account is as it was.
                if (!keepOld && !cancellationToken.IsCancellationRequested)
                {
                    try
                    {
                        await IamRemoval.DoneIfAbsentAsync(() => iam.DeleteAccessKeyAsync(userName, old.AccessKeyId, cancellationToken)).ConfigureAwait(false);
                        _host.Verbose($"Deleted old key {old.AccessKeyId}.");
                    }
                    catch (Exception) when (cancellationToken.IsCancellationRequested)
                    {
                        // Stopped while it was being sent: whether the old key is gone is found out just below.
                    }
                    catch (Exception e)
                    {
                        // The new key is about to be returned: a failure of this last step is only a warning.
                        _host.Warning($"The old key {old.AccessKeyId} is inactive but could not be deleted ({ErrorDescription.Describe(e).Message}); delete it later.");
                    }
                }
                if (cancellationToken.IsCancellationRequested)
                    await StoppedAtTheEndAsync(iam, userName, old, fresh, keepOld, runner).ConfigureAwait(false);
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
        /// Stopped (Ctrl+C) after the last step, before or while the old key was being deleted: the new key's secret may not
        /// reach anyone. When the old key is still there (the deletion was never sent, or not carried out, or -KeepOld), the
        /// rotation is rolled back: the old key active again, the new key deleted, the account as it was; then the stop goes on.
        /// When the deletion was carried out (its answer lost), the rotation is complete: the new key is kept and returned,
        /// and a warning names it, so the user is never left without a key.
        /// </summary>
        private async Task StoppedAtTheEndAsync(IIamClient iam, string userName, IamAccessKey old, IamAccessKey fresh, bool keepOld, StepRunner runner)
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
                var leftovers = await runner.RollBackAsync().ConfigureAwait(false);
                if (leftovers.Count > 0)
                    throw new OperationCanceledException($"Stopped. Could not undo: {string.Join("; ", leftovers)}. Remove it by hand.");
                throw new OperationCanceledException($"Stopped: the rotation of '{userName}' was undone, {old.AccessKeyId} keeps working.");
            }
            _host.Warning($"Rotation of '{userName}' was stopped while its old key {old.AccessKeyId} was being deleted, and the deletion was carried out: the rotation is complete, and the new key {fresh.AccessKeyId} is returned. If its secret did not reach you, rotate it again with Update-S3Credential -UserName {userName}.");
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
