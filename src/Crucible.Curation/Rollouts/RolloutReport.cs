using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crucible.Curation;

/// <summary>The rollout analytics as <c>rollouts.json</c> (every group's numbers) and <c>rollouts.html</c> (charts and tables).</summary>
public static class RolloutReport
{
    private static double R(double v) => Math.Round(v, 6);

    public static JsonObject ToJson(string file, RolloutStats s, RolloutFile read, RejudgeResult? rejudge)
    {
        var o = new JsonObject
        {
            ["file"] = file,
            ["rollouts"] = s.Rollouts,
            ["prompts"] = s.Prompts,
            ["unreadable_rows"] = read.Problems.Count,
            ["infrastructure_errors"] = s.InfrastructureErrors,
            ["mean_reward"] = R(s.MeanReward),
            ["zero_variance_fraction"] = R(s.ZeroVarianceFraction),
            ["zero_variance_all_solved"] = s.ZeroVarianceAllSolved,
            ["zero_variance_none_solved"] = s.ZeroVarianceNoneSolved,
            ["mean_pass_at_k"] = new JsonObject(s.MeanPassAtK.Select(kv => KeyValuePair.Create($"pass@{kv.Key}", (JsonNode?)R(kv.Value)))),
            ["length_reward_correlation"] = s.LengthRewardCorrelation is { } c ? R(c) : null,
            ["reward_by_length"] = new JsonArray(s.RewardByLength.Select(b => (JsonNode?)new JsonObject { ["length"] = b.Range, ["responses"] = b.Count, ["mean_reward"] = R(b.MeanReward) }).ToArray()),
            ["grpo_advantage_histogram"] = new JsonObject(s.GrpoAdvantages.Bins.Select(b => KeyValuePair.Create(b.Key, (JsonNode?)b.Value))),
            ["rloo_advantage_histogram"] = new JsonObject(s.RlooAdvantages.Bins.Select(b => KeyValuePair.Create(b.Key, (JsonNode?)b.Value))),
            ["error_samples"] = new JsonArray(s.ErrorSamples.Select(e => (JsonNode?)e).ToArray()),
            ["unreadable_row_samples"] = new JsonArray(read.Problems.Take(10).Select(e => (JsonNode?)e).ToArray()),
            ["groups"] = new JsonArray(s.Groups.Select(g => (JsonNode?)new JsonObject
            {
                ["prompt_id"] = g.PromptId, ["n"] = g.N, ["infrastructure_errors"] = g.InfrastructureErrors, ["mean"] = R(g.Mean), ["std"] = R(g.Std),
                ["zero_variance"] = g.ZeroVariance, ["passes"] = g.Passes,
                ["pass_at_k"] = new JsonObject(g.PassAtK.Select(kv => KeyValuePair.Create($"pass@{kv.Key}", (JsonNode?)R(kv.Value)))),
                ["grpo_advantages"] = new JsonArray(g.GrpoAdvantages.Select(a => (JsonNode?)R(a)).ToArray()),
                ["rloo_advantages"] = new JsonArray(g.RlooAdvantages.Select(a => (JsonNode?)R(a)).ToArray()),
            }).ToArray()),
        };
        if (rejudge is not null)
            o["rejudge"] = new JsonObject
            {
                ["judged"] = rejudge.Judged,
                ["unjudgeable"] = rejudge.Unjudgeable,
                ["disagreements"] = new JsonArray(rejudge.Disagreements.Select(d => (JsonNode?)new JsonObject
                {
                    ["prompt_id"] = d.PromptId, ["location"] = d.Location, ["trainer_reward"] = d.TrainerReward, ["crucible_passed"] = d.CruciblePassed,
                    ["crucible_outcome"] = d.CrucibleOutcome, ["message"] = d.Message,
                }).ToArray()),
                ["notes"] = new JsonArray(rejudge.Notes.Select(n => (JsonNode?)n).ToArray()),
            };
        return o;
    }

    public static async Task WriteAsync(string directory, string file, RolloutStats s, RolloutFile read, RejudgeResult? rejudge, CancellationToken ct = default)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "rollouts.json"), ToJson(file, s, read, rejudge).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "rollouts.html"), Html(file, s, rejudge), ct).ConfigureAwait(false);
    }

    private static string Html(string file, RolloutStats s, RejudgeResult? rejudge)
    {
        static string P(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        var sb = new StringBuilder();
        sb.Append("<table>");
        void Row(string k, string v) => sb.Append("<tr><th>").Append(HtmlCharts.E(k)).Append("</th><td>").Append(HtmlCharts.E(v)).Append("</td></tr>");
        Row("file", file);
        Row("rollouts / prompts", $"{s.Rollouts} / {s.Prompts}");
        Row("mean reward", s.MeanReward.ToString("0.###", CultureInfo.InvariantCulture));
        Row("zero-variance prompts", $"{P(s.ZeroVarianceFraction)} ({s.ZeroVarianceAllSolved} all solved, {s.ZeroVarianceNoneSolved} none solved)");
        foreach (var (k, v) in s.MeanPassAtK) Row($"pass@{k}", P(v));
        Row("infrastructure errors", s.InfrastructureErrors.ToString(CultureInfo.InvariantCulture));
        Row("reward–length correlation", s.LengthRewardCorrelation?.ToString("0.###", CultureInfo.InvariantCulture) ?? "n/a");
        if (rejudge is not null) Row("re-judged / disagreements", $"{rejudge.Judged} / {rejudge.Disagreements.Count} ({rejudge.Unjudgeable} could not be judged)");
        sb.Append("</table>");
        sb.Append(HtmlCharts.Bars("mean reward by response length", s.RewardByLength.Select(b => KeyValuePair.Create(b.Range, b.MeanReward)).ToList()));
        sb.Append(HtmlCharts.Bars(s.GrpoAdvantages.Title, s.GrpoAdvantages.Bins.Select(b => KeyValuePair.Create(b.Key, (double)b.Value)).ToList(), "#a86a48"));
        sb.Append(HtmlCharts.Bars(s.RlooAdvantages.Title, s.RlooAdvantages.Bins.Select(b => KeyValuePair.Create(b.Key, (double)b.Value)).ToList(), "#8a5aa8"));
        sb.Append(HtmlCharts.Bars("prompts by pass rate", Histogram.Exact("", s.Groups.Where(g => g.N > 0).Select(g => Math.Round((double)g.Passes / g.N, 2))).Bins.Select(b => KeyValuePair.Create(b.Key, (double)b.Value)).ToList(), "#5a9a5a"));
        if (rejudge is { Disagreements.Count: > 0 })
        {
            sb.Append("<h2>Reward disagreements</h2><table><tr><th>row</th><th>prompt</th><th>trainer reward</th><th>Crucible</th><th>message</th></tr>");
            foreach (var d in rejudge.Disagreements.Take(200))
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{HtmlCharts.E(d.Location)}</td><td>{HtmlCharts.E(d.PromptId)}</td><td>{d.TrainerReward}</td><td>{HtmlCharts.E(d.CrucibleOutcome)}</td><td>{HtmlCharts.E(d.Message ?? "")}</td></tr>");
            sb.Append("</table>");
        }
        sb.Append("<h2>Prompts</h2><table><tr><th>prompt</th><th>n</th><th>mean</th><th>std</th><th>passes</th><th>infra</th></tr>");
        foreach (var g in s.Groups.Take(500))
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{HtmlCharts.E(g.PromptId)}</td><td class=\"num\">{g.N}</td><td class=\"num\">{g.Mean:0.###}</td><td class=\"num\">{g.Std:0.###}</td><td class=\"num\">{g.Passes}</td><td class=\"num\">{g.InfrastructureErrors}</td></tr>");
        sb.Append("</table>");
        return HtmlCharts.Page("Crucible rollout report", sb.ToString());
    }
}
