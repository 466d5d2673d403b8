using System;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Operations;

namespace S3Credentials.Core.Profiles
{
    /// <summary>One write of a profile file: the file, the bytes it held before (null: there was none) and the bytes written.</summary>
    internal sealed class ProfileFileEdit
    {
        private readonly SharedCredentialsFileWriter _writer;
        private readonly byte[] _previous;
        private readonly byte[] _written;

        public ProfileFileEdit(SharedCredentialsFileWriter writer, string target, byte[] previous, byte[] written)
        {
            _writer = writer;
            Target = target;
            _previous = previous;
            _written = written;
        }

        public string Target { get; }

        /// <summary>Puts the previous bytes back (removes a file the write created), unless someone changed the file since.</summary>
        public void Undo(CancellationToken cancellationToken) => _writer.Restore(Target, _previous, _written, cancellationToken);
    }

    /// <summary>
    /// The state change of Register-S3CredentialProfile, Unregister-S3CredentialProfile and Export-S3Credential, after
    /// their checks: one step, the profile file's write, walked by the <see cref="StepRunner"/> (ShouldProcess, write,
    /// record its undo; -WhatIf the same walk without the write). Its undo puts back the bytes the file held before
    /// (and only if nobody changed it since). With one step there is no later step whose failure would need it; it runs
    /// when the command is stopped (Ctrl+C) as the write completes, so a stopped command leaves the file as it was. The
    /// write itself is atomic (a temporary file renamed over the old one), so a stop never leaves half a file.
    /// </summary>
    internal static class ProfileFileStep
    {
        /// <summary>
        /// Asks <paramref name="target"/> / <paramref name="action"/> and runs <paramref name="write"/> (which returns the
        /// edit it made, or null when it changed nothing); null under -WhatIf or when declined, else <paramref name="result"/>.
        /// </summary>
        public static async Task<T> RunAsync<T>(IOperationHost host, string target, string action, Func<CancellationToken, ProfileFileEdit> write,
            Func<T> result, CancellationToken cancellationToken) where T : class
        {
            var runner = new StepRunner(host);
            ProfileFileEdit edit = null;
            var step = new OperationStep(target, action)
            {
                Do = ct =>
                {
                    edit = write(ct);
                    return Task.FromResult(edit != null);
                },
                Undo = ct =>
                {
                    edit.Undo(ct);
                    return Task.CompletedTask;
                },
                // The write is atomic and made in this thread: when it throws, the file is as it was.
                UndoWhenInterrupted = false,
            };
            step.UndoDescription = "the change to " + target + " (its previous content)";
            StepOutcome outcome;
            try
            {
                outcome = await runner.RunAsync(step, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                var failure = await runner.RollBackAfterAsync(e, cancellationToken).ConfigureAwait(false);
                if (failure == e) throw;
                throw failure;
            }
            return outcome == StepOutcome.Made || outcome == StepOutcome.AlreadyThere ? result() : null;
        }
    }
}
