namespace Crucible.Judge.Tests;

/// <summary>
/// With one process per test (Batch = false), the test's CPU limit is enforced and measured by the host, outside
/// the solution's process: replacing the harness's clock, silencing its alarm and raising its own RLIMIT_CPU buys
/// nothing beyond a fixed start-up allowance.
/// </summary>
public sealed class SingleTestCpuTests(JudgeFixture f)
{
    private const string Tamperer = """
        import sys, signal, resource, time
        for m in list(sys.modules.values()):  # the harness, wherever it is loaded
            if hasattr(m, '_timed') and hasattr(m, '_main'):
                m._process_time = lambda: 0.0
                m._setitimer = lambda *a: None
                m._arm_cpu_backstop = lambda *a: None
        signal.signal(signal.SIGPROF, signal.SIG_IGN)
        try:
            soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
            resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
        except (ValueError, OSError):
            pass

        def square(x):
            start = time.thread_time()
            while time.thread_time() - start < 2.6:
                pass
            return x * x
        """;

    [Fact]
    public async Task TamperingWithTheHarnessClockDoesNotHideCpuTimeFromTheHost()
    {
        var problem = JudgeFixture.Problem(new FunctionCallTest("square", "[3]", "9"));
        var r = await f.JudgeAsync(problem, Tamperer, options: new JudgeOptions { Batch = false });
        Assert.False(r.Passed, $"a test that used 2.6 s of CPU against a 1 s limit passed: {r.Message}");
        Assert.Equal(TestOutcome.TimeLimitExceeded, r.Tests[0].Outcome);
        Assert.False(r.HasSandboxErrors);
    }

    [Fact]
    public async Task AnHonestSolutionStillPassesAlone()
    {
        var problem = JudgeFixture.Problem(new FunctionCallTest("square", "[3]", "9"));
        var r = await f.JudgeAsync(problem, "import time\ndef square(x):\n    s = time.process_time()\n    while time.process_time() - s < 0.15:\n        pass\n    return x * x\n", options: new JudgeOptions { Batch = false });
        Assert.True(r.Passed, r.Message);
        // Alone, the CPU time reported is the whole process's, measured by the host.
        Assert.True(r.Tests[0].CpuTime >= TimeSpan.FromSeconds(0.15), $"{r.Tests[0].CpuTime}");
    }
}
