using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
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
    private Task RunFunctionCallsAsync(List<int> indices, CancellationToken ct) => ContinueCallsAsync(new CallGroup(indices, GroupBudget(indices), _options.Batch), ct);

    /// <summary>Runs a group's pending tests until each has a verdict (batches, reruns alone, the group's budget).</summary>
    private async Task ContinueCallsAsync(CallGroup group, CancellationToken ct)
    {
        while (!group.Done && group.Pending.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            if (group.Spent > group.Budget)
            {
                // EvalPlus gives a split min(60 s, Σ limits) + 1 s in all; what is left of it is not run (timeout).
                foreach (var i in group.Pending)
                    Set(Blank(i) with { Outcome = TestOutcome.TimeLimitExceeded, Message = $"not run: the tests of '{_plan.Tests[i].Group}' used up their time budget of {group.Budget.TotalSeconds:0.#} s" });
                break;
            }
            var digests = !group.WholeValues;
            var batch = group.Alone || !_options.Batch ? group.Pending.GetRange(0, 1) : RunOfPending(group.Pending, digests);
            group.Alone = false;
            group.WholeValues = false;
            var buffered = group.Buffer && batch.Count > 1;
            var nonce = PythonHarness.NewNonce();
            var limits = batch.Select(CpuFor).ToList();
            var load = limits.Max();
            var stdin = CallRequest(nonce, batch, load, buffered, null, digests);
            var run = await _session.RunAsync(new RunRequest { Stdin = stdin, Args = ["call"], Limits = LimitsFor(Cap(RunBudget(limits, load), group.Budget, group.Spent)) with { MaxOutputBytes = OutputAllowance(batch, digests) } }, ct).ConfigureAwait(false);
            AfterCallRun(group, batch, buffered, shared: false, PythonHarness.ReadRecords(run.StdoutBytes, nonce), run, run.CpuTime);
        }
    }

    /// <summary>
    /// The harness's request for <paramref name="batch"/>; with <paramref name="groupOf"/>, each test carries its
    /// group's number and the harness runs each group in a process of its own (<see cref="RunCallGroupsAsync"/>).
    /// </summary>
    private byte[] CallRequest(string nonce, List<int> batch, TimeSpan load, bool buffered, Func<int, (int Group, int CapSeconds)>? groupOf, bool digests) =>
        PythonHarness.Request(nonce, w =>
        {
            var evalPlus = IsEvalPlus(batch[0]);
            w.WriteString("prelude", evalPlus ? "" : _options.PythonPrelude ?? "");
            // The solution gets EvalPlus's execution environment (its reliability guard: open, os.kill … are None).
            if (evalPlus) w.WriteBoolean("evalplus", true);
            w.WriteNumber("load_cpu", load.TotalSeconds);
            w.WriteBoolean("stop_on_error", _options.StopAtFirstFailure);
            if (buffered) w.WriteBoolean("buffer", true);
            if (groupOf is not null) w.WriteBoolean("fork_groups", true);
            if (digests) w.WriteNumber("digest_from", DigestFromChars);
            // Consecutive tests that call the same function the same way share a header; each test is a row
            // [index, CPU limit, arguments] (the harness's _call_tests).
            w.WriteStartArray("calls");
            (string Fn, string? Cls, bool NotNone, bool EvalPlus, bool OracleArgs, bool Plain, int Group, int Cap)? open = null;
            foreach (var index in batch)
            {
                var t = (FunctionCallTest)_plan.Tests[index];
                var (g, cap) = groupOf?.Invoke(index) ?? (0, 0);
                (string Fn, string? Cls, bool NotNone, bool EvalPlus, bool OracleArgs, bool Plain, int Group, int Cap) header =
                    (t.FunctionName, t.ClassName, t.EvalPlus?.Oracle == EvalPlusOracle.NotNone, t.EvalPlus is not null, OracleReadsArguments(t), !t.ArgumentsJson.Contains('{'), g, cap);
                if (open != header)
                {
                    if (open is not null)
                    {
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }
                    open = header;
                    w.WriteStartObject();
                    w.WriteStartObject("h");
                    w.WriteString("fn", header.Fn);
                    if (header.Cls is not null) w.WriteString("cls", header.Cls);
                    if (header.NotNone) w.WriteBoolean("nn", true);
                    if (header.EvalPlus) w.WriteBoolean("ep", true);
                    if (header.OracleArgs) w.WriteBoolean("oa", true);
                    if (header.Plain) w.WriteBoolean("p", true);
                    if (groupOf is not null)
                    {
                        w.WriteNumber("g", g);
                        w.WriteNumber("cap", cap);
                    }
                    w.WriteEndObject();
                    w.WriteStartArray("t");
                }
                w.WriteStartArray();
                w.WriteNumberValue(index);
                w.WriteNumberValue(CpuFor(index).TotalSeconds);
                w.WriteRawValue(t.ArgumentsJson, skipInputValidation: true);
                w.WriteEndArray();
            }
            if (open is not null)
            {
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });

    /// <summary>
    /// Takes the verdicts a run gave <paramref name="batch"/> and decides what the group does next. A run that ended
    /// before a test's result was buffering (<paramref name="buffered"/>) or shared with other groups
    /// (<paramref name="shared"/>: its own end is not this group's) cannot tell which test was in flight: the first
    /// missing test is then rerun alone, and the rest with every record written at once.
    /// </summary>
    private void AfterCallRun(CallGroup group, List<int> batch, bool buffered, bool shared, List<JsonElement> records, RunResult run, TimeSpan cpu,
        Dictionary<int, CallRecord>? resultRecords = null)
    {
        if (LoadFailure(records, run) is { } failure)
        {
            foreach (var i in group.Pending) Set(failure(i));
            group.Done = true;
            return;
        }
        var byTest = resultRecords ?? CallRecord.ByTest(records);
        var stopped = false;
        var batched = shared || batch.Count > 1;
        var stderrPreview = run.StderrBytes.Length > 0 ? Preview(run.Stderr) : null; // the run's, shared by its tests
        group.Spent += cpu;
        var judged = 0;
        var undecided = false;
        foreach (var i in batch)
        {
            if (!byTest.TryGetValue(i, out var rec)) break;
            if (FromCallRecord(i, rec, run, batched, stderrPreview) is not { } verdict)
            {
                undecided = true; // a digest that cannot decide: this test and the next run again, values sent whole
                break;
            }
            Set(verdict);
            var official = NeedsOfficialRun(i, rec);
            if (official) _officialPending.Add(i);
            judged++;
            // A failure decides the group: the rest of this run is judged (it ran), but no further run is made for it.
            if (_options.StopAtFirstFailure && !official && verdict.Outcome != TestOutcome.Passed) stopped = true;
        }
        RemoveJudged(group.Pending, batch, judged);
        if (stopped)
        {
            group.Done = true;
            return;
        }
        if (undecided)
        {
            // As runs went before digests: up to 32 MiB of answers whole, from the first test the digest left open.
            group.WholeValues = true;
            return;
        }
        if (!batch.Any(group.Pending.Contains)) return;
        if (run.Verdict == Verdict.SandboxError)
        {
            foreach (var i in group.Pending) Set(FromRun(i, run));
            group.Done = true;
            return;
        }
        if (shared && !records.Any(r => r.Is("t"u8, "s"u8) && r.Int("i"u8) is { } i && batch.Contains(i)))
            return; // the shared run ended before this group began: its first attempt is still to come, as usual
        group.Buffer = false;
        if (shared || (batch.Count > 1 && (buffered || !InFlightTimedOut(records, run, group.Pending[0], "r"))))
        {
            group.Alone = true;
            return;
        }
        Set(AbnormalEnd(group.Pending[0], run, batch.Count > 1));
        group.Pending.RemoveAt(0);
    }

    /// <summary>
    /// Takes the first <paramref name="judged"/> tests of <paramref name="batch"/> off the pending list. A batch is the
    /// front of that list in order, so they go as one range (removed one by one, each shifted the rest of the list:
    /// quadratic in a HumanEval+ split's thousand tests); anything else is removed test by test.
    /// </summary>
    private static void RemoveJudged(List<int> pending, List<int> batch, int judged)
    {
        if (judged == 0) return;
        if (judged <= pending.Count && pending[..judged].SequenceEqual(batch[..judged])) pending.RemoveRange(0, judged);
        else
            for (var k = 0; k < judged; k++) pending.Remove(batch[k]);
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
        && records.Any(r => r.Is("t"u8, "s"u8) && r.Int("i"u8) == test)
        && !records.Any(r => r.Str("t"u8) == resultType && r.Int("i"u8) == test);

    /// <summary>
    /// CPU for one harness process, enforced by the host on the whole process tree. A batch gets every test's limit
    /// plus the alarm's slack, the load allowance and a second of harness. A single test (Batch = false, or a rerun
    /// alone) gets its own limit plus a fixed start-up allowance only: the in-process alarm and clock can be
    /// tampered with by the solution, so nothing the process measures may extend what the host allows.
    /// </summary>
    private TimeSpan RunBudget(List<TimeSpan> limits, TimeSpan load) =>
        limits.Count == 1 ? limits[0] + _options.SingleTestStartupCpu
        : TimeSpan.FromTicks(limits.Sum(l => l.Ticks)) + TimeSpan.FromSeconds(0.06 * limits.Count + 1) + load;

    /// <summary>One record of the kind per test (<see cref="RecordFields.KeepOnePerTest"/>).</summary>
    private static Dictionary<int, JsonElement> ResultRecords(List<JsonElement> records, string type)
    {
        var byTest = new Dictionary<int, JsonElement>();
        var wanted = Encoding.UTF8.GetBytes(type);
        foreach (var r in records)
            if (r.Is("t"u8, wanted) && r.Int("i"u8) is { } i) RecordFields.KeepOnePerTest(byTest, i, r, e => e, RecordFields.Forged);
        return byTest;
    }

    /// <summary>When the solution did not load, the verdict every remaining test gets; null when it loaded.</summary>
    private Func<int, TestResult>? LoadFailure(List<JsonElement> records, RunResult run)
    {
        var load = records.FirstOrDefault(r => r.Is("t"u8, "load"u8));
        if (load.ValueKind == JsonValueKind.Undefined)
            return i =>
            {
                var ended = FromRun(i, run);
                return ended with { Message = ended.Message + " (while loading the solution)", SolutionNotLoaded = true };
            };
        var status = load.Str("s"u8);
        if (status == "ok") return null;
        var (outcome, message) = status switch
        {
            "syntax" => (TestOutcome.CompileError, "the solution does not compile: " + load.Str("m"u8)),
            "timeout" => (TestOutcome.TimeLimitExceeded, "loading the solution exceeded the CPU limit"),
            "exit" => (TestOutcome.RuntimeError, "the solution exited while loading (" + load.Exception() + ")"),
            _ => (TestOutcome.RuntimeError, "loading the solution raised " + load.Exception()),
        };
        var traceback = Preview(load.Str("tb"u8));
        return i =>
        {
            var measured = Measured(i, run);
            return measured with { Outcome = outcome, Message = message, StderrPreview = traceback ?? measured.StderrPreview, SolutionNotLoaded = true };
        };
    }

    /// <remarks>Null only for a result sent as a digest that cannot decide it (<see cref="FromDigest"/>).</remarks>
    private TestResult? FromCallRecord(int index, CallRecord fields, RunResult run, bool batched, string? stderrPreview)
    {
        var test = (FunctionCallTest)_plan.Tests[index];
        var rec = fields.Record;
        // One result per test, built at once (most tests pass, and each step of a chain of copies was an allocation).
        var result = new TestResult
        {
            Index = index,
            Outcome = TestOutcome.SandboxError,
            Name = test.Name,
            // Alone, the host's measure of the whole process (which the solution cannot alter); in a batch, the call's own.
            CpuTime = batched ? TimeSpan.FromSeconds(fields.Cpu) : run.CpuTime,
            WallTime = TimeSpan.FromSeconds(fields.Wall),
            PeakMemoryBytes = run.PeakMemoryBytes,
            StderrPreview = stderrPreview,
            Batched = batched,
        };
        if (fields.Ok && !fields.HasValue && fields.Digest is not null) return FromDigest(test, fields, result);
        if (fields.Ok && fields.HasValue && SameAsExpected(index, test, fields.Value, _options.PassedTestPreviews) is { } same)
        {
            if (!_options.PassedTestPreviews) return result with { Outcome = TestOutcome.Passed };
            var shown = Preview(same);
            return result with { Outcome = TestOutcome.Passed, ExpectedPreview = shown, ActualPreview = shown };
        }
        PyValue expected;
        try
        {
            expected = _plan.ExpectedValue(index);
        }
        catch (FormatException e)
        {
            // The dataset's fault, not the program's.
            return result with { Outcome = TestOutcome.SandboxError, Message = $"the test's ExpectedJson is not valid JSON ({e.Message})" };
        }
        // With the expected value's preview (rendered only for a result that keeps it).
        TestResult WithExpectedShown() => result with { ExpectedPreview = Preview(_plan.Expected.ContainsKey(index) ? ShownExpected(expected, test.ExpectedJson) : Shown(expected, ShownJson(test))) };
        switch (rec.Str("s"u8))
        {
            case "ok":
                if (rec.Raw("v"u8) is not { } raw || !PyJson.TryParse(raw, out var actual, out _))
                    return WithExpectedShown() with { Outcome = TestOutcome.WrongAnswer, Message = "the returned value could not be read" };
                var ok = test.EvalPlus is { } check
                    ? EvalPlusComparer.Accepts(actual, expected, check, OracleArguments(test, rec))
                    : ValueComparer.Matches(actual, expected, Comparison, test.ExpectedIsWrapped);
                if (ok && !_options.PassedTestPreviews) return result with { Outcome = TestOutcome.Passed };
                var shown = Shown(actual, raw);
                return WithExpectedShown() with
                {
                    Outcome = ok ? TestOutcome.Passed : TestOutcome.WrongAnswer,
                    Message = ok ? null : $"wrong answer: {test.FunctionName} returned {Clip(shown)}, expected {Clip(Shown(expected, ShownJson(test)))}",
                    ActualPreview = Preview(shown),
                };
            case "timeout":
                return WithExpectedShown() with { Outcome = TestOutcome.TimeLimitExceeded, Message = $"CPU time exceeded {CpuFor(index).TotalSeconds:0.###} s" };
            case "exc":
                return WithExpectedShown() with { Outcome = TestOutcome.RuntimeError, Message = "runtime error: " + rec.Exception(), StderrPreview = Preview(rec.Str("tb"u8)) };
            case "exit":
                return WithExpectedShown() with { Outcome = TestOutcome.RuntimeError, Message = $"the function raised {rec.Exception()} (exit() is a failure, not a pass)" };
            case "bad":
                return WithExpectedShown() with { Outcome = TestOutcome.WrongAnswer, Message = "wrong answer: " + rec.Str("m"u8) + "; only builtin values are accepted" };
            default:
                return WithExpectedShown() with { Outcome = TestOutcome.WrongAnswer, Message = "conflicting result records for this test (the harness channel was written to)" };
        }
    }

    /// <summary>A batch never runs past what is left of its group's budget (plus the load allowance).</summary>
    private static TimeSpan Cap(TimeSpan batch, TimeSpan budget, TimeSpan spent) =>
        budget == TimeSpan.MaxValue || batch <= budget - spent + TimeSpan.FromSeconds(1) ? batch : budget - spent + TimeSpan.FromSeconds(1);

    private bool IsEvalPlus(int index) => _plan.Tests[index] is FunctionCallTest { EvalPlus: not null };

    /// <summary>The special oracles that recompute something from the arguments.</summary>
    private static bool OracleReadsArguments(FunctionCallTest test) =>
        test.EvalPlus?.Oracle is EvalPlusOracle.FindZero or EvalPlusOracle.SurfaceArea or EvalPlusOracle.DigitDistance;

    /// <summary>
    /// The arguments for the special oracles that recompute something from them (others need none): as the call left
    /// them, which the harness reports (EvalPlus evaluates the oracle on the same objects after the call, so a solution
    /// that changed its input is judged on what it changed it to). Unreadable: none, and the oracle does not accept.
    /// </summary>
    private static PyValue OracleArguments(FunctionCallTest test, JsonElement rec) =>
        OracleReadsArguments(test) && PyJson.TryParse(rec.Raw("a2"u8) ?? test.ArgumentsJson, out var args, out _) && args.IsSequence
            ? args : PyValue.Sequence(PyKind.List, []);

    /// <summary>
    /// The tests of a group share a budget as EvalPlus's splits do: min(60 s, Σ per-test limits) + 1 s of CPU.
    /// Ungrouped tests keep only their own limits.
    /// </summary>
    private TimeSpan GroupBudget(List<int> indices)
    {
        if (_plan.Tests[indices[0]].Group is null) return TimeSpan.MaxValue;
        var sum = TimeSpan.FromTicks(indices.Sum(i => CpuFor(i).Ticks));
        return (sum < _options.GroupTimeBudgetCap ? sum : _options.GroupTimeBudgetCap) + TimeSpan.FromSeconds(1);
    }

    /// <summary>
    /// Python's repr for previews and messages, or the start of the JSON for values too large to render whole. Only
    /// as much is rendered as a preview or a message shows (most tests pass, and their values are never read whole).
    /// </summary>
    private string Shown(PyValue value, string? json) =>
        json is { Length: > 8192 } ? json[..8192] : value.ToString((int)Math.Min(Math.Max(_options.PreviewChars, 120) + 1L, 1_000_000));

    /// <summary>
    /// A returned value whose typed JSON is the same bytes as the expected JSON is the same value, and a value passes
    /// a comparison with itself: this decides such a test without parsing the returned value (a correct sample's
    /// usual case; the reference oracle writes answers in the harness's own compact form), and without parsing a
    /// large expected value either (HumanEval/130 expects lists of a million floats). Returns the preview text, or
    /// null when the slow path must decide: different bytes, a NaN (not equal to itself), or an oracle that is not
    /// a comparison of the two values. Without <paramref name="preview"/>, a pass is "" (no preview rendered).
    /// </summary>
    private string? SameAsExpected(int index, FunctionCallTest test, JsonElement returned, bool preview)
    {
        if (test.EvalPlus is { Oracle: not (EvalPlusOracle.Equality or EvalPlusOracle.AnyValue) }) return null;
        var actual = JsonMarshal.GetRawUtf8Value(returned);
        if (actual.IndexOf("\"nan\""u8) >= 0) return null;
        if (_plan.Expected.TryGetValue(index, out var parsed))
        {
            // Held parsed (small): compared as ASCII, no copy; anything else takes the slow path.
            var json = test.ExpectedJson;
            return json is not null && json.Length == actual.Length && Ascii.Equals(actual, json) ? preview ? ShownExpected(parsed, json) : "" : null;
        }
        if (test.DeferredExpected is { } deferred ? deferred.Utf8Length != actual.Length : test.ExpectedJson is null) return null;
        var expected = test.DeferredExpected?.LoadUtf8() ?? Encoding.UTF8.GetBytes(test.ExpectedJson);
        if (!actual.SequenceEqual(expected)) return null;
        if (!preview) return "";
        // Cut at a character boundary: a preview never ends in half a character.
        var cut = Math.Min(expected.Length, 8192);
        while (cut < expected.Length && cut > 0 && (expected[cut] & 0xC0) == 0x80) cut--;
        return Encoding.UTF8.GetString(expected, 0, cut);
    }

    // The parsed expected values of a problem are shared by its samples (ParsedCalls), and so is their rendering.
    private static readonly ConditionalWeakTable<PyValue, Tuple<int, string>> ShownValues = new();

    /// <summary><see cref="Shown"/> of an expected value the plan holds parsed, rendered once for all samples of its problem.</summary>
    private string ShownExpected(PyValue parsed, string json)
    {
        if (ShownValues.TryGetValue(parsed, out var known) && known.Item1 == _options.PreviewChars) return known.Item2;
        var shown = Shown(parsed, json);
        ShownValues.AddOrUpdate(parsed, Tuple.Create(_options.PreviewChars, shown));
        return shown;
    }

    /// <summary>The expected JSON when it is in memory; a deferred one is shown from its parsed value (never read twice).</summary>
    private static string? ShownJson(FunctionCallTest test) => test.ExpectedIsDeferred ? null : test.ExpectedJson;

    private static string Clip(string s) => s.Length <= 120 ? s : s[..120] + "…";
}
