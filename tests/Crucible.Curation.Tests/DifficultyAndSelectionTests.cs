using Crucible.Agent.Generation;
using Crucible.Judge;

namespace Crucible.Curation.Tests;

public sealed class DifficultyAndSelectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A "model" whose k-th sample for a problem is PASS when k is below the problem's number of solved samples.</summary>
    private sealed class CountingSampler(Dictionary<string, int> solved) : ISampleSource
    {
        public int Produced;
        public string Name => "counting";

        public Task<GeneratedSample> ProduceAsync(Problem problem, int sampleIndex, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Produced);
            var code = sampleIndex < solved[problem.Id] ? "PASS" : sampleIndex % 3 == 0 ? "" : "FAIL";
            return Task.FromResult(new GeneratedSample { TaskId = problem.Id, SampleIndex = sampleIndex, Solution = code, Language = "python" });
        }
    }

    [Fact]
    public async Task Difficulty_keeps_problems_that_are_neither_always_nor_never_solved_and_records_the_pass_rate()
    {
        var sampler = new CountingSampler(new() { ["easy"] = 8, ["hard"] = 0, ["mid"] = 3 });
        using var store = CurationStore.Open(_dir.File("curation.db"));
        var stage = new DifficultyStage(sampler, new ReferenceSemanticsJudge(), new DifficultyOptions { Samples = 8, SamplerFingerprint = "m" });
        var items = new[] { Problems.Sum("easy"), Problems.Sum("hard"), Problems.Sum("mid") };

        var outcome = await stage.RunAsync(items, Problems.Context(_dir, store), TestContext.Current.CancellationToken);

        Assert.Equal(["d:mid"], outcome.Kept.Select(k => k.Key));
        Assert.Equal("0.375", outcome.Kept[0].Annotations["pass_rate"]);
        Assert.Equal("always solved", Problems.Decision(outcome, "d:easy").Reason);
        Assert.Equal("never solved", Problems.Decision(outcome, "d:hard").Reason);
        Assert.Contains("3/8 samples pass", Problems.Decision(outcome, "d:mid").Detail);

        // A rerun draws nothing new; a wider range keeps all three from the stored samples.
        var wide = new DifficultyStage(sampler, new ReferenceSemanticsJudge(), new DifficultyOptions { Samples = 8, SamplerFingerprint = "m", Keep = PassRateRange.Parse("0<=p<=1") });
        var again = await wide.RunAsync(items, Problems.Context(_dir, store), TestContext.Current.CancellationToken);
        Assert.Equal(24, sampler.Produced);
        Assert.Equal(3, again.Kept.Count);
    }

    [Theory]
    [InlineData("0<p<1", 0.0, false)]
    [InlineData("0<p<1", 0.5, true)]
    [InlineData("0<p<1", 1.0, false)]
    [InlineData("0.25<=p<=0.75", 0.25, true)]
    [InlineData("0.25<=p<0.75", 0.75, false)]
    public void Pass_rate_ranges_parse_and_bound_as_written(string range, double p, bool inside) =>
        Assert.Equal(inside, PassRateRange.Parse(range).Contains(p));

    [Theory]
    [InlineData("p>0")]
    [InlineData("1<p<0")]
    [InlineData("0<p<2")]
    public void Bad_pass_rate_ranges_are_rejected_with_the_expected_form(string range) =>
        Assert.Contains("A<p<B", Assert.Throws<FormatException>(() => PassRateRange.Parse(range)).Message);

    [Fact]
    public async Task Select_tests_keeps_the_longest_inputs_in_their_original_order()
    {
        var tests = new[] { "1\n", "333\n", "22\n", "55555\n", "4444\n" }.Select(i => (TestCase)new StdioTest(i, "x\n")).ToList();
        var item = Problems.Item(new Problem { Id = "p", Statement = "s", Tests = tests });

        var longest = await new SelectTestsStage(TestSelection.Parse("longest:3")).RunAsync([item], Problems.Context(_dir), TestContext.Current.CancellationToken);
        var first = await new SelectTestsStage(TestSelection.Parse("first:2")).RunAsync([item], Problems.Context(_dir), TestContext.Current.CancellationToken);

        Assert.Equal(["333\n", "55555\n", "4444\n"], longest.Kept[0].Problem.Tests.Cast<StdioTest>().Select(t => t.Input));
        Assert.Equal(["1\n", "333\n"], first.Kept[0].Problem.Tests.Cast<StdioTest>().Select(t => t.Input));
        Assert.Equal("3 of 5 tests (longest 3)", Problems.Decision(longest, "d:p").Detail);
        Assert.Throws<FormatException>(() => TestSelection.Parse("longest"));
    }
}
