using System.Globalization;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// The numbers of a finished run: pass@k (unbiased estimator, reported for a k only when every scored problem has
/// at least k samples), a bootstrap interval on pass@1, breakdowns by difficulty / platform / contest month /
/// language, the verdict distribution and per-sample CPU times. Infrastructure errors are counted apart and
/// never enter a score. EvalPlus datasets also get base-only and base+plus scores.
/// </summary>
public sealed class EvalSummary
{
    public required IReadOnlyList<int> Ks { get; init; }

    /// <summary>pass@k for each computable k.</summary>
    public required IReadOnlyDictionary<int, double> PassAtK { get; init; }

    /// <summary>Why a requested k has no score (too few samples).</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    public ConfidenceInterval? PassAt1Interval { get; init; }
    public required IReadOnlyList<ProblemScore> Problems { get; init; }
    public required IReadOnlyList<Breakdown> Breakdowns { get; init; }

    /// <summary>How many samples ended with each outcome (infrastructure errors included, as SandboxError).</summary>
    public required IReadOnlyDictionary<TestOutcome, int> Verdicts { get; init; }

    /// <summary>CPU seconds per scored sample that ran (summed over its tests; compile errors excluded), for the runtime histogram.</summary>
    public required IReadOnlyList<double> CpuSeconds { get; init; }

    public int Samples { get; init; }
    public int ScoredSamples { get; init; }
    public int InfrastructureErrors { get; init; }

    /// <summary>Dataset problems with no sample at all.</summary>
    public int ProblemsWithoutSamples { get; init; }

    /// <summary>For EvalPlus datasets: pass@k on base tests only ("base") and on base + plus ("plus").</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>>? EvalPlusScores { get; init; }

    /// <summary>For EvalPlus datasets: the same scores under the grader the run was not scored by.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>>? OtherGraderScores { get; init; }

    /// <summary>Samples on which the strict and the official EvalPlus grader disagree (base + plus verdict).</summary>
    public IReadOnlyList<GraderDifference> GraderDifferences { get; init; } = [];

    /// <summary>Samples not scored because their problem has no usable tests (see the dataset's issues).</summary>
    public int UnjudgeableSamples { get; init; }

    public static EvalSummary Compute(EvalRun run, IReadOnlyList<int> ks)
    {
        ks = ks.Distinct().Order().ToList();
        var byProblem = run.Outcomes.GroupBy(o => o.Sample.ProblemId).ToDictionary(g => g.Key, g => g.ToList());
        var problems = new List<ProblemScore>();
        foreach (var p in run.Dataset.Problems)
        {
            if (!byProblem.TryGetValue(p.Id, out var outcomes)) continue;
            var scored = outcomes.Where(o => o.Result.IsScored).ToList();
            var failures = scored.Where(o => !o.Result.Passed).GroupBy(o => o.Result.Outcome).OrderByDescending(g => g.Count()).FirstOrDefault();
            problems.Add(new ProblemScore
            {
                ProblemId = p.Id,
                Samples = scored.Count,
                Correct = scored.Count(o => o.Result.Passed),
                InfrastructureErrors = outcomes.Count - scored.Count,
                Difficulty = p.Metadata.Difficulty,
                Platform = p.Metadata.Platform,
                Month = p.Metadata.ContestDate?.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                TypicalFailure = failures is null ? null : $"{failures.Key}" + (failures.First().Result.Message is { Length: > 0 } m ? ": " + OneLine(m) : ""),
            });
        }
        var scoredProblems = problems.Where(p => p.Samples > 0).ToList();
        var tallies = scoredProblems.Select(p => (p.Samples, p.Correct)).ToList();
        var passAtK = new Dictionary<int, double>();
        var notes = new List<string>();
        foreach (var k in ks)
        {
            if (Crucible.Bench.PassAtK.Mean(tallies, k) is { } v) passAtK[k] = v;
            else if (tallies.Count > 0) notes.Add($"pass@{k} not reported: {tallies.Count(t => t.Samples < k)} problem(s) have fewer than {k} scored samples.");
        }
        if (tallies.Count == 0) notes.Add("no sample could be scored.");
        if (run.Outcomes.FirstOrDefault(o => o.Result.IsInfrastructureError) is { } infra)
            notes.Add($"{run.InfrastructureErrors} sample(s) hit infrastructure errors (not scored), e.g. {infra.Sample.ProblemId}: {OneLine(infra.Result.Message ?? "no message")}.");
        var unscored = problems.Count(p => p.Samples == 0);
        if (unscored > 0) notes.Add($"{unscored} problem(s) have only infrastructure errors or no usable tests and are not scored.");
        var unjudgeable = run.Outcomes.Count(o => !o.Result.IsInfrastructureError && o.Result.TotalTests == 0);
        if (unjudgeable > 0) notes.Add($"{unjudgeable} sample(s) are not scored: their problem has no usable tests (dataset problems, listed in the report).");
        var split = run.Dataset.Format == DatasetFormat.EvalPlus;
        var other = run.Grader == Grader.Strict ? Grader.EvalPlus : Grader.Strict;

        var breakdowns = new List<Breakdown>();
        AddBreakdown(breakdowns, "difficulty", scoredProblems, p => p.Difficulty, ks);
        AddBreakdown(breakdowns, "platform", scoredProblems, p => p.Platform, ks);
        AddBreakdown(breakdowns, "month", scoredProblems, p => p.Month, ks);
        var languages = run.Outcomes.Where(o => o.Result.IsScored).Select(o => o.Sample.Language).Distinct().ToList();
        if (languages.Count > 1)
        {
            var rows = new List<BreakdownRow>();
            foreach (var lang in languages.Order(StringComparer.Ordinal))
            {
                var t = run.Outcomes.Where(o => o.Sample.Language == lang && o.Result.IsScored)
                    .GroupBy(o => o.Sample.ProblemId).Select(g => (g.Count(), g.Count(o => o.Result.Passed))).ToList();
                rows.Add(Row(lang, t, ks));
            }
            breakdowns.Add(new Breakdown("language", rows));
        }

        return new EvalSummary
        {
            Ks = ks,
            PassAtK = passAtK,
            Notes = notes,
            PassAt1Interval = tallies.Count > 0 ? BootstrapInterval.PassAt1(tallies) : null,
            Problems = problems,
            Breakdowns = breakdowns,
            Verdicts = run.Outcomes.GroupBy(o => o.Result.Outcome).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            CpuSeconds = run.Outcomes.Where(o => o.Result.IsScored && o.Result.Outcome != TestOutcome.CompileError).Select(o => o.Result.CpuSeconds).ToList(),
            Samples = run.Outcomes.Count,
            ScoredSamples = run.Outcomes.Count(o => o.Result.IsScored),
            InfrastructureErrors = run.InfrastructureErrors,
            ProblemsWithoutSamples = run.Dataset.Problems.Count - problems.Count,
            EvalPlusScores = split ? EvalPlus(run, ks, run.Grader) : null,
            OtherGraderScores = split ? EvalPlus(run, ks, other) : null,
            GraderDifferences = split ? GraderDifference.Find(run) : [],
            UnjudgeableSamples = unjudgeable,
        };
    }

    private static Dictionary<string, IReadOnlyDictionary<int, double>> EvalPlus(EvalRun run, IReadOnlyList<int> ks, Grader grader)
    {
        var basePass = new List<(int, int)>();
        var plusPass = new List<(int, int)>();
        foreach (var g in run.Outcomes.Where(o => o.Result.IsScored).GroupBy(o => o.Sample.ProblemId))
        {
            var problem = run.Dataset.Find(g.Key)!;
            basePass.Add((g.Count(), g.Count(o => EvalPlusSplits.Status(problem, o.Result, EvalPlusFormat.BaseGroup, grader) == EvalPlusSplits.Pass)));
            plusPass.Add((g.Count(), g.Count(o => EvalPlusSplits.Passed(problem, o.Result, grader))));
        }
        return new Dictionary<string, IReadOnlyDictionary<int, double>>
        {
            ["base"] = ks.Where(k => Crucible.Bench.PassAtK.Mean(basePass, k) is not null).ToDictionary(k => k, k => Crucible.Bench.PassAtK.Mean(basePass, k)!.Value),
            ["plus"] = ks.Where(k => Crucible.Bench.PassAtK.Mean(plusPass, k) is not null).ToDictionary(k => k, k => Crucible.Bench.PassAtK.Mean(plusPass, k)!.Value),
        };
    }

    private static void AddBreakdown(List<Breakdown> into, string dimension, List<ProblemScore> problems, Func<ProblemScore, string?> key, IReadOnlyList<int> ks)
    {
        var groups = problems.Where(p => key(p) is not null).GroupBy(p => key(p)!).ToList();
        if (groups.Count < 2) return; // one group says nothing the headline does not
        var order = dimension == "difficulty" ? (Func<string, int>)DifficultyRank : _ => 0;
        var rows = groups.OrderBy(g => order(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Row(g.Key, g.Select(p => (p.Samples, p.Correct)).ToList(), ks)).ToList();
        into.Add(new Breakdown(dimension, rows));
    }

    private static BreakdownRow Row(string group, List<(int N, int C)> tallies, IReadOnlyList<int> ks) =>
        new(group, tallies.Count, tallies.Sum(t => t.N), tallies.Average(t => (double)t.C / t.N),
            ks.Where(k => Crucible.Bench.PassAtK.Mean(tallies, k) is not null).ToDictionary(k => k, k => Crucible.Bench.PassAtK.Mean(tallies, k)!.Value));

    private static int DifficultyRank(string d) => d switch
    {
        "easy" or "introductory" => 0,
        "medium" or "interview" => 1,
        "hard" or "competition" => 2,
        _ => 3,
    };

    private static string OneLine(string s)
    {
        var line = s.Trim().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
        return line.Length <= 120 ? line : line[..120] + "…";
    }
}
