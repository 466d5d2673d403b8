using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Resilience
{
    /// <summary>
    /// The cancellation matrix (issue 18): Ctrl+C at every request of the fault matrix's scenarios, on the same moto,
    /// snapshot and recorder. For each request of a clean run, the operation's token is cancelled (a) just before the
    /// request is sent (a boundary) and (b) while it is in flight, after the server has carried it out and before its
    /// answer reaches the client (the worst moment). Each run must end cancelled (or succeed with the state wanted, when
    /// the cancellation came after the last change), and leave the account as before, or name every leftover in a warning;
    /// Update-S3Credential may leave none at all.
    /// </summary>
    public sealed partial class FaultMatrixTests
    {
        private sealed class CancelTally
        {
            public int Tried, Clean, Completed, Named, Silent;
            public readonly List<string> Problems = new List<string>();
            /// <summary>Runs that ended other than clean, and how.</summary>
            public readonly List<string> Notes = new List<string>();

            public void Add(CancelTally other)
            {
                Tried += other.Tried; Clean += other.Clean; Completed += other.Completed; Named += other.Named; Silent += other.Silent;
                Problems.AddRange(other.Problems);
                Notes.AddRange(other.Notes);
            }
        }

        /// <summary>
        /// What names a snapshot line in a warning: the quoted user, role or bucket it belongs to, or its key id
        /// ("key u/AKIA... Active" is named by 'u' or by AKIA...).
        /// </summary>
        private static IEnumerable<string> NamesOf(string line)
        {
            var parts = line.Split(' ');
            var owner = parts[1].Split('/')[0];
            yield return "'" + owner + "'";
            if (parts[0] == "key")
                yield return parts[1].Split('/')[1];
        }

        private async Task CancelOnceAsync(Scenario scenario, CancelTally tally, ICollection<string> usualWarnings, (string Service, string Action, int Nth) step, bool inFlight)
        {
            var label = $"{scenario.Name} / {step.Action} #{step.Nth} / {(inFlight ? "in flight" : "before")}";
            // The stop comes after the scenario's own faults: at the same request, it is the one that answers.
            var (before, recorder) = await PrepareAsync(scenario, null);
            using var stop = new CancellationTokenSource();
            recorder.CancelAtNth(step.Action, step.Nth, stop, inFlight);
            var (result, error) = await RunAsync(scenario, recorder, stop.Token);
            tally.Tried++;

            if (!recorder.Calls.Any(c => c.Injected == "Cancelled"))
                tally.Problems.Add($"{label}: the request to stop at was never made");
            if (error != null && !(error is OperationCanceledException))
                tally.Problems.Add($"{label}: ended in {error.GetType().Name}: {error.Message}, not cancelled");
            var after = await SnapshotAsync();
            if (error == null || (scenario.PartialFailureNamed && after != before))
            {
                // Cancelled after the last change (or, for Remove-S3User, the server finished the removal): the state wanted.
                var wrong = await scenario.Wanted(result);
                if (wrong == null) { tally.Completed++; tally.Notes.Add($"{label}: completed ({(error == null ? "succeeded" : "cancelled")})"); return; }
                if (error == null) { tally.Silent++; tally.Problems.Add($"{label}: succeeded, but {wrong}"); return; }
            }
            if (after == before) { tally.Clean++; return; }

            var extraWarnings = Host.Warnings.Where(w => !usualWarnings.Contains(w)).ToList();
            var changed = after.Split('\n').Except(before.Split('\n')).Concat(before.Split('\n').Except(after.Split('\n'))).ToList();
            var unnamed = changed.Where(line => !extraWarnings.Any(w => NamesOf(line).Any(w.Contains))).ToList();
            if (unnamed.Count == 0) { tally.Named++; tally.Notes.Add($"{label}: {string.Join(", ", changed)} changed, named in: {string.Join(" | ", extraWarnings)}"); }
            else
            {
                tally.Silent++;
                tally.Problems.Add($"{label}: left, named in no warning:\n{string.Join("\n", unnamed)}\nwarnings:\n{string.Join("\n", extraWarnings)}");
            }
        }

        [Fact]
        public async Task Cancelling_before_or_during_every_request_of_every_operation_leaves_nothing_or_names_each_leftover_in_a_warning()
        {
            var clock = Stopwatch.StartNew();
            var table = new List<string>
            {
                "| operation | requests | tried | clean | completed | leftovers named in a warning | silent leftovers |",
                "|---|---|---|---|---|---|---|",
            };
            var total = new CancelTally();
            var byScenario = new Dictionary<string, CancelTally>();
            var requests = new List<string>();
            foreach (var scenario in Scenarios())
            {
                var tally = new CancelTally();
                var steps = Steps(await RunOnceAsync(scenario, new Tally(), "clean", null));
                var usualWarnings = Host.Warnings.ToList();
                foreach (var step in steps)
                    foreach (var inFlight in new[] { false, true })
                        await CancelOnceAsync(scenario, tally, usualWarnings, step, inFlight);
                table.Add($"| {scenario.Name} | {steps.Count} | {tally.Tried} | {tally.Clean} | {tally.Completed} | {tally.Named} | {tally.Silent} |");
                total.Add(tally);
                byScenario[scenario.Name] = tally;
                requests.Add($"{scenario.Name}: {string.Join(", ", steps.Select(st => $"{st.Action} #{st.Nth}"))}");
            }
            table.Add($"| **all** | - | {total.Tried} | {total.Clean} | {total.Completed} | {total.Named} | {total.Silent} |");

            foreach (var line in table) _output.WriteLine(line);
            _output.WriteLine($"{total.Tried} runs in {clock.Elapsed.TotalSeconds:0} s");
            foreach (var line in requests) _output.WriteLine(line);
            foreach (var note in total.Notes) _output.WriteLine(note);
            foreach (var problem in total.Problems) _output.WriteLine(problem);
            Assert.True(total.Problems.Count == 0, string.Join("\n\n", total.Problems));
            Assert.Equal(total.Tried, total.Clean + total.Completed + total.Named);
            Assert.True(total.Tried > 50, $"only {total.Tried} runs");
            // A rotation stopped at any moment leaves the account as it was, or completes (old key deleted, new key returned):
            // never a leftover, not even a named one (it once ended keyless when stopped at the old key's DeleteAccessKey).
            Assert.Equal(0, byScenario["Update-S3Credential"].Named);
        }
    }
}
