using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// One sample that the strict grader and EvalPlus's official grader score differently (base + plus verdict), with why:
/// e.g. "accepted by the official grader, rejected as a hack" for an object whose <c>__eq__</c> always answers True.
/// </summary>
public sealed record GraderDifference(string ProblemId, int SampleIndex, bool StrictPassed, bool OfficialPassed, string Reason)
{
    public static List<GraderDifference> Find(EvalRun run)
    {
        var found = new List<GraderDifference>();
        foreach (var o in run.Outcomes.Where(o => o.Result.IsScored))
        {
            if (run.Dataset.Find(o.Sample.ProblemId) is not { } p || !EvalPlusSplits.IsSplit(p)) continue;
            var strict = EvalPlusSplits.Passed(p, o.Result, Grader.Strict);
            var official = EvalPlusSplits.Passed(p, o.Result, Grader.EvalPlus);
            if (strict == official) continue;
            found.Add(new GraderDifference(o.Sample.ProblemId, o.Sample.Index, strict, official, Explain(p, o.Result, official)));
        }
        return found;
    }

    private static string Explain(Problem p, SampleResult r, bool officialPassed)
    {
        var test = Enumerable.Range(0, p.Tests.Count).FirstOrDefault(i => r.OutcomeOf(i) != r.OutcomeOf(i, Grader.EvalPlus), -1);
        var where = test >= 0 ? $" ({p.Tests[test].Name})" : "";
        if (officialPassed)
            return test >= 0
                ? $"accepted by the official grader, rejected as a hack: the returned value is not a plain builtin but compares equal under Python's =={where}"
                : "accepted by the official grader, rejected here: a split with no tests passes in EvalPlus and never passes here";
        return $"rejected by the official grader, accepted here: the value is right once converted (e.g. a NumPy array), but EvalPlus's out == exp fails{where}";
    }
}
