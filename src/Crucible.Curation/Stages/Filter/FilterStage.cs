using System.Globalization;
using System.Text;
using Crucible.Judge;

namespace Crucible.Curation;

/// <summary>
/// Drops problems that cannot make a good training reward: missing statement or reference, language not wanted, dated
/// outside the window, or too few tests once oversized tests are removed.
/// </summary>
public sealed class FilterStage(FilterOptions? options = null) : ICurationStage
{
    private readonly FilterOptions _options = options ?? new FilterOptions();

    public string Name => "filter";

    public Task<StageOutcome> RunAsync(IReadOnlyList<CurationItem> items, CurationContext context, CancellationToken cancellationToken)
    {
        if (_options.MinTests < 0) throw new ArgumentException($"minimum tests must not be negative, got {_options.MinTests}.");
        var kept = new List<CurationItem>();
        var decisions = new List<StageDecision>();
        foreach (var item in items)
        {
            var (keptItem, decision) = Decide(item);
            decisions.Add(decision);
            if (keptItem is not null) kept.Add(keptItem);
        }
        return Task.FromResult(new StageOutcome(kept, decisions));
    }

    private (CurationItem?, StageDecision) Decide(CurationItem item)
    {
        var p = item.Problem;
        StageDecision Drop(string reason, string detail) => new(Name, item.Key, false, reason, detail);
        if (_options.RequireStatement && string.IsNullOrWhiteSpace(p.Statement) && string.IsNullOrWhiteSpace(p.Prompt))
            return (null, Drop("missing statement", "the problem has no statement"));
        if (_options.RequireReference && p.References.Count == 0)
            return (null, Drop("missing reference", "the problem has no reference solution"));
        if (_options.Languages.Count > 0 && !_options.Languages.Contains(p.Language))
            return (null, Drop("language", $"language {p.Language} is not among {string.Join(", ", _options.Languages)}"));
        if (_options.Since is not null || _options.Until is not null)
        {
            if (p.Metadata.ContestDate is not { } date) return (null, Drop("no date", "a date window is set but the problem has no date"));
            if (date < _options.Since || date > _options.Until)
                return (null, Drop("outside date window", $"dated {date:yyyy-MM-dd}, window {_options.Since:yyyy-MM-dd}..{_options.Until:yyyy-MM-dd}"));
        }
        var tests = p.Tests;
        var oversized = 0;
        if (_options.MaxTestBytes is { } max)
        {
            tests = p.Tests.Where(t => Size(t) <= max).ToList();
            oversized = p.Tests.Count - tests.Count;
        }
        if (tests.Count < _options.MinTests)
            return (null, Drop("too few tests", $"{tests.Count} tests{(oversized > 0 ? $" after removing {oversized} over {_options.MaxTestBytes} bytes" : "")}, at least {_options.MinTests} required"));
        var result = oversized > 0 ? item.Annotate("oversized_tests_removed", oversized.ToString(CultureInfo.InvariantCulture)) with { Problem = p with { Tests = tests } } : item;
        return (result, new StageDecision(Name, item.Key, true, "passes filters", $"{tests.Count} tests{(oversized > 0 ? $", {oversized} oversized removed" : "")}"));
    }

    /// <summary>Bytes of a test's data: what the program reads plus what it must print or return.</summary>
    internal static long Size(TestCase t) => t switch
    {
        StdioTest s => Encoding.UTF8.GetByteCount(s.Input) + Encoding.UTF8.GetByteCount(s.ExpectedOutput),
        FunctionCallTest f => Encoding.UTF8.GetByteCount(f.ArgumentsJson) + Encoding.UTF8.GetByteCount(f.ExpectedJson),
        CheckerTest c => Encoding.UTF8.GetByteCount(c.Input) + Encoding.UTF8.GetByteCount(c.ExpectedOutput),
        AssertionTest a => Encoding.UTF8.GetByteCount(a.Script),
        _ => 0,
    };
}
