using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core;
using S3Credentials.Core.Operations;
using Xunit;

namespace S3Credentials.Tests.Operations
{
    /// <summary>The one runner every state change walks: ask, do, record the undo; -WhatIf; stops; rollback.</summary>
    public sealed class StepRunnerTests
    {
        private readonly RecordingOperationHost _host = new RecordingOperationHost();
        private readonly List<string> _log = new List<string>();

        private OperationStep Step(string name, bool undoable = true, Func<CancellationToken, Task<bool>> run = null)
            => new OperationStep(name, "make " + name)
            {
                Do = run ?? (ct => { _log.Add("do " + name); return Task.FromResult(true); }),
                Undo = undoable ? ct => { _log.Add("undo " + name); return Task.CompletedTask; } : (Func<CancellationToken, Task>)null,
                UndoDescription = name,
            };

        [Fact]
        public async Task WhatIf_asks_the_same_questions_as_a_real_run_and_does_nothing()
        {
            var real = new StepRunner(_host);
            await real.RunAsync(Step("user"), CancellationToken.None);
            await real.RunTogetherAsync(new[] { Step("policy a"), Step("policy b") }, CancellationToken.None);
            var asked = _host.Confirmations.ToList();
            _log.Clear();
            _host.Confirmations.Clear();
            _host.IsWhatIf = true;

            var whatIf = new StepRunner(_host);
            Assert.Equal(StepOutcome.Shown, await whatIf.RunAsync(Step("user"), CancellationToken.None));
            Assert.Equal(StepOutcome.Shown, await whatIf.RunTogetherAsync(new[] { Step("policy a"), Step("policy b") }, CancellationToken.None));

            Assert.Equal(asked, _host.Confirmations);
            Assert.Empty(_log);
            Assert.Equal(0, whatIf.Count);
        }

        [Fact]
        public async Task WhatIf_shows_the_already_done_text_when_the_check_finds_the_state_there()
        {
            _host.IsWhatIf = true;
            var step = new OperationStep("bob", "Create IAM user") { ActionWhenDone = "Reuse the existing IAM user", IsDone = _ => Task.FromResult(true), Do = _ => throw new InvalidOperationException("not under -WhatIf") };
            Assert.Equal(StepOutcome.AlreadyThere, await new StepRunner(_host).RunAsync(step, CancellationToken.None));
            Assert.Equal(("bob", "Reuse the existing IAM user"), _host.Confirmations.Single());
        }

        [Fact]
        public async Task A_declined_step_is_not_done_and_the_walk_stops_there()
        {
            _host.Answer = (target, action) => target != "key";
            var runner = new StepRunner(_host);
            Assert.Equal(StepOutcome.Made, await runner.RunAsync(Step("user"), CancellationToken.None));
            Assert.Equal(StepOutcome.Declined, await runner.RunAsync(Step("key"), CancellationToken.None));
            Assert.Equal(new[] { "do user" }, _log);
            Assert.Equal(1, runner.Count);
        }

        [Fact]
        public async Task Rollback_undoes_newest_first_so_policies_and_keys_go_before_their_user()
        {
            var runner = new StepRunner(_host);
            foreach (var name in new[] { "user", "policy", "key" })
                await runner.RunAsync(Step(name), CancellationToken.None);
            var failure = new InvalidOperationException("later step failed");
            Assert.Same(failure, await runner.RollBackAfterAsync(failure, CancellationToken.None));
            Assert.Equal(new[] { "do user", "do policy", "do key", "undo key", "undo policy", "undo user" }, _log);
            Assert.Equal(0, runner.Count);
        }

        [Fact]
        public async Task A_step_stopped_in_flight_has_its_undo_recorded_and_done_although_the_caller_is_cancelled()
        {
            using var stop = new CancellationTokenSource();
            var runner = new StepRunner(_host);
            await runner.RunAsync(Step("user"), stop.Token);
            var policy = Step("policy", run: ct => { stop.Cancel(); ct.ThrowIfCancellationRequested(); return Task.FromResult(true); });
            var stopped = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(policy, stop.Token));
            Assert.Equal(2, runner.Count);
            Assert.Same(stopped, await runner.RollBackAfterAsync(stopped, stop.Token));
            Assert.Equal(new[] { "do user", "undo policy", "undo user" }, _log);
        }

        [Fact]
        public async Task A_step_done_while_the_caller_was_stopped_is_recorded_before_the_stop_goes_on()
        {
            using var stop = new CancellationTokenSource();
            var runner = new StepRunner(_host);
            var user = Step("user", run: ct => { stop.Cancel(); _log.Add("do user"); return Task.FromResult(true); });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(user, stop.Token));
            Assert.Equal(1, runner.Count);
        }

        [Fact]
        public async Task A_step_that_failed_without_a_clear_answer_is_undone_in_case_it_was_made()
        {
            var runner = new StepRunner(_host);
            var policy = Step("policy", run: ct => throw new HttpRequestException("connection reset"));
            await Assert.ThrowsAsync<HttpRequestException>(() => runner.RunAsync(policy, CancellationToken.None));
            Assert.Equal(1, runner.Count);
        }

        [Fact]
        public async Task A_step_refused_outright_records_no_undo()
        {
            var runner = new StepRunner(_host);
            var policy = Step("policy", run: ct => throw new S3CredentialsException("Refused", FailureKind.PermissionDenied, "no"));
            await Assert.ThrowsAsync<S3CredentialsException>(() => runner.RunAsync(policy, CancellationToken.None));
            Assert.Equal(0, runner.Count);
        }

        [Fact]
        public async Task What_could_not_be_undone_is_named_in_a_warning_and_in_the_error_with_the_failures_id()
        {
            var runner = new StepRunner(_host);
            await runner.RunAsync(new OperationStep("bob", "Create IAM user")
            {
                Do = _ => Task.FromResult(true),
                Undo = _ => throw new S3CredentialsException("DeleteConflict", FailureKind.InvalidOperation, "must delete policies first."),
                UndoDescription = "user 'bob'",
            }, CancellationToken.None);
            var failure = new S3CredentialsException("UserHasTwoAccessKeys", FailureKind.LimitsExceeded, "User 'bob' already has two access keys.", "UserName");

            var thrown = await runner.RollBackAfterAsync(failure, CancellationToken.None);

            var error = Assert.IsType<S3CredentialsException>(thrown);
            Assert.Equal("UserHasTwoAccessKeys", error.ErrorId);
            Assert.Equal("UserName", error.ParameterName);
            Assert.Contains("already has two access keys", error.Message);
            Assert.Contains("Could not undo: user 'bob'", error.Message);
            Assert.Contains(_host.Warnings, w => w.Contains("user 'bob'") && w.Contains("must delete policies first"));
        }
    }
}
