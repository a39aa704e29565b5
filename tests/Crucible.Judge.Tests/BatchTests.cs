namespace Crucible.Judge.Tests;

/// <summary>
/// Batched function-call and assertion tests: one process for all tests, yet a crash, kill or limit in one test
/// still gives every test its own exact verdict (the test is rerun alone, the batch resumes after it).
/// </summary>
public sealed class BatchTests(JudgeFixture f)
{
    private static Problem Ten() => JudgeFixture.Problem(
        Enumerable.Range(0, 10).Select(i => (TestCase)new FunctionCallTest("f", $"[{i}]", (i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());

    private static TestOutcome[] Outcomes(JudgeResult r) => r.Tests.Select(t => t.Outcome).ToArray();

    [Fact]
    public async Task BatchedAndSeparateRunsAgreeOnEveryTest()
    {
        const string code = "def f(x):\n    if x == 3:\n        raise ValueError('three')\n    if x == 7:\n        return 'seventy'\n    return x * 10\n";
        var batched = await f.JudgeAsync(Ten(), code);
        var separate = await f.JudgeAsync(Ten(), code, options: new JudgeOptions { Batch = false });
        Assert.Equal(Outcomes(separate), Outcomes(batched));
        Assert.Equal(TestOutcome.RuntimeError, batched.Tests[3].Outcome);
        Assert.Equal(TestOutcome.WrongAnswer, batched.Tests[7].Outcome);
        Assert.Equal(8, batched.PassedTests);
        Assert.True(batched.Tests[0].Batched);
        Assert.False(separate.Tests[0].Batched);
    }

    [Fact]
    public async Task AFunctionIsBoundOnceAndASolutionMethodGetsAFreshInstancePerTest()
    {
        // The function rebinds its own name at the first call: a harness that binds the function once (as EvalPlus's
        // evaluator and check(candidate) do) keeps calling the original.
        const string rebinding = "def f(x):\n    global f\n    f = lambda y: -1\n    return x * 10\n";
        Assert.Equal(10, (await f.JudgeAsync(Ten(), rebinding)).PassedTests);
        // Without a module-level f, Solution().f is called, on a new instance each time: state kept on the instance
        // (here a call counter) never reaches the next test.
        const string method = "class Solution:\n    def __init__(self):\n        self.calls = 0\n    def f(self, x):\n        self.calls += 1\n        return x * 10 if self.calls == 1 else -1\n";
        Assert.Equal(10, (await f.JudgeAsync(Ten(), method)).PassedTests);
    }

    [Fact]
    public async Task AHardCrashInTheMiddleGivesExactPerTestVerdicts()
    {
        // Test 4 kills the whole process; the others must still be judged one by one.
        const string code = "import os\ndef f(x):\n    if x == 4:\n        os._exit(3)\n    if x == 6:\n        os.abort()\n    return x * 10\n";
        var r = await f.JudgeAsync(Ten(), code);
        var expected = Enumerable.Repeat(TestOutcome.Passed, 10).ToArray();
        expected[4] = TestOutcome.RuntimeError;
        expected[6] = TestOutcome.RuntimeError;
        Assert.Equal(expected, Outcomes(r));
        Assert.Contains("exit code 3", r.Tests[4].Message);
        Assert.Contains("signal 6", r.Tests[6].Message);
        Assert.Equal(Outcomes(r), Outcomes(await f.JudgeAsync(Ten(), code, options: new JudgeOptions { Batch = false })));
    }

    [Fact]
    public async Task TimeLimitIsPerTestInsideABatch()
    {
        var fast = new JudgeOptions { CpuTimePerTestOverride = TimeSpan.FromMilliseconds(300) };
        // Test 2 loops in Python (the in-process alarm stops it); test 5 loops inside one C call the alarm cannot
        // interrupt (the host's budget for the batch stops it, then the test is rerun alone).
        const string code = "def f(x):\n    if x == 2:\n        while True:\n            pass\n    if x == 5:\n        sum(range(10**12))\n    return x * 10\n";
        var r = await f.JudgeAsync(Ten(), code, options: fast);
        var expected = Enumerable.Repeat(TestOutcome.Passed, 10).ToArray();
        expected[2] = TestOutcome.TimeLimitExceeded;
        expected[5] = TestOutcome.TimeLimitExceeded;
        Assert.Equal(expected, Outcomes(r));
    }

    [Fact]
    public async Task ACatchAllCannotSwallowTheTimeLimit()
    {
        var fast = new JudgeOptions { CpuTimePerTestOverride = TimeSpan.FromMilliseconds(300) };
        const string code = "def f(x):\n    while True:\n        try:\n            while True:\n                pass\n        except BaseException:\n            pass\n";
        var r = await f.JudgeAsync(JudgeFixture.Problem(new FunctionCallTest("f", "[1]", "10"), new FunctionCallTest("f", "[2]", "20")), code, options: fast);
        Assert.Equal([TestOutcome.TimeLimitExceeded, TestOutcome.TimeLimitExceeded], Outcomes(r));
    }

    [Fact]
    public async Task MemoryThatAccumulatesAcrossTestsDoesNotFailTheTestAlone()
    {
        // Each call keeps 60 MB alive: together they pass 256 MB, alone each fits. The batch dies; reruns decide.
        var p = JudgeFixture.Problem(Enumerable.Range(0, 6).Select(i => (TestCase)new FunctionCallTest("f", $"[{i}]", $"{i}")).ToArray())
            with { Limits = new ProblemLimits { CpuTimePerTest = TimeSpan.FromSeconds(2), MemoryBytes = 256L << 20 } };
        const string code = "kept = []\ndef f(x):\n    kept.append(bytearray(60 * 1024 * 1024))\n    return x\n";
        var r = await f.JudgeAsync(p, code);
        Assert.Equal(Enumerable.Repeat(TestOutcome.Passed, 6), Outcomes(r));
        var hog = await f.JudgeAsync(p with { Tests = p.Tests.Take(2).ToList() }, "def f(x):\n    big = bytearray(400 * 1024 * 1024)\n    return x\n");
        Assert.All(hog.Tests, t => Assert.Equal(TestOutcome.MemoryLimitExceeded, t.Outcome));
    }

    [Fact]
    public async Task AssertionTestsBatchWithPerTestVerdicts()
    {
        var tests = Enumerable.Range(0, 6).Select(i => (TestCase)new AssertionTest($"assert f({i}) == {i * 10}")).ToArray();
        var p = JudgeFixture.Problem(tests);
        const string code = "import os\ndef f(x):\n    if x == 2:\n        os._exit(0)\n    if x == 4:\n        return -1\n    return x * 10\n";
        var r = await f.JudgeAsync(p, code);
        Assert.Equal([TestOutcome.Passed, TestOutcome.Passed, TestOutcome.RuntimeError, TestOutcome.Passed, TestOutcome.WrongAnswer, TestOutcome.Passed], Outcomes(r));
        Assert.Equal(Outcomes(r), Outcomes(await f.JudgeAsync(p, code, options: new JudgeOptions { Batch = false })));
    }

    [Fact]
    public async Task AdaptiveChecksTakeMoreRoundsAndStillDecide()
    {
        // Each call's argument depends on the previous result: the driver learns one step per round.
        var p = JudgeFixture.Problem(new AssertionTest("x = 1\nfor _ in range(3):\n    x = step(x)\nassert x == 8\n"));
        Assert.Equal(TestOutcome.Passed, (await f.JudgeAsync(p, "def step(x):\n    return x * 2\n")).Outcome);
        Assert.Equal(TestOutcome.WrongAnswer, (await f.JudgeAsync(p, "def step(x):\n    return x + 2\n")).Outcome);
        var tooFew = await f.JudgeAsync(p, "def step(x):\n    return x * 2\n", options: new JudgeOptions { MaxAssertionRounds = 2 });
        Assert.Equal(TestOutcome.SandboxError, tooFew.Outcome); // the harness's limit, not the code's fault
        Assert.Contains("MaxAssertionRounds", tooFew.Tests[0].Message);
    }

    [Fact]
    public async Task ACheckScriptThatDrawsFromRandomIsSeededTheSameInEveryRound()
    {
        // The check is replayed round by round; its own draws must repeat (seed 0, as before "random" stopped being
        // preloaded and became imported only by scripts that name it): 906691059 is Python's first randint after seed(0).
        var p = JudgeFixture.Problem(new AssertionTest("import random\nx = random.randint(0, 10**9)\nassert f(x) == 2 * 906691059\n"));
        Assert.Equal(TestOutcome.Passed, (await f.JudgeAsync(p, "def f(x):\n    return x * 2\n")).Outcome);
        Assert.Equal(TestOutcome.WrongAnswer, (await f.JudgeAsync(p, "def f(x):\n    return x * 2 + 1\n")).Outcome);
    }

    [Fact]
    public async Task ANondeterministicSolutionCannotStallTheCheckIntoAnInfrastructureError()
    {
        var p = JudgeFixture.Problem(new AssertionTest("x = 1\nfor _ in range(3):\n    x = step(x)\nassert x == 8\n"));
        var r = await f.JudgeAsync(p, "import random\ndef step(x):\n    return x * 2 + random.randint(0, 10**9)\n", options: new JudgeOptions { MaxAssertionRounds = 5 });
        Assert.Equal(TestOutcome.WrongAnswer, r.Outcome);
    }
}
