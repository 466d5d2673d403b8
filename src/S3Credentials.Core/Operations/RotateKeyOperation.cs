using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Models;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// Update-S3Credential: rotates a user's access key (s3-credentials #60, #64). Makes room when the user already
    /// has two keys (an inactive one is deleted; with two active ones -AccessKeyId must say which to replace),
    /// creates exactly one new key, waits until STS accepts it, then deactivates the old key and deletes it
    /// (keepOld: only deactivates). If anything fails before the old key is deactivated, the new key is deleted
    /// again and the old one keeps working.
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
            if (oldAccessKeyId != null && !System.Text.RegularExpressions.Regex.IsMatch(oldAccessKeyId, "^[A-Z0-9]{16,128}$"))
                throw S3CredentialsException.InvalidParameter("AccessKeyIdInvalid", "AccessKeyId", $"-AccessKeyId '{oldAccessKeyId}' is not an access key id such as AKIAIOSFODNN7EXAMPLE.");

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
                if (keys.Count >= 2)
                {
                    var spare = keys.First(k => k.AccessKeyId != old.AccessKeyId);
                    if (spare.Status != "Inactive")
                        throw new S3CredentialsException("UserHasTwoActiveKeys", FailureKind.LimitsExceeded,
                            $"User '{userName}' has two active keys ({string.Join(", ", keys.Select(k => k.AccessKeyId))}); a new one needs room. Rotate with -AccessKeyId {old.AccessKeyId} after deleting or deactivating {spare.AccessKeyId}.", "AccessKeyId");
                    if (!_host.ShouldProcess($"{userName}/{spare.AccessKeyId}", "Delete inactive access key to make room for the new one"))
                        return null;
                    await iam.DeleteAccessKeyAsync(userName, spare.AccessKeyId, cancellationToken).ConfigureAwait(false);
                    _host.Verbose($"Deleted inactive key {spare.AccessKeyId} of '{userName}' to make room.");
                }

                var replace = keepOld ? "deactivate" : "deactivate and delete";
                if (!_host.ShouldProcess(userName, $"Create a new access key, then {replace} {old.AccessKeyId}"))
                    return null;

                var remaining = keys.Where(k => k.AccessKeyId == old.AccessKeyId).Select(k => k.AccessKeyId).ToList();
                var fresh = await AccessKeyCreation.CreateExactlyOneAsync(_session, userName, remaining, _host, cancellationToken, KeyRetryDelay).ConfigureAwait(false);
                _host.Verbose($"Created access key {fresh.AccessKeyId} for '{userName}'.");
                try
                {
                    if (!noWait)
                        await WaitUntilAcceptedAsync(fresh, cancellationToken).ConfigureAwait(false);
                    await iam.UpdateAccessKeyAsync(userName, old.AccessKeyId, "Inactive", cancellationToken).ConfigureAwait(false);
                    _host.Verbose($"Deactivated old key {old.AccessKeyId}.");
                }
                catch (Exception)
                {
                    _host.Verbose($"Rotation failed before the old key was deactivated: deleting the new key {fresh.AccessKeyId}; {old.AccessKeyId} keeps working.");
                    using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
                        await iam.DeleteAccessKeyAsync(userName, fresh.AccessKeyId, timeout.Token).ConfigureAwait(false);
                    throw;
                }
                if (!keepOld)
                {
                    try
                    {
                        await iam.DeleteAccessKeyAsync(userName, old.AccessKeyId, cancellationToken).ConfigureAwait(false);
                        _host.Verbose($"Deleted old key {old.AccessKeyId}.");
                    }
                    catch (Exception e) when (!(e is OperationCanceledException))
                    {
                        _host.Warning($"The old key {old.AccessKeyId} is inactive but could not be deleted ({ErrorDescription.Describe(e).Message}); delete it later.");
                    }
                }
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
                        await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
                        return true;
                    }
                    catch (AmazonSecurityTokenServiceException e) when (e.ErrorCode == "InvalidClientTokenId" || e.ErrorCode == "SignatureDoesNotMatch")
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
