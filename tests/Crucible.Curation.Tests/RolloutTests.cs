using System.Text.Json;
using Crucible.Judge;
using Parquet.Serialization;

namespace Crucible.Curation.Tests;

public sealed class RolloutTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Line(string input, string output, double? score, string? gts = null, string? error = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["input"] = input, ["output"] = output, ["score"] = score, ["step"] = 10, ["gts"] = gts, ["error"] = error });

    [Fact]
    public void Advantages_zero_variance_and_pass_at_k_follow_the_formulas()
    {
        // verl's validation/rollout dump: one line per response, grouped by the prompt text.
        var path = _dir.Write("10.jsonl", string.Join("\n",
            Line("p1", "a", 1), Line("p1", "bb", 0), Line("p1", "ccc", 0), Line("p1", "dddd", 1),
            Line("p2", "a", 1), Line("p2", "b", 1), Line("p2", "c", 1), Line("p2", "d", 1),
            Line("p3", "x", 0), Line("p3", "y", 0), Line("p3", "z", null, error: "sandbox timeout"), Line("p3", "w", 0),
            "{not json"));

        var read = RolloutReader.Read(path);
        var stats = RolloutStats.Compute(read.Rollouts);

        Assert.Single(read.Problems);
        Assert.Equal(12, stats.Rollouts);
        Assert.Equal(3, stats.Prompts);
        Assert.Equal(1, stats.InfrastructureErrors);
        Assert.Contains("sandbox timeout", Assert.Single(stats.ErrorSamples));
        var p1 = stats.Groups.Single(g => g.Prompt == "p1");
        // mean 0.5, sample std sqrt(1/3): GRPO (1-0.5)/(0.57735+1e-6); RLOO 4/3·(1-0.5).
        Assert.Equal(0.5 / (Math.Sqrt(1.0 / 3) + 1e-6), p1.GrpoAdvantages[0], 9);
        Assert.Equal(-0.5 / (Math.Sqrt(1.0 / 3) + 1e-6), p1.GrpoAdvantages[1], 9);
        Assert.Equal(4.0 / 3 * 0.5, p1.RlooAdvantages[0], 9);
        Assert.Equal(4.0 / 3 * -0.5, p1.RlooAdvantages[2], 9);
        Assert.Equal(0.5, p1.PassAtK[1], 9);
        Assert.Equal(1.0, p1.PassAtK[4], 9);
        // p2 (all solved) and p3 (none solved; the infra error is not a failure) teach nothing.
        Assert.Equal(2.0 / 3, stats.ZeroVarianceFraction, 9);
        Assert.Equal(1, stats.ZeroVarianceAllSolved);
        Assert.Equal(1, stats.ZeroVarianceNoneSolved);
        Assert.Equal(3, stats.Groups.Single(g => g.Prompt == "p3").N);
        Assert.All(stats.Groups.Where(g => g.ZeroVariance).SelectMany(g => g.GrpoAdvantages.Concat(g.RlooAdvantages)), a => Assert.Equal(0, a));
    }

    [Fact]
    public async Task Generation_parquet_with_a_list_of_responses_per_prompt_is_read_as_groups()
    {
        var rows = new[]
        {
            new GenRow { data_source = "taco", prompt = "sum", responses = ["```python\nprint(3)\n```", "print(4)"], scores = [1, 0] },
            new GenRow { data_source = "taco", prompt = "max", responses = ["a", "b", "c"], scores = [0, 0, 1] },
        };
        var path = _dir.File("gen.parquet");
        await ParquetSerializer.SerializeAsync(rows, path, cancellationToken: TestContext.Current.CancellationToken);

        var stats = RolloutStats.Compute(RolloutReader.Read(path).Rollouts);

        Assert.Equal(5, stats.Rollouts);
        Assert.Equal(2, stats.Prompts);
        Assert.Equal(0.4, stats.MeanReward, 9);
        Assert.Equal(0, stats.ZeroVarianceFraction);
    }

    [Fact]
    public async Task Rejudging_finds_a_reward_that_disagrees_with_the_verdict()
    {
        var gts = JsonSerializer.Serialize(new { inputs = new[] { "1 2\n", "3 4\n" }, outputs = new[] { "3\n", "7\n" } });
        var path = _dir.Write("rollouts.jsonl", string.Join("\n",
            Line("sum", "```python\nSUM\n```", 1, gts),    // right and rewarded
            Line("sum", "```python\nFAIL\n```", 1, gts),   // wrong but rewarded: a reward bug
            Line("sum", "```python\nSUM\n```", 0, gts)));  // right but not rewarded
        var read = RolloutReader.Read(path);

        var result = await new RewardRejudge(new ReferenceSemanticsJudge(), 1).RunAsync(read.Rollouts, new RolloutStatsOptions(), TestContext.Current.CancellationToken);

        Assert.Equal(3, result.Judged);
        Assert.Equal(2, result.Disagreements.Count);
        Assert.Contains(result.Disagreements, d => d.TrainerReward == 1 && !d.CruciblePassed && d.CrucibleOutcome == nameof(TestOutcome.WrongAnswer));
        Assert.Contains(result.Disagreements, d => d.TrainerReward == 0 && d.CruciblePassed);
    }

#pragma warning disable IDE1006
    public sealed class GenRow
    {
        public string data_source { get; set; } = "";
        public string prompt { get; set; } = "";
        public List<string> responses { get; set; } = [];
        public List<double> scores { get; set; } = [];
    }
#pragma warning restore IDE1006
}
