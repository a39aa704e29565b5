using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// EvalPlus's two verdicts per sample: <c>base_status</c> over the original inputs only and <c>plus_status</c> over
/// the plus inputs only, each "pass", "fail" or "timeout"; the plus score counts a sample when both pass. Each split is
/// judged on its own (a sample failing base still gets its plus verdict). A split with no tests never passes, except
/// under <see cref="Grader.EvalPlus"/> for a split that is empty in the dataset file itself (MBPP+'s Mbpp/793 plus),
/// which EvalPlus passes whenever the solution loads.
/// </summary>
public static class EvalPlusSplits
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string Timeout = "timeout";

    /// <summary>Whether the problem has EvalPlus's base/plus splits.</summary>
    public static bool IsSplit(Problem p) =>
        EvalPlusFormat.DatasetCount(p, EvalPlusFormat.BaseGroup) is not null || p.Tests.Any(t => EvalPlusFormat.IsBase(t) || EvalPlusFormat.IsPlus(t));

    /// <summary>Test indices of one split, in order.</summary>
    public static IEnumerable<int> Tests(Problem p, string group) =>
        Enumerable.Range(0, p.Tests.Count).Where(i => group == EvalPlusFormat.BaseGroup ? EvalPlusFormat.IsBase(p.Tests[i]) : EvalPlusFormat.IsPlus(p.Tests[i]));

    /// <summary>
    /// The split's status, as EvalPlus means it: "timeout" when the process ended before its first failing test was
    /// reported (EvalPlus's evaluation process exited, crashed or had to be killed: <c>os._exit</c>, a signal, a limit
    /// it could not raise an exception for), "fail" for any failure the test itself reported — a wrong value, an
    /// exception, and the in-process CPU alarm too, which EvalPlus's per-input alarm raises inside the call.
    /// </summary>
    public static string Status(Problem p, SampleResult r, string group, Grader grader)
    {
        var any = false;
        foreach (var i in Tests(p, group))
        {
            any = true;
            var o = r.OutcomeOf(i, grader);
            if (o == TestOutcome.Passed) continue;
            return r.EndedItsProcess(i) ? Timeout : Fail;
        }
        if (any) return Pass;
        var emptyInFile = EvalPlusFormat.DatasetCount(p, group) == 0;
        return grader == Grader.EvalPlus && emptyInFile && Loaded(r) ? Pass : Fail;
    }

    /// <summary>Counted by the plus score: base and plus both pass.</summary>
    public static bool Passed(Problem p, SampleResult r, Grader grader) =>
        r.IsScored && Status(p, r, EvalPlusFormat.BaseGroup, grader) == Pass && Status(p, r, EvalPlusFormat.PlusGroup, grader) == Pass;

    /// <summary>The result with its overall outcome as <paramref name="grader"/> decides it.</summary>
    internal static SampleResult Graded(Problem p, SampleResult r, Grader grader)
    {
        if (!r.IsScored) return r;
        if (Passed(p, r, grader)) return r with { Outcome = TestOutcome.Passed, Message = null };
        if (r.Outcome != TestOutcome.Passed && grader == Grader.Strict) return r;
        var first = Enumerable.Range(0, p.Tests.Count).Select(i => (i, o: r.OutcomeOf(i, grader)))
            .FirstOrDefault(x => x.o is not (TestOutcome.Passed or TestOutcome.Skipped), (i: -1, o: TestOutcome.Passed));
        if (first.i >= 0)
            return r with { Outcome = first.o, FirstFailedTest = first.i, Message = r.FirstFailedTest == first.i ? r.Message : $"{p.Tests[first.i].Name}: {first.o} under the {grader} grader" };
        var empty = Status(p, r, EvalPlusFormat.BaseGroup, grader) == Pass ? EvalPlusFormat.PlusGroup : EvalPlusFormat.BaseGroup;
        return r with { Outcome = TestOutcome.WrongAnswer, Message = $"the {empty} split has no tests, and a split with no tests never passes (a dataset problem; see the report)" };
    }

    // The solution loaded and defined its entry point when some test got as far as a returned value.
    private static bool Loaded(SampleResult r) => r.Outcome != TestOutcome.CompileError && r.TestOutcomes.AsSpan().IndexOfAny("PWar") >= 0;
}
