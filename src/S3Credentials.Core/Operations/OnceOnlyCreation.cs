using System;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// CreateUser and CreateRole are not idempotent either: when the answer to one is lost (a dropped connection, a
    /// timeout, a 5xx), the SDK's own retry finds the entity made and hears EntityAlreadyExists, and the command took
    /// a user or role its own call had made for one that was there before: it failed, or kept it on rollback. So the
    /// call is sent without the SDK's retry; after an answer that leaves it uncertain, the entity is read back, and one
    /// that now exists, carries the module's mark and was created since just before the call is this call's. One that
    /// does not exist is asked for again. The normal case stays one call. Cancelled (Ctrl+C) while the call may have
    /// been sent, the entity is read back the same way (on a timeout of its own) and one this call made is returned,
    /// so that the caller can register it for rollback; the caller must then stop (its token is cancelled).
    /// </summary>
    public static class OnceOnlyCreation
    {
        public const int MaxAttempts = 3;

        /// <summary>How far IAM's CreateDate may be before the moment the call was sent (clock skew between here and AWS).</summary>
        public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

        /// <param name="create">The create call, on a client without automatic retries.</param>
        /// <param name="readBack">The entity as IAM has it now, or null when it does not exist.</param>
        /// <param name="isOurs">Whether an entity read back carries the mark of this module (its tag or path).</param>
        /// <param name="createDate">The entity's creation time.</param>
        public static async Task<T> CreateAsync<T>(AwsSession session, string what, Func<IIamClient, CancellationToken, Task<T>> create,
            Func<CancellationToken, Task<T>> readBack, Func<T, bool> isOurs, Func<T, DateTime> createDate, IOperationHost host,
            CancellationToken cancellationToken, TimeSpan? retryDelay = null) where T : class
        {
            var delay = retryDelay ?? TimeSpan.FromMilliseconds(200);
            using (var iam = session.CreateIamClient(maxErrorRetry: 0))
            {
                for (var attempt = 1; ; attempt++)
                {
                    var sentAt = DateTime.UtcNow;
                    // Ours (the module's mark) and made since just before this call was sent.
                    bool MadeByThisCall(T existing) => isOurs(existing) && createDate(existing).ToUniversalTime() >= sentAt - ClockSkew;
                    try
                    {
                        return await create(iam, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception) when (cancellationToken.IsCancellationRequested)
                    {
                        // Stopped (Ctrl+C) while the call may have been on the wire: find out whether it made the entity, so
                        // the caller can undo it. The caller registers what is returned for rollback and then stops.
                        T existing;
                        try
                        {
                            using (var timeout = new CancellationTokenSource(CreatedResources.UndoTimeout))
                                existing = await readBack(timeout.Token).ConfigureAwait(false);
                        }
                        catch (Exception check)
                        {
                            host.Warning($"{what} was stopped while it was being sent, and whether it was made could not be checked ({ErrorDescription.Describe(check).Message}): if it exists, remove it by hand.");
                            throw;
                        }
                        if (existing != null && MadeByThisCall(existing))
                        {
                            host.Verbose($"{what}: stopped while it was being sent, but it was made; undoing it.");
                            return existing;
                        }
                        throw;
                    }
                    catch (Exception e) when (FailureClassification.IsUncertain(e) && !cancellationToken.IsCancellationRequested)
                    {
                        host.Verbose($"{what}: no clear answer ({e.GetType().Name}); reading it back before anything else.");
                        var existing = await readBack(cancellationToken).ConfigureAwait(false);
                        if (existing != null)
                        {
                            if (MadeByThisCall(existing))
                            {
                                host.Verbose($"{what}: made by the call whose answer was lost.");
                                return existing;
                            }
                            throw;
                        }
                        if (attempt >= MaxAttempts)
                            throw;
                        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                        delay = TimeSpan.FromTicks(delay.Ticks * 2);
                    }
                }
            }
        }
    }
}
