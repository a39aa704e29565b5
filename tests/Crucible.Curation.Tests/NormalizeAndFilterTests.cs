using Crucible.Judge;

namespace Crucible.Curation.Tests;

public sealed class NormalizeAndFilterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Normalize_records_a_malformed_row_and_a_problem_without_tests_as_drops_and_reads_the_rest()
    {
        var path = _dir.Write("mixed.jsonl", string.Join("\n",
            """{"id": "good", "question": "Add two numbers.", "input_output": "{\"inputs\": [\"1 2\\n\"], \"outputs\": [\"3\\n\"]}", "solutions": "[\"print(3)\"]"}""",
            """{"id": "empty", "question": "Nothing to test.", "input_output": "{\"inputs\": [], \"outputs\": []}"}""",
            """{"id": "broken", "question": "cut off""",
            """{"id": "bad-spec", "question": "Mismatched.", "input_output": "{\"inputs\": [\"1\"], \"outputs\": []}"}""",
            """{"id": "good", "question": "Same id again.", "input_output": "{\"inputs\": [\"1\\n\"], \"outputs\": [\"1\\n\"]}"}""",
            """{"id": "second", "question": "Echo.", "input_output": "{\"inputs\": [\"5\\n\"], \"outputs\": [\"5\\n\"]}"}"""));
        var stage = new NormalizeStage([path]);

        var outcome = await stage.RunAsync([], Problems.Context(_dir), TestContext.Current.CancellationToken);

        Assert.Equal(["mixed:good", "mixed:second"], outcome.Kept.Select(k => k.Key));
        Assert.Equal(6, outcome.Decisions.Count); // every row accounted for
        var drops = outcome.Decisions.Where(d => !d.Kept).ToDictionary(d => d.Reason, d => d.Detail);
        Assert.Contains("no tests", drops.Keys);
        Assert.Contains("malformed row", drops.Keys);
        Assert.Contains("unreadable row", drops.Keys);
        Assert.Contains("must pair up", drops["unreadable row"]);
        Assert.Contains("duplicate id", drops.Keys);
        Assert.Equal("python", outcome.Kept[0].Problem.References[0].Language);
    }

    [Fact]
    public async Task Filter_drops_each_problem_for_its_own_reason()
    {
        var dated = Problems.Sum("old", tests: 6);
        dated = dated with { Problem = dated.Problem with { Metadata = new ProblemMetadata { ContestDate = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero) } } };
        var recent = Problems.Sum("recent", tests: 6);
        recent = recent with { Problem = recent.Problem with { Metadata = new ProblemMetadata { ContestDate = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero) } } };
        var few = Problems.Sum("few", tests: 4);
        var noStatement = Problems.Sum("blank", tests: 6, statement: " ");
        var java = Problems.Sum("java", tests: 6);
        java = java with { Problem = java.Problem with { Language = "java" } };
        var big = Problems.Sum("big", tests: 6);
        big = big with { Problem = big.Problem with { Tests = [.. big.Problem.Tests.Take(4), new StdioTest(new string('9', 5000), "1\n"), new StdioTest(new string('8', 5000), "1\n")] } };
        var undated = Problems.Sum("undated", tests: 6);
        var stage = new FilterStage(new FilterOptions
        {
            MinTests = 5, MaxTestBytes = 1000, Languages = new HashSet<string>(["python"]), Since = new DateTimeOffset(2023, 5, 1, 0, 0, 0, TimeSpan.Zero),
        });

        var outcome = await stage.RunAsync([dated, recent, few, noStatement, java, big, undated], Problems.Context(_dir), TestContext.Current.CancellationToken);

        Assert.Equal(["d:recent"], outcome.Kept.Select(k => k.Key));
        Assert.Equal("outside date window", Problems.Decision(outcome, "d:old").Reason);
        Assert.Equal("no date", Problems.Decision(outcome, "d:few").Reason); // the window is checked before the test count
        Assert.Equal("missing statement", Problems.Decision(outcome, "d:blank").Reason);
        Assert.Equal("language", Problems.Decision(outcome, "d:java").Reason);
        Assert.Equal("no date", Problems.Decision(outcome, "d:undated").Reason);

        var sizeOnly = new FilterStage(new FilterOptions { MinTests = 5, MaxTestBytes = 1000 });
        var sized = await sizeOnly.RunAsync([big, few, recent], Problems.Context(_dir), TestContext.Current.CancellationToken);
        Assert.Equal("too few tests", Problems.Decision(sized, "d:big").Reason);
        Assert.Contains("after removing 2 over 1000 bytes", Problems.Decision(sized, "d:big").Detail);
        Assert.Equal("too few tests", Problems.Decision(sized, "d:few").Reason);
        Assert.Equal(["d:recent"], sized.Kept.Select(k => k.Key));
    }
}
