using Crucible.Judge;
using static Crucible.Bench.Tests.EvalPlusHarness;

namespace Crucible.Bench.Tests;

/// <summary>
/// Answers of many MB (HumanEval/15 and /130 have ~270 MB between them) stay in the oracle's cache file, not in
/// memory, and are judged exactly as answers held in memory are: by both graders, with wrong values still found.
/// </summary>
[Collection("sandbox")]
public sealed class LargeAnswerTests(SandboxFixture sandbox) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Long_answers_are_deferred_to_the_cache_file_and_judged_by_both_graders_as_in_memory()
    {
        sandbox.RequireLanguage("python");
        // Two answers of 5 MB: an object answering every test gets them in more than one official run (8 MB each).
        var data = Task("HumanEval/907", "def rep(n):\n", "rep", "    return 'ab' * n\n",
            [new object[] { 3 }], new[] { new object[] { 40_000 }, new object[] { 2_500_000 }, new object[] { 2_500_001 } });
        var samples = new[]
        {
            Solution("HumanEval/907", "def rep(n):\n    return 'ab' * n\n"),
            Solution("HumanEval/907", "def rep(n):\n    return 'ab' * n if n < 2_500_000 else 'ab' * (n - 1) + 'ax'\n"), // same length, last byte differs
            Solution("HumanEval/907", "class Yes:\n    def __eq__(self, other):\n        return True\n\ndef rep(n):\n    return Yes()\n"),
        };
        var cache = _dir.File("expected-outputs");

        var (computed, strict, _) = await new EvalPlusHarness(sandbox, _dir).RunAsync(data, samples, oracleCache: cache);
        var (cached, official, _) = await new EvalPlusHarness(sandbox, _dir).RunAsync(data, samples, Grader.EvalPlus, oracleCache: cache);

        foreach (var d in new[] { computed, cached })
        {
            var tests = d.Find("HumanEval/907")!.Tests.Cast<FunctionCallTest>().ToList();
            Assert.Equal([false, true, true, true], tests.Select(t => t.ExpectedIsDeferred));
            Assert.Equal("\"ababab\"", tests[0].ExpectedJson);
            Assert.Equal(2 * 2_500_000 + 2, tests[2].ExpectedJson.Length); // read back from the file, quotes included
        }
        Assert.Equal(("pass", "pass"), Statuses(strict, 0));
        Assert.Equal(("pass", "fail"), Statuses(strict, 1));
        Assert.Equal("PPW", strict.Outcomes[1].Result.TestOutcomes[..3]);
        Assert.Equal(("fail", "fail"), Statuses(strict, 2));
        Assert.Equal(("pass", "pass"), Statuses(official, 0));
        Assert.Equal(("pass", "fail"), Statuses(official, 1));
        Assert.Equal(("pass", "pass"), Statuses(official, 2)); // EvalPlus's `out == exp` asks the object, in every chunk
    }
}
