using System.Text.Json;
using Crucible.Sandbox;

namespace Crucible.Judge.Execution;

internal sealed partial class SubmissionRun
{
    /// <summary>
    /// An EvalPlus test whose returned value was not a plain builtin (refused, or converted from NumPy/deque/…):
    /// the strict verdict is decided, but EvalPlus's <c>out == exp</c> on the object itself may decide otherwise.
    /// </summary>
    private bool NeedsOfficialRun(int index, CallRecord rec) =>
        IsEvalPlus(index) && (rec.Refused || (rec.Ok && rec.Converted));

    /// <summary>
    /// Asks EvalPlus's question for those tests the way EvalPlus asks it: a separate run of the solution that gets
    /// the expected values and compares in its own process. Only <see cref="TestResult.OfficialOutcome"/> comes from
    /// this run, so what the solution can do with the expected values there cannot change a strict verdict.
    /// </summary>
    private async Task RunOfficialAsync(CancellationToken ct)
    {
        if (_officialPending.Count == 0) return;
        // In runs of a bounded size of expected values: the harness parses its whole request, and an object answering
        // every test of HumanEval/15 would otherwise be sent 147 MB of answers at once (a 0.6 GB sandbox).
        var chunk = new List<int>();
        long bytes = 0;
        foreach (var i in _officialPending.Distinct().Order())
        {
            var size = ExpectedSize((FunctionCallTest)_plan.Tests[i]);
            if (chunk.Count > 0 && bytes + size > OfficialRunExpectedBytes)
            {
                await RunOfficialAsync(chunk, ct).ConfigureAwait(false);
                chunk = [];
                bytes = 0;
            }
            chunk.Add(i);
            bytes += size;
        }
        await RunOfficialAsync(chunk, ct).ConfigureAwait(false);
    }

    private const long OfficialRunExpectedBytes = 8L << 20;

    private static long ExpectedSize(FunctionCallTest t) => t.DeferredExpected?.Utf8Length ?? t.ExpectedJson?.Length ?? 0;

    private async Task RunOfficialAsync(List<int> tests, CancellationToken ct)
    {
        var nonce = PythonHarness.NewNonce();
        var limits = tests.Select(CpuFor).ToList();
        var stdin = PythonHarness.Request(nonce, w =>
        {
            w.WriteString("prelude", "");
            w.WriteBoolean("evalplus", true);
            w.WriteNumber("load_cpu", limits.Max().TotalSeconds);
            w.WriteStartArray("tests");
            foreach (var i in tests)
            {
                var t = (FunctionCallTest)_plan.Tests[i];
                w.WriteStartObject();
                w.WriteNumber("i", i);
                w.WriteString("fn", t.FunctionName);
                w.WritePropertyName("args");
                w.WriteRawValue(t.ArgumentsJson, skipInputValidation: true);
                w.WritePropertyName("exp");
                w.WriteRawValue(t.ExpectedJson, skipInputValidation: true);
                w.WriteStartObject("check");
                w.WriteString("o", OracleName(t.EvalPlus!.Oracle));
                w.WriteNumber("atol", t.EvalPlus.Atol);
                if (t.EvalPlus.Oracle == EvalPlusOracle.NotNone) w.WriteBoolean("nn", true);
                w.WriteEndObject();
                w.WriteNumber("cpu", CpuFor(i).TotalSeconds);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        var budget = TimeSpan.FromTicks(limits.Sum(l => l.Ticks)) + TimeSpan.FromSeconds(1 + 0.06 * tests.Count);
        var run = await _session.RunAsync(new RunRequest { Stdin = stdin, Args = ["official"], Limits = LimitsFor(budget) }, ct).ConfigureAwait(false);
        var byTest = ResultRecords(PythonHarness.ReadRecords(run.StdoutBytes, nonce), "r");
        foreach (var i in tests)
        {
            if (_results[i] is not { } strict) continue;
            // No record (the run died): EvalPlus counts a dead evaluation as not passed, which is what a missing answer means here too.
            var accepted = byTest.TryGetValue(i, out var rec) && rec.Is("s"u8, "ok"u8) && rec.TryGetProperty("v"u8, out var v) && v.ValueKind == JsonValueKind.True;
            var official = accepted ? TestOutcome.Passed : strict.Outcome == TestOutcome.Passed ? TestOutcome.WrongAnswer : strict.Outcome;
            if (official != strict.Outcome) Set(strict with { OfficialOutcome = official });
        }
    }

    private static string OracleName(EvalPlusOracle o) => o switch
    {
        EvalPlusOracle.FindZero => "find_zero",
        EvalPlusOracle.AnyValue => "any",
        EvalPlusOracle.ZeroAlsoAccepted => "zero",
        EvalPlusOracle.SurfaceArea => "surface",
        EvalPlusOracle.DigitDistance => "digits",
        EvalPlusOracle.SetEquality => "set",
        _ => "eq",
    };

}
