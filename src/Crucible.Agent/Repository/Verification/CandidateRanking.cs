namespace Crucible.Agent.Repository.Verification;

/// <summary>Agentless's order of candidates: fewest regressions first, then a passing reproduction test, then (by the caller) votes.</summary>
public static class CandidateRanking
{
    /// <summary>Negative when <paramref name="a"/> is better than <paramref name="b"/>.</summary>
    public static int Compare(CandidateCheck a, CandidateCheck b)
    {
        var r = a.Regressions.Count.CompareTo(b.Regressions.Count);
        if (r != 0) return r;
        return Repro(b).CompareTo(Repro(a));
    }

    private static int Repro(CandidateCheck c) => c.ReproductionPasses switch { true => 2, null => 1, false => 0 };
}
