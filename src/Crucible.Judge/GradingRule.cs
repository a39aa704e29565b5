namespace Crucible.Judge;

/// <summary>
/// How one data source is graded by the trainer code that normally scores it: the comparison preset, the time per
/// test, and which tests count. <see cref="GradingRules"/> holds the table (docs/rewards.md shows it beside the
/// trainers' own numbers); every part can be overridden per request.
/// </summary>
/// <param name="Name">The rule's canonical name (the data source it was written for).</param>
/// <param name="Comparison">The judge preset that compares outputs the way the source's grader does.</param>
/// <param name="CpuTimePerTest">CPU time per test; for assertion scripts, per assertion or test function in the script.</param>
/// <param name="MaxTests">When set, only the N longest-input tests count (rllm's older <c>max_tests</c> rule); null: all.</param>
/// <param name="Source">The grader the rule follows, for the docs and the response.</param>
public sealed record GradingRule(string Name, ComparisonOptions Comparison, TimeSpan CpuTimePerTest, int? MaxTests, string Source)
{
    /// <summary>
    /// CPU time for one test under this rule: an assertion script gets the per-test time once for every assert and
    /// test function it holds, as rllm's HumanEval+/KodCode graders give a whole script <c>per_test × count</c>.
    /// </summary>
    public TimeSpan CpuTimeFor(TestCase test) => test is AssertionTest a ? CpuTimePerTest * Math.Max(1, CountChecks(a.Script)) : CpuTimePerTest;

    private static int CountChecks(string script)
    {
        var count = 0;
        foreach (var raw in script.Split('\n'))
        {
            var line = raw.TrimStart();
            if (line.StartsWith("assert ", StringComparison.Ordinal) || line.StartsWith("assert(", StringComparison.Ordinal) ||
                line.StartsWith("def test", StringComparison.Ordinal))
                count++;
        }
        return count;
    }

    /// <summary>Applies the rule to a problem parsed from ground truth: comparison and per-test limits, unless the problem set its own.</summary>
    public Problem ApplyTo(Problem problem) => problem with
    {
        Comparison = Comparison,
        Tests = problem.Limits.CpuTimePerTest is not null ? problem.Tests
            : problem.Tests.Select(t => t.CpuTimeLimit is null ? t with { CpuTimeLimit = CpuTimeFor(t) } : t).ToList(),
    };
}
