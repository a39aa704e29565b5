using System.Text.Json;
using Crucible.Judge.Values;
using Crucible.Sandbox;

namespace Crucible.Judge.Execution;

internal sealed partial class SubmissionRun
{
    /// <summary>
    /// Function-call tests: the harness calls the solution and sends back each return value, strictly typed; the
    /// host compares. All tests go to one process when batching; if that process ends before a test's result, the
    /// test is run again alone (its verdict is then that run's own fate) and the batch resumes after it.
    /// </summary>
    private async Task RunFunctionCallsAsync(List<int> indices, CancellationToken ct)
    {
        var pending = new List<int>(indices);
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
                w.WriteString("prelude", _options.PythonPrelude ?? "");
                w.WriteNumber("load_cpu", load.TotalSeconds);
                w.WriteBoolean("stop_on_error", _options.StopAtFirstFailure);
                w.WriteStartArray("tests");
                for (var b = 0; b < batch.Count; b++)
                {
                    var t = (FunctionCallTest)_plan.Tests[batch[b]];
                    w.WriteStartObject();
                    w.WriteNumber("i", batch[b]);
                    w.WriteString("fn", t.FunctionName);
                    if (t.ClassName is not null) w.WriteString("cls", t.ClassName);
                    w.WritePropertyName("args");
                    w.WriteRawValue(t.ArgumentsJson, skipInputValidation: true);
                    w.WriteNumber("cpu", limits[b].TotalSeconds);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
            var run = await _session.RunAsync(new RunRequest { Stdin = stdin, Args = ["call"], Limits = LimitsFor(RunBudget(limits, load)) }, ct).ConfigureAwait(false);
            var records = PythonHarness.ReadRecords(run.StdoutBytes, nonce);
            if (LoadFailure(records, run) is { } failure)
            {
                foreach (var i in pending) Set(failure(i));
                return;
            }
            var byTest = ResultRecords(records, "r");
            var stopped = false;
            foreach (var i in batch)
            {
                if (!byTest.TryGetValue(i, out var rec)) break;
                Set(FromCallRecord(i, rec, run, batch.Count > 1));
                pending.Remove(i);
                if (_options.StopAtFirstFailure && rec.Str("s") != "ok") stopped = true;
            }
            if (stopped) return;
            if (!batch.Any(pending.Contains)) continue;
            if (run.Verdict == Verdict.SandboxError)
            {
                foreach (var i in pending) Set(FromRun(i, run));
                return;
            }
            if (batch.Count > 1 && !InFlightTimedOut(records, run, pending[0], "r"))
            {
                alone = true;
                continue;
            }
            Set(AbnormalEnd(pending[0], run, batch.Count > 1));
            pending.RemoveAt(0);
        }
    }

    /// <summary>The verdict of a test whose process ended before reporting its result.</summary>
    private TestResult AbnormalEnd(int test, RunResult run, bool batched)
    {
        var result = FromRun(test, run) with { Batched = batched };
        return run.Verdict == Verdict.TimeLimitExceeded
            ? result with { Message = $"CPU time exceeded {CpuFor(test).TotalSeconds:0.###} s", CpuTime = batched ? CpuFor(test) : run.CpuTime }
            : result;
    }

    /// <summary>
    /// A batch stopped for CPU time while a test was running: that test exceeded its own limit (every earlier test
    /// finished within its own, or the in-process alarm would have stopped it), so it needs no rerun. Any other end
    /// (crash, memory) may come from state earlier tests left behind, so the test is rerun alone.
    /// </summary>
    private static bool InFlightTimedOut(List<JsonElement> records, RunResult run, int test, string resultType) =>
        run.Verdict == Verdict.TimeLimitExceeded && run.TimeLimit == TimeLimitKind.Cpu
        && records.Any(r => r.Str("t") == "s" && r.Int("i") == test)
        && !records.Any(r => r.Str("t") == resultType && r.Int("i") == test);

    /// <summary>
    /// CPU for one harness process, enforced by the host on the whole process tree. A batch gets every test's limit
    /// plus the alarm's slack, the load allowance and a second of harness. A single test (Batch = false, or a rerun
    /// alone) gets its own limit plus a fixed start-up allowance only: the in-process alarm and clock can be
    /// tampered with by the solution, so nothing the process measures may extend what the host allows.
    /// </summary>
    private TimeSpan RunBudget(List<TimeSpan> limits, TimeSpan load) =>
        limits.Count == 1 ? limits[0] + _options.SingleTestStartupCpu
        : TimeSpan.FromTicks(limits.Sum(l => l.Ticks)) + TimeSpan.FromSeconds(0.06 * limits.Count + 1) + load;

    /// <summary>
    /// One record per test; a test with two different records (only a solution writing on the harness's channel can
    /// cause that) gets a record that fails it.
    /// </summary>
    private static Dictionary<int, JsonElement> ResultRecords(List<JsonElement> records, string type)
    {
        var byTest = new Dictionary<int, JsonElement>();
        foreach (var r in records)
        {
            if (r.Str("t") != type || r.Int("i") is not { } i) continue;
            if (byTest.TryGetValue(i, out var seen))
            {
                if (seen.GetRawText() != r.GetRawText())
                    byTest[i] = JsonDocument.Parse("{\"s\":\"forged\"}").RootElement.Clone();
                continue;
            }
            byTest[i] = r;
        }
        return byTest;
    }

    /// <summary>When the solution did not load, the verdict every remaining test gets; null when it loaded.</summary>
    private Func<int, TestResult>? LoadFailure(List<JsonElement> records, RunResult run)
    {
        var load = records.FirstOrDefault(r => r.Str("t") == "load");
        if (load.ValueKind == JsonValueKind.Undefined)
            return i => FromRun(i, run) with { Message = FromRun(i, run).Message + " (while loading the solution)" };
        var status = load.Str("s");
        if (status == "ok") return null;
        var (outcome, message) = status switch
        {
            "syntax" => (TestOutcome.CompileError, "the solution does not compile: " + load.Str("m")),
            "timeout" => (TestOutcome.TimeLimitExceeded, "loading the solution exceeded the CPU limit"),
            "exit" => (TestOutcome.RuntimeError, "the solution exited while loading (" + load.Exception() + ")"),
            _ => (TestOutcome.RuntimeError, "loading the solution raised " + load.Exception()),
        };
        var stderr = load.Str("tb");
        return i => Measured(i, run) with { Outcome = outcome, Message = message, StderrPreview = Preview(stderr) ?? Measured(i, run).StderrPreview };
    }

    private TestResult FromCallRecord(int index, JsonElement rec, RunResult run, bool batched)
    {
        var test = (FunctionCallTest)_plan.Tests[index];
        var expected = _plan.Expected[index];
        var result = Measured(index, run) with
        {
            // Alone, the host's measure of the whole process (which the solution cannot alter); in a batch, the call's own.
            CpuTime = batched ? TimeSpan.FromSeconds(rec.Seconds("cpu")) : run.CpuTime,
            WallTime = TimeSpan.FromSeconds(rec.Seconds("wall")),
            Batched = batched,
            ExpectedPreview = Preview(expected.ToString()),
        };
        switch (rec.Str("s"))
        {
            case "ok":
                if (rec.Raw("v") is not { } raw || !PyJson.TryParse(raw, out var actual, out _))
                    return result with { Outcome = TestOutcome.WrongAnswer, Message = "the returned value could not be read" };
                var ok = ValueComparer.Matches(actual, expected, Comparison, test.ExpectedIsWrapped);
                var shown = actual.ToString();
                return result with
                {
                    Outcome = ok ? TestOutcome.Passed : TestOutcome.WrongAnswer,
                    Message = ok ? null : $"wrong answer: {test.FunctionName} returned {Clip(shown)}, expected {Clip(expected.ToString())}",
                    ActualPreview = Preview(shown),
                };
            case "timeout":
                return result with { Outcome = TestOutcome.TimeLimitExceeded, Message = $"CPU time exceeded {CpuFor(index).TotalSeconds:0.###} s" };
            case "exc":
                return result with { Outcome = TestOutcome.RuntimeError, Message = "runtime error: " + rec.Exception(), StderrPreview = Preview(rec.Str("tb")) };
            case "exit":
                return result with { Outcome = TestOutcome.RuntimeError, Message = $"the function raised {rec.Exception()} (exit() is a failure, not a pass)" };
            case "bad":
                return result with { Outcome = TestOutcome.WrongAnswer, Message = "wrong answer: " + rec.Str("m") + "; only builtin values are accepted" };
            default:
                return result with { Outcome = TestOutcome.WrongAnswer, Message = "conflicting result records for this test (the harness channel was written to)" };
        }
    }

    private static string Clip(string s) => s.Length <= 120 ? s : s[..120] + "…";
}
