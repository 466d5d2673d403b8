using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// Creates exactly one access key. CreateAccessKey is not idempotent: when its response is lost (a dropped
    /// connection, a timeout, a 5xx) the key may exist with a secret nobody will ever see, and a plain retry would
    /// make a second one. So the call is sent without the SDK's automatic retry; after an uncertain failure the
    /// user's keys are listed, any key that was not there before is deleted, and the call is tried again.
    /// The normal case stays one call. Cancelled while the call may have been sent, the same check removes the key it
    /// may have made before the cancellation goes on.
    /// </summary>
    public static class AccessKeyCreation
    {
        public const int MaxAttempts = 3;

        public static async Task<IamAccessKey> CreateExactlyOneAsync(AwsSession session, string userName, IReadOnlyCollection<string> keyIdsBefore,
            IOperationHost host, CancellationToken cancellationToken, TimeSpan? retryDelay = null)
        {
            var known = new HashSet<string>(keyIdsBefore ?? Array.Empty<string>(), StringComparer.Ordinal);
            var delay = retryDelay ?? TimeSpan.FromMilliseconds(500);
            // The create goes once, on a connection of its own; the read-back and clean-up follow the usual retry policy.
            using (var once = session.CreateIamClient(maxErrorRetry: 0))
            using (var iam = session.CreateIamClient())
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        return await once.CreateAccessKeyAsync(userName, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception) when (cancellationToken.IsCancellationRequested)
                    {
                        // Stopped (Ctrl+C) while the call may have been on the wire: a key it made has a secret nobody
                        // will see, so find it and delete it before stopping.
                        try
                        {
                            using (var timeout = new CancellationTokenSource(CreatedResources.UndoTimeout))
                                await RemoveStrayKeysAsync(iam, userName, known, host, timeout.Token).ConfigureAwait(false);
                        }
                        catch (Exception check)
                        {
                            host.Warning($"CreateAccessKey for '{userName}' was stopped while it was being sent, and a key it may have made could not be found out or deleted ({ErrorDescription.Describe(check).Message}): list the keys of '{userName}' and delete any not known (its secret is lost).");
                        }
                        throw;
                    }
                    catch (Exception e) when (attempt >= MaxAttempts && FailureClassification.IsUncertain(e))
                    {
                        // Giving up: still leave no key whose secret nobody has.
                        using (var timeout = new CancellationTokenSource(CreatedResources.UndoTimeout))
                            await RemoveStrayKeysAsync(iam, userName, known, host, timeout.Token).ConfigureAwait(false);
                        throw;
                    }
                    catch (Exception e) when (FailureClassification.IsUncertain(e) && !cancellationToken.IsCancellationRequested)
                    {
                        host.Verbose($"CreateAccessKey for '{userName}' failed without a clear answer ({e.GetType().Name}); checking for a key it may have made.");
                        await RemoveStrayKeysAsync(iam, userName, known, host, cancellationToken).ConfigureAwait(false);
                        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                        delay = TimeSpan.FromTicks(delay.Ticks * 2);
                    }
                }
            }
        }

        private static async Task RemoveStrayKeysAsync(IIamClient iam, string userName, HashSet<string> known, IOperationHost host, CancellationToken cancellationToken)
        {
            var keys = await IamPager.CollectAsync((m, ct) => iam.ListAccessKeysAsync(userName, m, ct), cancellationToken).ConfigureAwait(false);
            foreach (var stray in keys.Where(k => !known.Contains(k.AccessKeyId)))
            {
                await iam.DeleteAccessKeyAsync(userName, stray.AccessKeyId, cancellationToken).ConfigureAwait(false);
                host.Verbose($"Deleted access key {stray.AccessKeyId} of '{userName}': it was made by a call whose answer was lost, so its secret is unknown.");
            }
        }
    }
}
