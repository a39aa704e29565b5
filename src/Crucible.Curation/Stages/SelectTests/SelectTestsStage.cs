using System.Globalization;
using System.Text;
using Crucible.Judge;

namespace Crucible.Curation;

/// <summary>
/// Keeps the tests the training reward will run (see <see cref="TestSelection"/>), in their original order. Never drops
/// a problem: it only narrows its tests, and records how many it kept.
/// </summary>
public sealed class SelectTestsStage(TestSelection selection) : ICurationStage
{
    public string Name => "select-tests";

    public Task<StageOutcome> RunAsync(IReadOnlyList<CurationItem> items, CurationContext context, CancellationToken cancellationToken)
    {
        var kept = new List<CurationItem>(items.Count);
        var decisions = new List<StageDecision>(items.Count);
        foreach (var item in items)
        {
            var tests = Select(item.Problem.Tests);
            var result = item.Annotate("tests_selected", tests.Count.ToString(CultureInfo.InvariantCulture)) with { Problem = item.Problem with { Tests = tests } };
            kept.Add(result);
            decisions.Add(new StageDecision(Name, item.Key, true, "tests selected", $"{tests.Count} of {item.Problem.Tests.Count} tests ({selection})"));
        }
        return Task.FromResult(new StageOutcome(kept, decisions));
    }

    internal IReadOnlyList<TestCase> Select(IReadOnlyList<TestCase> tests) => selection.Mode switch
    {
        TestSelectionMode.First => tests.Take(selection.Count).ToList(),
        TestSelectionMode.Longest => tests.Select((t, i) => (t, i)).OrderByDescending(x => InputSize(x.t)).ThenBy(x => x.i)
            .Take(selection.Count).OrderBy(x => x.i).Select(x => x.t).ToList(),
        _ => tests,
    };

    /// <summary>Length of what the program is given: stdin, or the call's arguments.</summary>
    internal static int InputSize(TestCase t) => t switch
    {
        StdioTest s => Encoding.UTF8.GetByteCount(s.Input),
        CheckerTest c => Encoding.UTF8.GetByteCount(c.Input),
        FunctionCallTest f => Encoding.UTF8.GetByteCount(f.ArgumentsJson),
        AssertionTest a => Encoding.UTF8.GetByteCount(a.Script),
        _ => 0,
    };
}
