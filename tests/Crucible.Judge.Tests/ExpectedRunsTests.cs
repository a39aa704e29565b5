using Crucible.Judge;
using Crucible.Judge.Execution;

namespace Crucible.Judge.Tests;

/// <summary>
/// How many sandbox runs a judge tells the pool to expect: it decides whether a session forks a zygote per run (an
/// EvalPlus sample: one batch per split) or takes a warm runner at once (a problem with many stdin tests).
/// </summary>
public sealed class ExpectedRunsTests(JudgeFixture f)
{
    private int Runs(Problem problem, JudgeOptions options) =>
        JudgePlan.Create(f.Pool, new Submission(problem, "python", "def f(x):\n    return x\n"), options).ExpectedRuns(options);

    [Fact]
    public void Each_stdin_test_is_a_run()
    {
        var p = JudgeFixture.Problem(new StdioTest("1", "1"), new StdioTest("2", "2"), new StdioTest("3", "3"));
        Assert.Equal(3, Runs(p, JudgeOptions.Default));
    }

    [Fact]
    public void Function_calls_batch_into_one_run_per_group_unless_batching_is_off()
    {
        var tests = Enumerable.Range(0, 6).Select(i => (TestCase)new FunctionCallTest("f", $"[{i}]", $"{i}") { Group = i < 4 ? "base" : "plus" }).ToArray();
        var p = JudgeFixture.Problem(tests);
        Assert.Equal(2, Runs(p, JudgeOptions.Default));
        Assert.Equal(6, Runs(p, JudgeOptions.Default with { Batch = false }));
    }
}
