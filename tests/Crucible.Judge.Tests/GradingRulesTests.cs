namespace Crucible.Judge.Tests;

/// <summary>The data-source table: names as trainers spell them, presets, and per-test limits.</summary>
public sealed class GradingRulesTests
{
    [Theory]
    [InlineData("livecodebench", "livecodebench")]
    [InlineData("LiveCodeBench/release_v5", "livecodebench")]
    [InlineData("lcbv5", "livecodebench")]
    [InlineData("livecodebench_v6", "livecodebench")]
    [InlineData("deepcoder", "livecodebench")]
    [InlineData("taco", "taco")]
    [InlineData("BAAI/TACO", "taco")]
    [InlineData("apps", "apps")]
    [InlineData("codeforces", "codeforces")]
    [InlineData("code_contests", "code_contests")]
    [InlineData("deepmind/code_contests", "code_contests")]
    [InlineData("codecontests", "codecontests")]
    [InlineData("primeintellect", "primeintellect")]
    [InlineData("PrimeIntellect/verifiable-coding-problems", "primeintellect")]
    [InlineData("humanevalplus", "humanevalplus")]
    [InlineData("evalplus/humanevalplus", "humanevalplus")]
    [InlineData("mbppplus", "mbppplus")]
    [InlineData("kodcode", "kodcode")]
    [InlineData("KodCode/KodCode-V1", "kodcode")]
    [InlineData("leetcode", "leetcode")]
    [InlineData("newfacade/LeetCodeDataset", "leetcode")]
    public void TrainersSpellingsFindTheirRule(string dataSource, string rule) =>
        Assert.Equal(rule, GradingRules.Find(dataSource)?.Name);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("openai/gsm8k")]
    public void UnknownSourcesHaveNoRule(string? dataSource) => Assert.Null(GradingRules.Find(dataSource));

    [Fact]
    public void RulesUseTheJudgesPresetsAndTrainersTimes()
    {
        Assert.Same(ComparisonOptions.LiveCodeBench, GradingRules.Find("livecodebench")!.Comparison);
        Assert.Equal(TimeSpan.FromSeconds(6), GradingRules.Find("livecodebench")!.CpuTimePerTest);   // rllm: timeout=6
        Assert.Same(ComparisonOptions.Apps, GradingRules.Find("codecontests")!.Comparison);        // verl prime_code
        Assert.Same(ComparisonOptions.EvalPlus, GradingRules.Find("humanevalplus")!.Comparison);
    }

    [Fact]
    public void ApplyingARuleSetsComparisonAndPerTestTimesAndScalesAssertionScripts()
    {
        var problem = new Problem
        {
            Id = "p",
            Tests =
            [
                new StdioTest("1", "1"),
                new AssertionTest("def check(candidate):\n    assert candidate(1) == 1\n    assert candidate(2) == 2\n    assert(candidate(3) == 3)\n"),
                new StdioTest("2", "2") { CpuTimeLimit = TimeSpan.FromSeconds(9) },
            ],
        };
        var graded = GradingRules.Find("humanevalplus")!.ApplyTo(problem);
        Assert.Same(ComparisonOptions.EvalPlus, graded.Comparison);
        Assert.Equal(TimeSpan.FromSeconds(1), graded.Tests[0].CpuTimeLimit);
        Assert.Equal(TimeSpan.FromSeconds(3), graded.Tests[1].CpuTimeLimit);     // 1 s per assert, as rllm gives the script
        Assert.Equal(TimeSpan.FromSeconds(9), graded.Tests[2].CpuTimeLimit);     // a test's own limit wins

        var limited = problem with { Limits = new ProblemLimits { CpuTimePerTest = TimeSpan.FromSeconds(4) } };
        Assert.Null(GradingRules.Find("livecodebench")!.ApplyTo(limited).Tests[0].CpuTimeLimit);  // the dataset's limit wins
    }

    [Theory]
    [InlineData("livecodebench")]
    [InlineData("apps")]
    [InlineData("evalplus")]
    [InlineData("exact")]
    [InlineData("default")]
    public void PresetsAreFoundByName(string name) => Assert.NotNull(GradingRules.Preset(name));
}
