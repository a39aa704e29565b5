namespace Crucible.Judge.Tests;

/// <summary>Test groups (EvalPlus's base and plus splits): each stops at its own first failure and has its own time budget.</summary>
public sealed class GroupTests(JudgeFixture f)
{
    private static Problem Split(int perGroup) => JudgeFixture.Problem(
        Enumerable.Range(0, 2 * perGroup).Select(i => (TestCase)new FunctionCallTest("f", $"[{i}]", $"{i}")
        {
            Group = i < perGroup ? "base" : "plus", CpuTimeLimit = TimeSpan.FromSeconds(0.3),
        }).ToArray());

    [Fact]
    public async Task Stopping_at_the_first_failure_stops_only_that_group()
    {
        f.RequireLanguage("python");
        var r = await f.JudgeAsync(Split(3), "def f(x):\n    return -1 if x == 0 else x\n", options: new JudgeOptions { StopAtFirstFailure = true });
        Assert.Equal([TestOutcome.WrongAnswer, TestOutcome.Skipped, TestOutcome.Skipped, TestOutcome.Passed, TestOutcome.Passed, TestOutcome.Passed],
            r.Tests.Select(t => t.Outcome));
    }

    // Groups share one run, each in a process forked from the loaded solution: what one group's calls leave behind
    // must not be seen by the next (EvalPlus runs each split in a process of its own).
    [Fact]
    public async Task Each_group_starts_from_the_freshly_loaded_solution()
    {
        f.RequireLanguage("python");
        var p = JudgeFixture.Problem(
            new FunctionCallTest("f", "[1]", "1") { Group = "base" }, new FunctionCallTest("f", "[2]", "2") { Group = "base" },
            new FunctionCallTest("f", "[3]", "1") { Group = "plus" }, new FunctionCallTest("f", "[4]", "2") { Group = "plus" });
        var r = await f.JudgeAsync(p, "calls = []\ndef f(x):\n    calls.append(x)\n    return len(calls)\n");
        Assert.True(r.Passed, r.Message);
    }

    // EvalPlus tests run the solution in EvalPlus's environment (resource, open, os.kill … blocked): the harness's own
    // work around it, forking and waiting for each group, must still go through in the one run.
    [Fact]
    public async Task EvalPlus_groups_in_EvalPlus_environment_complete_in_one_run_without_a_harness_error()
    {
        f.RequireLanguage("python");
        var p = JudgeFixture.Problem(Enumerable.Range(0, 6).Select(i => (TestCase)new FunctionCallTest("f", $"[{i}]", $"{i}")
        {
            Group = i < 3 ? "base" : "plus", EvalPlus = new EvalPlusCheck(),
        }).ToArray());
        var r = await f.JudgeAsync(p, "def f(x):\n    return x\n");
        Assert.True(r.Passed, r.Message);
        // A harness that failed after a group would leave its traceback on the run's stderr, shown with every test.
        Assert.All(r.Tests, t => Assert.True(t.StderrPreview is null, t.StderrPreview));
    }

    [Theory]
    [InlineData("import os\ndef f(x):\n    if x == 0:\n        os._exit(3)\n    return x\n", TestOutcome.RuntimeError)]
    [InlineData("def f(x):\n    if x == 0:\n        sum(range(10**12))\n    return x\n", TestOutcome.TimeLimitExceeded)] // one C call: only the kernel stops it
    [InlineData("def f(x):\n    if x == 0:\n        b = bytearray(1 << 31)\n    return x\n", TestOutcome.MemoryLimitExceeded)]
    public async Task What_ends_one_groups_process_is_that_groups_verdict_and_the_next_group_still_runs(string code, TestOutcome first)
    {
        f.RequireLanguage("python");
        // 128 MiB, not the default 512: a quarter of the CPU to fill, well inside the test's CPU limit even on a loaded
        // machine, so the memory limit is reached first (filling 512 MiB took ~0.4 s of CPU here, and a busy CI machine
        // went past the limit first: an honest time-limit verdict, but not what this test is about).
        var r = await f.JudgeAsync(Split(3), code, options: new JudgeOptions { StopAtFirstFailure = true, DefaultMemoryBytes = 128L << 20 });
        Assert.Equal([first, TestOutcome.Skipped, TestOutcome.Skipped, TestOutcome.Passed, TestOutcome.Passed, TestOutcome.Passed],
            r.Tests.Select(t => t.Outcome));
        Assert.False(r.HasSandboxErrors, r.Message);
    }

    // The last group runs in the process that loaded the solution (no fork after it): what ends that process is still
    // only that group's verdict, and the group before it keeps its own.
    [Theory]
    [InlineData("import os\ndef f(x):\n    if x == 3:\n        os._exit(3)\n    return x\n", TestOutcome.RuntimeError)]
    [InlineData("def f(x):\n    if x == 3:\n        sum(range(10**12))\n    return x\n", TestOutcome.TimeLimitExceeded)]
    [InlineData("def f(x):\n    if x == 3:\n        b = bytearray(1 << 31)\n    return x\n", TestOutcome.MemoryLimitExceeded)]
    [InlineData("import signal, os\ndef f(x):\n    if x == 3:\n        os.kill(os.getpid(), signal.SIGKILL)\n    return x\n", TestOutcome.RuntimeError)]
    public async Task What_ends_the_last_groups_process_is_that_groups_verdict_only(string code, TestOutcome first)
    {
        f.RequireLanguage("python");
        var r = await f.JudgeAsync(Split(3), code, options: new JudgeOptions { StopAtFirstFailure = true, DefaultMemoryBytes = 128L << 20 });
        Assert.Equal([TestOutcome.Passed, TestOutcome.Passed, TestOutcome.Passed, first, TestOutcome.Skipped, TestOutcome.Skipped],
            r.Tests.Select(t => t.Outcome));
        Assert.False(r.HasSandboxErrors, r.Message);
    }

    [Fact]
    public async Task A_group_that_times_out_on_every_test_stops_at_its_budget_even_with_every_test_run()
    {
        f.RequireLanguage("python");
        var r = await f.JudgeAsync(Split(16), "def f(x):\n    while True:\n        pass\n",
            options: new JudgeOptions { StopAtFirstFailure = false, GroupTimeBudgetCap = TimeSpan.FromSeconds(0.5) });
        Assert.All(r.Tests, t => Assert.Equal(TestOutcome.TimeLimitExceeded, t.Outcome));
        // Budget min(0.5 s, 16 × 0.3 s) + 1 s, and a process may overrun it by 1 s at most: some 8 tests can run to their
        // limit, so with 16 per group the rest of each group is never run, however the machine's timing falls.
        Assert.Contains(r.Tests.Take(16), t => t.Message?.Contains("time budget") == true);
        Assert.Contains(r.Tests.Skip(16), t => t.Message?.Contains("time budget") == true);
    }
}
