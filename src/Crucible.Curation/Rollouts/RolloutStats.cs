using Crucible.Bench;

namespace Crucible.Curation;

/// <summary>
/// What a batch of rollouts says to a group-relative trainer: per-prompt GRPO and RLOO advantages, the share of
/// prompts whose rewards are all equal (zero advantage: no gradient), pass@k per prompt, reward against response
/// length, and how many responses had no usable reward (infrastructure errors, never counted as failures).
/// </summary>
public sealed record RolloutStats
{
    public required int Rollouts { get; init; }
    public required int Prompts { get; init; }
    public required int InfrastructureErrors { get; init; }
    public required double MeanReward { get; init; }
    public required IReadOnlyList<RolloutGroup> Groups { get; init; }

    /// <summary>Share of prompts (with at least two scored responses) whose rewards are all equal.</summary>
    public required double ZeroVarianceFraction { get; init; }
    public required int ZeroVarianceAllSolved { get; init; }
    public required int ZeroVarianceNoneSolved { get; init; }

    /// <summary>Mean of per-prompt pass@k over prompts with at least k responses.</summary>
    public required IReadOnlyDictionary<int, double> MeanPassAtK { get; init; }

    /// <summary>Response-length bins (by quantile): label, responses, mean reward.</summary>
    public required IReadOnlyList<(string Range, int Count, double MeanReward)> RewardByLength { get; init; }

    /// <summary>Pearson correlation of reward and response length; null when either is constant.</summary>
    public double? LengthRewardCorrelation { get; init; }
    public required Histogram GrpoAdvantages { get; init; }
    public required Histogram RlooAdvantages { get; init; }

    /// <summary>Up to 10 infrastructure error messages, as written by the trainer.</summary>
    public IReadOnlyList<string> ErrorSamples { get; init; } = [];

    public static RolloutStats Compute(IReadOnlyList<Rollout> rollouts, RolloutStatsOptions? options = null)
    {
        options ??= new RolloutStatsOptions();
        var groups = new List<RolloutGroup>();
        foreach (var g in rollouts.GroupBy(r => r.PromptId, StringComparer.Ordinal))
        {
            var scored = g.Where(Scored).Select(r => r.Reward!.Value).ToList();
            var n = scored.Count;
            var mean = n == 0 ? 0 : scored.Average();
            var std = n < 2 ? 0 : Math.Sqrt(scored.Sum(r => (r - mean) * (r - mean)) / (n - 1));
            var passes = scored.Count(r => r >= options.PassThreshold);
            groups.Add(new RolloutGroup
            {
                PromptId = g.Key, Prompt = g.First().Prompt, N = n, InfrastructureErrors = g.Count() - n, Mean = mean, Std = std, Passes = passes,
                PassAtK = options.Ks.Where(k => k <= n).ToDictionary(k => k, k => PassAtK.Estimate(n, passes, k)),
                GrpoAdvantages = scored.Select(r => n < 2 ? 0 : (r - mean) / (std + options.Epsilon)).ToList(),
                RlooAdvantages = scored.Select(r => n < 2 ? 0 : n / (n - 1.0) * (r - mean)).ToList(),
            });
        }
        var multi = groups.Where(g => g.N >= 2).ToList();
        var zero = multi.Where(g => g.ZeroVariance).ToList();
        var scoredRollouts = rollouts.Where(Scored).ToList();
        var advantageEdges = new double[] { -2, -1, -0.5, -0.01, 0.01, 0.5, 1, 2 };
        static string Label(double v) => v.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        return new RolloutStats
        {
            Rollouts = rollouts.Count,
            Prompts = groups.Count,
            InfrastructureErrors = rollouts.Count - scoredRollouts.Count,
            MeanReward = scoredRollouts.Count == 0 ? 0 : scoredRollouts.Average(r => r.Reward!.Value),
            Groups = groups,
            ZeroVarianceFraction = multi.Count == 0 ? 0 : (double)zero.Count / multi.Count,
            ZeroVarianceAllSolved = zero.Count(g => g.Mean >= options.PassThreshold),
            ZeroVarianceNoneSolved = zero.Count(g => g.Mean < options.PassThreshold),
            MeanPassAtK = options.Ks.Select(k => (k, Groups: groups.Where(g => g.PassAtK.ContainsKey(k)).ToList()))
                .Where(x => x.Groups.Count > 0).ToDictionary(x => x.k, x => x.Groups.Average(g => g.PassAtK[x.k])),
            RewardByLength = LengthBins(scoredRollouts, options.LengthBins),
            LengthRewardCorrelation = Pearson(scoredRollouts.Select(r => r.Length).ToList(), scoredRollouts.Select(r => r.Reward!.Value).ToList()),
            GrpoAdvantages = Histogram.Of("GRPO advantage", groups.SelectMany(g => g.GrpoAdvantages), advantageEdges, Label),
            RlooAdvantages = Histogram.Of("RLOO advantage", groups.SelectMany(g => g.RlooAdvantages), advantageEdges, Label),
            ErrorSamples = rollouts.Where(r => !Scored(r)).Select(r => $"{r.Location}: {r.Error ?? "no reward"}").Take(10).ToList(),
        };
    }

    /// <summary>A rollout whose reward can be used: it has one and the trainer reported no error computing it.</summary>
    private static bool Scored(Rollout r) => r.Reward is { } v && double.IsFinite(v) && r.Error is null;

    private static List<(string, int, double)> LengthBins(List<Rollout> rollouts, int bins)
    {
        if (rollouts.Count == 0) return [];
        var sorted = rollouts.OrderBy(r => r.Length).ToList();
        var result = new List<(string, int, double)>();
        var per = Math.Max(1, (int)Math.Ceiling(sorted.Count / (double)Math.Max(1, bins)));
        for (var i = 0; i < sorted.Count; i += per)
        {
            var chunk = sorted.Skip(i).Take(per).ToList();
            result.Add(($"{chunk[0].Length:0}–{chunk[^1].Length:0}", chunk.Count, chunk.Average(r => r.Reward!.Value)));
        }
        return result;
    }

    internal static double? Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count < 2) return null;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? null : sxy / Math.Sqrt(sxx * syy);
    }
}
