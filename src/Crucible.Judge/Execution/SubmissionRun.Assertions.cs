using System.Text.Json;
using Crucible.Sandbox;

namespace Crucible.Judge.Execution;

internal sealed partial class SubmissionRun
{
    /// <summary>What one assertion test has learned so far across rounds.</summary>
    private sealed class AssertionState
    {
        /// <summary>Operations the driver asked for last round: canonical key and raw spec.</summary>
        public List<(string Key, string Spec)> Ops { get; set; } = [];

        /// <summary>The solution's answer to each of <see cref="Ops"/>, raw records; null until it ran them.</summary>
        public List<string>? Known { get; set; }

        /// <summary>Result signatures by (position, key), to notice a solution that answers the same call differently.</summary>
        public Dictionary<(int, string), string> Seen { get; } = [];
        public bool Nondeterministic { get; set; }
        public TimeSpan Cpu { get; set; }
        public bool Batched { get; set; }
        public RunResult? LastRun { get; set; }
    }

    /// <summary>
    /// Assertion tests. A trusted driver (a process that never loads the solution) runs the check script with
    /// stand-ins for the solution; each round it either decides or lists the calls it needs answered. The solution's
    /// process then executes exactly those calls, from a fresh start, and its answers (strictly typed values) go
    /// back to the driver. The script — and every expected value in it — never enters the solution's process.
    /// </summary>
    private async Task RunAssertionsAsync(List<int> indices, CancellationToken ct)
    {
        var state = indices.ToDictionary(i => i, _ => new AssertionState());
        for (var round = 0; round < _options.MaxAssertionRounds; round++)
        {
            var open = indices.Where(i => _results[i] is null).ToList();
            if (open.Count == 0) return;
            var needing = await RunDriverAsync(open, state, ct).ConfigureAwait(false);
            if (needing.Count == 0) return;
            await RunOperationsAsync(needing, state, ct).ConfigureAwait(false);
        }
        foreach (var i in indices.Where(i => _results[i] is null))
        {
            var s = state[i];
            Set(Blank(i) with
            {
                CpuTime = s.Cpu,
                Batched = s.Batched,
                Outcome = s.Nondeterministic ? TestOutcome.WrongAnswer : TestOutcome.SandboxError,
                Message = s.Nondeterministic
                    ? "the solution answered the same call differently from one run to the next, so the check never settled"
                    : $"the assertion script still asked for new calls after {_options.MaxAssertionRounds} rounds (its calls depend on earlier results); raise JudgeOptions.MaxAssertionRounds",
            });
        }
    }

    /// <summary>One driver round; returns the tests that need the solution to answer calls.</summary>
    private async Task<List<int>> RunDriverAsync(List<int> open, Dictionary<int, AssertionState> state, CancellationToken ct)
    {
        var nonce = PythonHarness.NewNonce();
        var stdin = PythonHarness.Request(nonce, w =>
        {
            if (Problem.Prompt is { Length: > 0 } prompt) w.WriteString("prompt", prompt);
            w.WriteStartArray("tests");
            foreach (var i in open)
            {
                var t = (AssertionTest)_plan.Tests[i];
                w.WriteStartObject();
                w.WriteNumber("i", i);
                w.WriteString("script", t.Script);
                if ((t.EntryPoint ?? Problem.EntryPoint) is { } entry) w.WriteString("entry", entry);
                if (t.Setup is { Length: > 0 } setup) w.WriteString("setup", setup);
                var s = state[i];
                if (s.Known is { } known)
                {
                    w.WriteStartArray("known");
                    for (var k = 0; k < known.Count; k++)
                    {
                        w.WriteStartObject();
                        w.WriteString("key", s.Ops[k].Key);
                        w.WritePropertyName("r");
                        w.WriteRawValue(known[k], skipInputValidation: true);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        var run = await _session.RunAsync(new RunRequest { Stdin = stdin, Args = ["check"], Limits = HelperLimits }, ct).ConfigureAwait(false);
        var byTest = ResultRecords(PythonHarness.ReadRecords(run.StdoutBytes, nonce), "c");
        var needing = new List<int>();
        foreach (var i in open)
        {
            var s = state[i];
            if (!byTest.TryGetValue(i, out var rec))
            {
                Set(Blank(i) with
                {
                    CpuTime = s.Cpu,
                    Outcome = TestOutcome.SandboxError,
                    Message = $"the assertion driver failed ({run.Verdict}{(run.Message is { } m ? ", " + m : "")}){LastLine(run.Stderr)}",
                    StderrPreview = Preview(run.Stderr),
                });
                continue;
            }
            var message = rec.Str("m"u8);
            var decided = Blank(i) with
            {
                CpuTime = s.Cpu,
                Batched = s.Batched,
                PeakMemoryBytes = s.LastRun?.PeakMemoryBytes ?? 0,
                Message = message,
                StderrPreview = s.LastRun is { StderrBytes.Length: > 0 } last ? Preview(last.Stderr) : null,
            };
            switch (rec.Str("s"u8))
            {
                case "pass": Set(decided with { Outcome = TestOutcome.Passed, Message = null }); break;
                case "fail":
                case "error": Set(decided with { Outcome = TestOutcome.WrongAnswer }); break;
                case "raised": Set(decided with { Outcome = TestOutcome.RuntimeError }); break;
                case "forced": Set(decided with { Outcome = rec.Is("k"u8, "value"u8) ? TestOutcome.WrongAnswer : TestOutcome.RuntimeError }); break;
                case "need":
                    var ops = new List<(string, string)>();
                    if (rec.TryGetProperty("ops"u8, out var list) && list.ValueKind == JsonValueKind.Array)
                        foreach (var op in list.EnumerateArray())
                            ops.Add((op.Str("key"u8) ?? "", op.Raw("op"u8) ?? "{}"));
                    s.Ops = ops;
                    s.Known = null;
                    needing.Add(i);
                    break;
                default: Set(decided with { Outcome = TestOutcome.SandboxError, Message = "the assertion harness cannot run this script: " + message }); break;
            }
        }
        return needing;
    }

    /// <summary>The solution's side of a round: runs the listed calls (batched, with the same per-test fallback as function calls).</summary>
    private async Task RunOperationsAsync(List<int> needing, Dictionary<int, AssertionState> state, CancellationToken ct)
    {
        var pending = new List<int>(needing);
        var alone = false;
        while (pending.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var batch = alone || !_options.Batch ? pending.GetRange(0, 1) : new List<int>(pending);
            alone = false;
            var nonce = PythonHarness.NewNonce();
            var limits = batch.Select(CpuFor).ToList();
            var load = limits.Max();
            var stdin = PythonHarness.Request(nonce, w =>
            {
                // The solution side loads after the same prelude as function-call tests: LeetCode-style solutions use
                // List, Optional, ListNode … without importing or defining them.
                w.WriteString("prelude", _options.PythonPrelude ?? "");
                w.WriteNumber("load_cpu", load.TotalSeconds);
                w.WriteStartArray("tests");
                for (var b = 0; b < batch.Count; b++)
                {
                    w.WriteStartObject();
                    w.WriteNumber("i", batch[b]);
                    w.WriteNumber("cpu", limits[b].TotalSeconds);
                    w.WriteStartArray("ops");
                    foreach (var (_, spec) in state[batch[b]].Ops) w.WriteRawValue(spec, skipInputValidation: true);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
            var run = await _session.RunAsync(new RunRequest { Stdin = stdin, Args = ["ops"], Limits = LimitsFor(RunBudget(limits, load)) }, ct).ConfigureAwait(false);
            var records = PythonHarness.ReadRecords(run.StdoutBytes, nonce);
            if (LoadFailure(records, run) is { } failure)
            {
                foreach (var i in pending) Set(failure(i));
                return;
            }
            var ends = ResultRecords(records, "e");
            foreach (var i in batch)
            {
                if (!ends.TryGetValue(i, out var end)) break;
                var s = state[i];
                s.Cpu = TimeSpan.FromSeconds(end.Seconds("cpu"u8));
                s.Batched = batch.Count > 1;
                s.LastRun = run;
                pending.Remove(i);
                var status = end.Str("s"u8);
                if (status == "ok" && OperationResults(records, i, s.Ops.Count) is { } known)
                {
                    NoteAnswers(s, known);
                    s.Known = known;
                    continue;
                }
                var last = records.LastOrDefault(r => r.Is("t"u8, "o"u8) && r.Int("i"u8) == i);
                Set(Measured(i, run) with
                {
                    CpuTime = s.Cpu,
                    Batched = s.Batched,
                    Outcome = status == "timeout" ? TestOutcome.TimeLimitExceeded : status == "exit" ? TestOutcome.RuntimeError : TestOutcome.WrongAnswer,
                    Message = status switch
                    {
                        "timeout" => $"CPU time exceeded {CpuFor(i).TotalSeconds:0.###} s",
                        "exit" => $"the solution raised {(last.ValueKind == JsonValueKind.Object ? last.Exception() : "SystemExit")} during the check (exit() is a failure, not a pass)",
                        _ => "conflicting or missing result records for this test (the harness channel was written to)",
                    },
                });
            }
            if (!batch.Any(pending.Contains)) continue;
            if (run.Verdict == Verdict.SandboxError)
            {
                foreach (var i in pending) Set(FromRun(i, run));
                return;
            }
            if (batch.Count > 1 && !InFlightTimedOut(records, run, pending[0], "e"))
            {
                alone = true;
                continue;
            }
            var abnormal = AbnormalEnd(pending[0], run, batch.Count > 1);
            Set(abnormal with { Message = abnormal.Message + " (during the check)" });
            pending.RemoveAt(0);
        }
    }

    /// <summary>The raw result records of test <paramref name="test"/>, one per operation in order; null if any is missing or doubled.</summary>
    private static List<string>? OperationResults(List<JsonElement> records, int test, int count)
    {
        var byOp = new string?[count];
        foreach (var r in records)
        {
            if (!r.Is("t"u8, "o"u8) || r.Int("i"u8) != test || r.Int("k"u8) is not { } k || k < 0 || k >= count) continue;
            if (byOp[k] is not null) return null;
            byOp[k] = r.GetRawText();
        }
        return byOp.Any(x => x is null) ? null : byOp.Select(x => x!).ToList();
    }

    private static void NoteAnswers(AssertionState s, List<string> known)
    {
        for (var k = 0; k < known.Count; k++)
        {
            using var doc = JsonDocument.Parse(known[k]);
            var r = doc.RootElement;
            var signature = r.Str("s"u8) + "|" + (r.Raw("v"u8) ?? r.Str("h"u8) ?? r.Str("e"u8) ?? "");
            var at = (k, s.Ops[k].Key);
            if (s.Seen.TryGetValue(at, out var before) && before != signature) s.Nondeterministic = true;
            s.Seen[at] = signature;
        }
    }
}
