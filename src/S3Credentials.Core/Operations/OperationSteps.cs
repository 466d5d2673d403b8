using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// One state change of an operation, after its read-only checks: what it changes (target, action text), how to make
    /// the change, how to undo it, and how to tell that the wanted state is already there. The same step serves a real
    /// run, -WhatIf and -Confirm (<see cref="StepRunner"/>), so what -WhatIf shows is what a real run does.
    /// </summary>
    public sealed class OperationStep
    {
        public OperationStep(string target, string action)
        {
            Target = target ?? throw new ArgumentNullException(nameof(target));
            Action = action ?? throw new ArgumentNullException(nameof(action));
        }

        /// <summary>What is changed: a user, role, bucket or key; the target of ShouldProcess.</summary>
        public string Target { get; }

        /// <summary>What is done to it: the action of ShouldProcess (under -WhatIf, "What if: Performing the operation ...").</summary>
        public string Action { get; }

        /// <summary>
        /// The action under -WhatIf when <see cref="IsDone"/> finds the wanted state already there (such as "Reuse the existing
        /// IAM user"); a real run asks with "Action, or ..." since it finds out only by trying.
        /// </summary>
        public string ActionWhenDone { get; set; }

        /// <summary>False for a step that is part of the change asked about just before (a new bucket's policy): not asked again.</summary>
        public bool Asks { get; set; } = true;

        /// <summary>Makes the change. True when it made it; false when the wanted state was already there (nothing to undo).</summary>
        public Func<CancellationToken, Task<bool>> Do { get; set; }

        /// <summary>
        /// Read-only: whether the wanted state is there already. -WhatIf asks it instead of <see cref="Do"/> to show
        /// <see cref="ActionWhenDone"/>; a real run finds out by trying.
        /// </summary>
        public Func<CancellationToken, Task<bool>> IsDone { get; set; }

        /// <summary>
        /// True (the default) when a <see cref="Do"/> stopped (Ctrl+C) or failed without a clear answer may have made the
        /// change: then its undo is recorded anyway, so it must count "absent" as undone. False when <see cref="Do"/> finds
        /// out itself (it reads back after an unclear answer and returns what it made, or throws having made nothing).
        /// </summary>
        public bool UndoWhenInterrupted { get; set; } = true;

        /// <summary>Undoes the change; null when it cannot be undone (a deletion).</summary>
        public Func<CancellationToken, Task> Undo { get; set; }

        /// <summary>What the undo restores or removes, for verbose output and for naming a leftover ("user 'x'").</summary>
        public string UndoDescription { get; set; }

        /// <summary>Text shown when asking; a real run that has not looked yet names both outcomes.</summary>
        internal string Question(bool whatIf, bool? done)
        {
            if (ActionWhenDone == null) return Action;
            if (whatIf && done.HasValue) return done.Value ? ActionWhenDone : Action;
            return Action + ", or " + char.ToLowerInvariant(ActionWhenDone[0]) + ActionWhenDone.Substring(1);
        }
    }

    /// <summary>What became of one step.</summary>
    public enum StepOutcome
    {
        /// <summary>The change was made (and its undo recorded).</summary>
        Made,
        /// <summary>The wanted state was already there: nothing was changed.</summary>
        AlreadyThere,
        /// <summary>-WhatIf: shown, not made.</summary>
        Shown,
        /// <summary>The user said no at -Confirm (or the pipeline stopped): nothing was changed, and the operation stops.</summary>
        Declined,
    }

    /// <summary>
    /// Walks the steps of a state-changing operation: for each, ShouldProcess(target, action), then the change, then its
    /// undo recorded. Under -WhatIf it is the same walk without the changes (a step's read-only <see cref="OperationStep.IsDone"/>
    /// chooses its text). A step stopped (Ctrl+C) or failing while in flight has its outcome found out and, if it was
    /// made, its undo recorded; then the runner stops. <see cref="RollBackAsync"/> walks the recorded undos newest
    /// first (so policies and keys go before their user) on a token of its own, and names what could not be undone.
    /// </summary>
    public sealed class StepRunner
    {
        private readonly IOperationHost _host;
        private readonly CreatedResources _made = new CreatedResources();

        public StepRunner(IOperationHost host)
        {
            _host = host ?? throw new ArgumentNullException(nameof(host));
        }

        public bool IsWhatIf => _host.IsWhatIf;

        /// <summary>How many undos are recorded.</summary>
        public int Count => _made.Count;

        /// <summary>Asks, makes the change and records its undo; a declined step changes nothing.</summary>
        public async Task<StepOutcome> RunAsync(OperationStep step, CancellationToken cancellationToken)
        {
            if (step == null) throw new ArgumentNullException(nameof(step));
            if (_host.IsWhatIf)
            {
                bool? done = null;
                if (step.IsDone != null && step.ActionWhenDone != null)
                    done = await step.IsDone(cancellationToken).ConfigureAwait(false);
                if (step.Asks)
                    _host.ShouldProcess(step.Target, step.Question(true, done));
                return done == true ? StepOutcome.AlreadyThere : StepOutcome.Shown;
            }
            if (step.Asks && !_host.ShouldProcess(step.Target, step.Question(false, null)))
                return StepOutcome.Declined;
            return await DoAsync(step, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Several independent steps: each is asked first, in order; only when all are approved are they made, at once.
        /// Declined when any one is.
        /// </summary>
        public async Task<StepOutcome> RunTogetherAsync(IReadOnlyList<OperationStep> steps, CancellationToken cancellationToken)
        {
            if (_host.IsWhatIf)
            {
                foreach (var step in steps)
                    await RunAsync(step, cancellationToken).ConfigureAwait(false);
                return StepOutcome.Shown;
            }
            if (steps.Where(s => s.Asks).Count(s => _host.ShouldProcess(s.Target, s.Question(false, null))) != steps.Count(s => s.Asks))
                return StepOutcome.Declined;
            var outcomes = await Task.WhenAll(steps.Select(s => DoAsync(s, cancellationToken))).ConfigureAwait(false);
            return outcomes.All(o => o == StepOutcome.AlreadyThere) ? StepOutcome.AlreadyThere : StepOutcome.Made;
        }

        /// <summary>
        /// One question for several steps that are one change to the user (a key rotation): the actions joined after
        /// <paramref name="prefix"/>. Under -WhatIf the question is all that happens; true when approved.
        /// </summary>
        public bool Ask(string target, string prefix, IEnumerable<OperationStep> steps)
            => _host.ShouldProcess(target, prefix + string.Join(", ", steps.Where(s => s.Asks).Select(s => s.Action)));

        /// <summary>Makes a change already approved through <see cref="Ask"/> and records its undo (never under -WhatIf).</summary>
        public Task<StepOutcome> RunApprovedAsync(OperationStep step, CancellationToken cancellationToken)
        {
            if (_host.IsWhatIf) throw new InvalidOperationException("-WhatIf makes no change.");
            return DoAsync(step, cancellationToken);
        }

        private async Task<StepOutcome> DoAsync(OperationStep step, CancellationToken cancellationToken)
        {
            bool made;
            try
            {
                made = await step.Do(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (step.Undo != null && step.UndoWhenInterrupted && (cancellationToken.IsCancellationRequested || FailureClassification.IsUncertain(e)))
            {
                // Stopped (Ctrl+C) or failed without a clear answer while the change may have been sent: it may have been
                // made, so it is undone with the rest (its undo counts absent as undone).
                _made.Add(step.UndoDescription ?? step.Target, step.Undo);
                throw;
            }
            if (made && step.Undo != null)
                _made.Add(step.UndoDescription ?? step.Target, step.Undo);
            // Stopped during a change that completed: it is recorded above, so the rollback undoes it; now stop.
            cancellationToken.ThrowIfCancellationRequested();
            return made ? StepOutcome.Made : StepOutcome.AlreadyThere;
        }

        /// <summary>Records an undo for a change made outside a step (rarely needed: prefer a step).</summary>
        public void Record(string description, Func<CancellationToken, Task> undo) => _made.Add(description, undo);

        /// <summary>
        /// Undoes every recorded change, newest first, ignoring the caller's cancellation (each undo within
        /// <see cref="CreatedResources.UndoTimeout"/>). Each leftover is named in a warning; returns them.
        /// </summary>
        public Task<IReadOnlyList<string>> RollBackAsync() => _made.RollBackAsync(_host);

        /// <summary>
        /// After a declined step (the walk stops there): undoes what the command had already made, with a warning, so nothing
        /// is left half-made; each leftover is named in a warning too. Nothing to do when nothing was made.
        /// </summary>
        public async Task RollBackDeclinedAsync()
        {
            if (_made.Count == 0)
                return;
            _host.Warning("A step was declined: undoing what this command had already made, so nothing is left half-made.");
            await RollBackAsync().ConfigureAwait(false);
        }

        /// <summary>
        /// Rolls back after <paramref name="failure"/> and returns the exception to throw: the failure itself when
        /// everything was undone, otherwise one whose message also names what is left (as the warnings did), never silent.
        /// </summary>
        public async Task<Exception> RollBackAfterAsync(Exception failure, CancellationToken cancellationToken)
        {
            if (_made.Count == 0)
                return failure;
            _host.Verbose($"A step failed: undoing the {_made.Count} change(s) this command made.");
            var leftovers = await RollBackAsync().ConfigureAwait(false);
            if (leftovers.Count == 0)
                return failure;
            var left = $"Could not undo: {string.Join("; ", leftovers)}. Remove it by hand.";
            if (failure is OperationCanceledException && cancellationToken.IsCancellationRequested)
                return new OperationCanceledException("Stopped. " + left, failure, cancellationToken);
            var description = ErrorDescription.Describe(failure);
            return new S3CredentialsException(description.ErrorId, description.Kind, description.Message + " " + left, description.ParameterName, failure);
        }
    }
}
