using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>
/// What warm runners promise beyond the shared attack suite: same verdicts as cold, no state between submissions,
/// recovery. Run against both ways a runner starts: a bubblewrap sandbox of its own, and a zygote child.
/// </summary>
public abstract class WarmRunnerSuite(SandboxFixture fx)
{
    public static TheoryData<string, string, string> Programs => new()
    {
        { "python", "import sys\nprint(sum(map(int, sys.stdin.read().split())))", "1 2 3" },
        { "python", "import sys\nsys.exit(3)", "" },
        { "python", "raise KeyError('k')", "" },
        { "python", "import sys\nprint('to stderr', file=sys.stderr)\nprint(sys.argv[1:])", "" },
        { "python", "import os\nos._exit(7)", "" },
        { "python", "import atexit\natexit.register(lambda: print('bye'))\nprint('hi')", "" },
        { "python", "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)", "" },
        { "python", "if __name__ == '__main__':\n    print(__name__, __file__)", "" },
        { "cpp", "#include <iostream>\nint main(){ int a,b; std::cin>>a>>b; std::cout<<a*b<<std::endl; return a; }", "6 7" },
        { "javascript", "console.log(require('fs').readFileSync(0,'utf8').trim().split(' ').length); process.exit(2)", "a b c" },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task WarmAndColdAgree(string lang, string source, string stdin)
    {
        fx.RequireLanguage(lang);
        await using var warm = await fx.OpenAsync(new SourceProgram(lang, source));
        var before = fx.Pool.WarmRuns;
        var w = await warm.RunAsync(RunRequest.WithStdin(stdin) with { Args = ["x", "y"] });
        Assert.Equal(before + 1, fx.Pool.WarmRuns);

        var root = Path.Combine(Path.GetTempPath(), "crucible-cold-" + Guid.NewGuid().ToString("N")[..8]);
        await using var coldPool = SandboxPool.Create(new SandboxOptions { StateRoot = root, WarmRunners = false, Zygotes = false });
        try
        {
            await using var cold = await coldPool.OpenSessionAsync(new SourceProgram(lang, source));
            var c = await cold.RunAsync(RunRequest.WithStdin(stdin) with { Args = ["x", "y"] });
            Assert.Equal(c.Verdict, w.Verdict);
            Assert.Equal(c.ExitCode, w.ExitCode);
            Assert.Equal(c.Signal, w.Signal);
            Assert.Equal(c.Stdout, w.Stdout);
            // Tracebacks name the same file and line; only the runner's own frames could differ, and must not.
            Assert.Equal(c.Stderr, w.Stderr);
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task NothingCarriesOverToTheNextSubmission()
    {
        await using (var a = await fx.OpenAsync(new SourceProgram("python",
            "import math, builtins\nmath.pi = 3\nbuiltins.LEAK = 'leaked'\nopen('/tmp/leak', 'w').write('x')\nopen('/work/leak', 'w').write('x')\nprint('done')")))
        {
            var ra = await a.RunAsync(new RunRequest());
            Assert.Equal("done\n", ra.Stdout);
        }
        await using var b = await fx.OpenAsync(new SourceProgram("python",
            "import math, builtins, os\nprint(math.pi, getattr(builtins, 'LEAK', None), os.path.exists('/tmp/leak'), os.path.exists('/work/leak'))"));
        var rb = await b.RunAsync(new RunRequest());
        Assert.Equal("3.141592653589793 None False False\n", rb.Stdout);
    }

    [Fact]
    public async Task RunsOfOneSubmissionDoNotShareInterpreterState()
    {
        await using var s = await fx.OpenAsync(new SourceProgram("python",
            "import math\nprint(math.pi)\nmath.pi = 3\n"));
        var first = await s.RunAsync(new RunRequest());
        var second = await s.RunAsync(new RunRequest());
        Assert.Equal("3.141592653589793\n", first.Stdout);
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public async Task KillingTheRunnerFallsBackToAnExactColdRun()
    {
        await using var s = await fx.OpenAsync(new SourceProgram("python", "import os, sys\nos.kill(os.getppid(), 9)\nprint('after')\nsys.exit(4)"));
        var coldBefore = fx.Pool.ColdRuns;
        var r = await s.RunAsync(new RunRequest());
        Assert.NotEqual(Verdict.SandboxError, r.Verdict);
        if (fx.ZygoteRunners)
        {
            // A zygote-started runner is pid 1 of its namespace: the kernel ignores the SIGKILL, the run is warm.
            Assert.True(s.HasWarmRunner, "the runner died");
            Assert.Equal(coldBefore, fx.Pool.ColdRuns);
            Assert.Equal("after\n", r.Stdout);
            Assert.Equal(4, r.ExitCode);
            return;
        }
        Assert.False(s.HasWarmRunner);
        Assert.Equal(coldBefore + 1, fx.Pool.ColdRuns);
    }

    [Fact]
    public async Task StoppingTheRunnerFallsBackToo()
    {
        var limits = ResourceLimits.Default with { CpuTime = TimeSpan.FromSeconds(1), WallTime = TimeSpan.FromSeconds(2) };
        await using var s = await fx.OpenAsync(new SourceProgram("python", "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\nprint('child done')"), limits);
        var r = await s.RunAsync(new RunRequest());
        Assert.True(r.Verdict != Verdict.SandboxError, $"{r.Verdict}: {r.Message}"); // the reason, if it ever is
        if (fx.ZygoteRunners)
        {
            // pid 1 of its namespace cannot be stopped from inside it either: the run simply goes on.
            Assert.True(r.Verdict == Verdict.Ok && r.Stdout == "child done\n", $"{r.Verdict}: {r.Message} stdout={r.Stdout} stderr={r.Stderr}");
            Assert.True(s.HasWarmRunner, "the runner was stopped");
            Assert.Equal("child done\n", (await s.RunAsync(new RunRequest())).Stdout);
            return;
        }
        Assert.False(s.HasWarmRunner, $"the runner survived: {r.Verdict} {r.Message} stdout={r.Stdout} stderr={r.Stderr}");
    }

    [Fact]
    public async Task RunnerIsReplacedAfterItsRunBudget()
    {
        var root = Path.Combine(Path.GetTempPath(), "crucible-recycle-" + Guid.NewGuid().ToString("N")[..8]);
        await using var pool = SandboxPool.Create(new SandboxOptions { StateRoot = root, MaxRunsPerRunner = 3, PrestartedRunners = 1, Zygotes = fx.ZygoteRunners });
        try
        {
            Assert.SkipUnless(pool.WarmEnabled, "warm runners need root and cgroups");
            for (var i = 0; i < 200 && pool.IdleRunners == 0; i++) await Task.Delay(50);
            await using var s = await pool.OpenSessionAsync(new SourceProgram("python", "print('x')"), null, expectedRuns: 100);
            Assert.True(s.HasWarmRunner);
            Assert.Equal(fx.ZygoteRunners, s.RunnerFromZygote);
            for (var i = 0; i < 3; i++) Assert.Equal("x\n", (await s.RunAsync(new RunRequest())).Stdout);
            Assert.False(s.HasWarmRunner); // retired after 3 runs
            Assert.Equal(3, pool.WarmRuns);
            for (var i = 0; i < 200 && !s.HasWarmRunner; i++)
            {
                await s.RunAsync(new RunRequest());
                await Task.Delay(50);
            }
            Assert.True(s.HasWarmRunner, "a replacement runner was started");
            Assert.Equal(fx.ZygoteRunners, s.RunnerFromZygote);
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task ARunCannotReachAnotherSessionsFilesOrTheStateRoot()
    {
        var secret = "secret-" + Guid.NewGuid().ToString("N");
        await using var a = await fx.OpenAsync(new SourceProgram("python", "import sys\nprint(open(sys.argv[1]).read())"));
        var ra = await a.RunAsync(new RunRequest { Args = [secret], Files = new Dictionary<string, byte[]> { [secret] = "hidden"u8.ToArray() } });
        Assert.Equal("hidden\n", ra.Stdout);
        var thief = """
            import os, sys
            secret, paths, toolchains = sys.argv[1], sys.argv[2].split('\n'), set(sys.argv[3].split('\n'))
            for p in paths:
                print(p, 'exists' if os.path.exists(p) else 'absent')
            skip = {'/proc', '/sys', '/dev', '/usr'}
            for top in os.listdir('/'):
                if '/' + top in skip:
                    continue
                for root, dirs, files in os.walk('/' + top):
                    dirs[:] = [d for d in dirs if os.path.join(root, d) not in toolchains]
                    for name in dirs + files:
                        if secret in name:
                            print('found', os.path.join(root, name))
            print('searched')
            """;
        await using var b = await fx.OpenAsync(new SourceProgram("python", thief));
        var hostPaths = new List<string> { fx.StateRoot, Path.Combine(a.WorkDirectory!, secret) };
        // Generous limits: the walk is I/O-bound on a fresh machine's cold caches, and what is tested is what it finds.
        var rb = await b.RunAsync(new RunRequest
        {
            Args = [secret, string.Join('\n', hostPaths), string.Join('\n', fx.ToolchainTrees)],
            Limits = ResourceLimits.Default with { CpuTime = TimeSpan.FromSeconds(20), WallTime = TimeSpan.FromSeconds(60) },
        });
        Assert.True(rb.Verdict == Verdict.Ok, $"{rb.Verdict}: {rb.Message} {rb.Stderr}");
        Assert.Contains("searched", rb.Stdout);
        Assert.DoesNotContain("found", rb.Stdout);
        Assert.DoesNotContain("exists", rb.Stdout);
    }

    [Fact]
    public async Task ConcurrentRunsOfOneSessionAllComplete()
    {
        await using var s = await fx.OpenAsync(new SourceProgram("python", "import sys\nprint(int(sys.stdin.read()) + 1)"));
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => s.RunAsync(RunRequest.WithStdin(i.ToString()))));
        for (var i = 0; i < 6; i++) Assert.Equal($"{i + 1}\n", results[i].Stdout);
    }
}

[Collection("warm")]
public sealed class WarmRunnerTests(WarmSandboxFixture fx) : WarmRunnerSuite(fx);
