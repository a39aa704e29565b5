using Crucible.Judge;

namespace Crucible.Curation.Tests;

/// <summary>Builders for small problems and pipeline runs in tests.</summary>
internal static class Problems
{
    /// <summary>A problem whose tests ask for the sum of the input's integers; <paramref name="wrong"/> tests have a wrong expected output.</summary>
    public static CurationItem Sum(string id, int tests = 5, string reference = "SUM", string? statement = null, int[]? wrong = null, string dataset = "d")
    {
        var list = Enumerable.Range(0, tests).Select(i => (TestCase)new StdioTest($"{i} {i + 1}\n", (wrong?.Contains(i) == true ? 999 : 2 * i + 1) + "\n")).ToList();
        return Item(new Problem
        {
            Id = id, Statement = statement ?? $"Print the sum of two integers, problem {id}.", Tests = list,
            References = [new ReferenceSolution("python", reference)],
        }, dataset);
    }

    public static CurationItem Item(Problem p, string dataset = "d") => new() { Key = $"{dataset}:{p.Id}", Dataset = dataset, Problem = p };

    public static CurationContext Context(TempDirectory dir, CurationStore? store = null) =>
        new() { StageDirectory = dir.Path, Store = store ?? CurationStore.Open(":memory:") };

    public static StageDecision Decision(StageOutcome outcome, string key) => Assert.Single(outcome.Decisions, d => d.Key == key);
}
