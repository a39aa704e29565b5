using Crucible.Judge;

namespace Crucible.Curation.Tests;

public sealed class VerifyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Verify_drops_disagreeing_and_flaky_tests_and_problems_whose_reference_does_not_compile()
    {
        var judge = new ReferenceSemanticsJudge();
        var good = Problems.Sum("good", tests: 6);
        var wrongTest = Problems.Sum("wrong-test", tests: 6, wrong: [2]);
        var allWrong = Problems.Sum("all-wrong", tests: 3, wrong: [0, 1, 2]);
        var noCompile = Problems.Sum("no-compile", reference: "NOCOMPILE");
        var flaky = Problems.Sum("flaky", tests: 6, reference: "FLAKY");
        var noReference = Problems.Sum("no-ref") is var n ? n with { Problem = n.Problem with { References = [] } } : null!;
        var stage = new VerifyStage(judge, new VerifyOptions { Runs = 3, Parallelism = 1 });

        var outcome = await stage.RunAsync([good, wrongTest, allWrong, noCompile, flaky, noReference], Problems.Context(_dir), TestContext.Current.CancellationToken);

        Assert.Equal(["d:good", "d:wrong-test", "d:flaky"], outcome.Kept.Select(k => k.Key));
        Assert.Equal("verified", Problems.Decision(outcome, "d:good").Reason);
        Assert.Equal("verified, tests dropped", Problems.Decision(outcome, "d:wrong-test").Reason);
        Assert.Contains("expected output disagrees with the reference", Problems.Decision(outcome, "d:wrong-test").Detail);
        Assert.Equal(5, outcome.Kept.Single(k => k.Key == "d:wrong-test").Problem.Tests.Count);
        Assert.Equal("no test agrees with the reference", Problems.Decision(outcome, "d:all-wrong").Reason);
        Assert.Equal("reference does not compile", Problems.Decision(outcome, "d:no-compile").Reason);
        Assert.Equal("no reference solution", Problems.Decision(outcome, "d:no-ref").Reason);
        Assert.Contains("flaky", Problems.Decision(outcome, "d:flaky").Detail);
        var flakyKept = outcome.Kept.Single(k => k.Key == "d:flaky");
        Assert.Equal(5, flakyKept.Problem.Tests.Count);
        Assert.Equal("1 2\n", Assert.IsType<StdioTest>(flakyKept.Problem.Tests[0]).Input); // test 0 ("0 1") is the flaky one, removed
    }

    [Fact]
    public async Task Verify_calibrates_the_time_limit_from_the_reference_and_can_repair_expected_outputs()
    {
        var judge = new ReferenceSemanticsJudge();
        var stage = new VerifyStage(judge, new VerifyOptions { Runs = 1, Repair = true, Parallelism = 1, Calibration = new VerifyOptions().Calibration with { Factor = 20, Minimum = TimeSpan.FromMilliseconds(500) } });

        var outcome = await stage.RunAsync([Problems.Sum("p", tests: 6, wrong: [1, 4])], Problems.Context(_dir), TestContext.Current.CancellationToken);

        var kept = Assert.Single(outcome.Kept);
        Assert.Equal("verified, tests repaired", Problems.Decision(outcome, "d:p").Reason);
        Assert.Equal(6, kept.Problem.Tests.Count);
        Assert.Equal("3\n", Assert.IsType<StdioTest>(kept.Problem.Tests[1]).ExpectedOutput);
        // Slowest reference test: 150 ms (the fake judge's CPU time of test 5) × 20 = 3 s.
        Assert.Equal(TimeSpan.FromSeconds(3), kept.Problem.Limits.CpuTimePerTest);
        Assert.Equal("150", kept.Annotations["reference_cpu_ms"]);
        Assert.All(kept.Problem.Tests, t => Assert.Null(t.CpuTimeLimit));
    }

    [Fact]
    public async Task Verify_resumes_from_the_store_and_retries_infrastructure_failures()
    {
        var judge = new ReferenceSemanticsJudge();
        using var store = CurationStore.Open(_dir.File("curation.db"));
        var stage = new VerifyStage(judge, new VerifyOptions { Runs = 2, Parallelism = 1 });
        var items = new[] { Problems.Sum("a"), Problems.Sum("b", reference: "INFRA") };

        var first = await stage.RunAsync(items, Problems.Context(_dir, store), TestContext.Current.CancellationToken);
        Assert.Equal(["d:a"], first.Kept.Select(k => k.Key));
        var infra = Problems.Decision(first, "d:b");
        Assert.True(infra.Infrastructure);
        Assert.Equal("infrastructure error", infra.Reason);
        var callsAfterFirst = judge.Calls.Count;

        judge.FailInfrastructure = false;
        var second = await stage.RunAsync(items, Problems.Context(_dir, store), TestContext.Current.CancellationToken);

        Assert.Equal(["d:a", "d:b"], second.Kept.Select(k => k.Key));
        Assert.Equal(callsAfterFirst + 2, judge.Calls.Count); // only b was judged again (2 runs); a came from the store
        Assert.DoesNotContain(judge.Calls.Skip(callsAfterFirst), c => c.StartsWith("a|", StringComparison.Ordinal));
    }
}
