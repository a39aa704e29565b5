using System.Diagnostics;
using System.Globalization;
using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>
/// Warm runners forked from a zygote: the warm-runner suite, plus what this start must add to it — the runs a runner
/// forks cannot reach the runner or the zygote, and a runner lost with its zygote costs speed only.
/// </summary>
[Collection("zygote-runner")]
public sealed class ZygoteRunnerTests(ZygoteRunnerSandboxFixture fx) : WarmRunnerSuite(fx)
{
    private static readonly ResourceLimits Quick = ResourceLimits.Default with { CpuTime = TimeSpan.FromSeconds(2), WallTime = TimeSpan.FromSeconds(8) };

    [Fact]
    public async Task ATestOfAZygoteRunnerStartsWithThePagesRunsWriteAlreadyItsOwn()
    {
        // hot_pages.c: a runner forked from a Python zygote pins, in its own process, the pages the zygote's learning run
        // and learning runner's test wrote, so each test it forks gets them copied by fork instead of faulting on them.
        // Counted as the faults a test's process took before its program's first line (on the machine this was written
        // on: 233 without the runner's pin, 99-105 with only the learning run's pages, 27-28 with both). Where io_uring
        // is disabled nothing is pinned and the count is not checked.
        const string program = ZygoteTests.FaultsAndRingsProgram;
        await using var s = await fx.OpenAsync(new SourceProgram("python", program), Quick);
        var runner = Assert.Single(s.RunnerPids);
        var pinned = ZygoteTests.PinnedKb(runner);
        var faults = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            var r = await s.RunAsync(new RunRequest());
            Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
            var parts = r.Stdout.Split();
            Assert.Equal("45", parts[1]);
            Assert.Equal("0", parts[2]); // the ring that holds the pin stays with the process that pinned
            faults.Add(int.Parse(parts[0], CultureInfo.InvariantCulture));
        }
        Assert.Equal(runner, Assert.Single(s.RunnerPids));
        if (File.ReadAllText("/proc/sys/kernel/io_uring_disabled").Trim() != "0")
            return;
        Assert.True(pinned > 0, "the runner pinned no pages");
        Assert.True(faults.Max() < 80, $"the tests took {string.Join(", ", faults)} page faults before their first line");
    }

    [Fact]
    public async Task ARunCannotSignalTraceOrReadItsRunnerOrTheZygote()
    {
        var zygote = fx.Pool.ZygoteFleet!.Current("python");
        Assert.NotNull(zygote);
        var zygotePids = zygote.Pids.ToList();
        Assert.NotEmpty(zygotePids);
        var src = """
            import ctypes, os, sys
            libc = ctypes.CDLL(None, use_errno=True)
            print('ppid', os.getppid())
            for pid in [int(p) for p in sys.argv[1:]] + [1]:
                for sig in (19, 9):
                    try:
                        os.kill(pid, sig)
                        print('signalled', pid)
                    except OSError as e:
                        print('kill', pid, e.errno)
                ctypes.set_errno(0)
                print('ptrace', pid, libc.ptrace(16, pid, 0, 0), ctypes.get_errno())
            for name in ('mem', 'environ', 'fd'):
                try:
                    if name == 'fd':
                        print('read /proc/1/fd', os.listdir('/proc/1/fd'))
                    else:
                        open('/proc/1/' + name, 'rb').read(1)
                        print('read /proc/1/' + name)
                except OSError as e:
                    print('no /proc/1/' + name, e.errno)
            print('alive')
            """;
        await using var s = await fx.OpenAsync(new SourceProgram("python", src), Quick);
        var runnerPids = s.RunnerPids.ToList();
        Assert.Single(runnerPids);
        var warmBefore = fx.Pool.WarmRuns;
        var r = await s.RunAsync(new RunRequest { Args = zygotePids.Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList() });
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.Contains("ppid 1\n", r.Stdout); // its parent is the runner, pid 1 of the namespace
        foreach (var pid in zygotePids) Assert.Contains($"kill {pid} 3\n", r.Stdout); // ESRCH: not in the run's namespace
        foreach (var line in r.Stdout.Split('\n').Where(l => l.StartsWith("ptrace", StringComparison.Ordinal)))
            Assert.EndsWith(" -1 1", line); // EPERM (seccomp)
        Assert.DoesNotContain("read /proc/1/", r.Stdout);
        Assert.Contains("alive", r.Stdout);
        // The SIGSTOP and SIGKILL sent to pid 1 were ignored by the kernel: the same runner serves the next run warm.
        var again = await s.RunAsync(new RunRequest());
        Assert.Equal(warmBefore + 2, fx.Pool.WarmRuns);
        Assert.True(s.HasWarmRunner);
        Assert.Equal(runnerPids, s.RunnerPids);
        Assert.DoesNotContain(ProcessState(runnerPids[0]), new[] { "T", "t" }); // not stopped (nor traced)
        Assert.Same(zygote, fx.Pool.ZygoteFleet.Current("python"));
        Assert.False(zygote.Broken, zygote.BrokenReason);
        Assert.All(zygotePids, p => Assert.True(Directory.Exists($"/proc/{p}"), $"zygote process {p} is gone"));
    }

    [Fact]
    public async Task ARunCannotConnectToAnyControlSocket()
    {
        // The runner's own channel is an unnamed socket pair; the zygote's listener is the only named one in view.
        var src = """
            import os, socket
            print('fds', sorted(os.listdir('/proc/self/fd')))
            for path in ('/io/ctl.sock',):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                s.settimeout(1)
                try:
                    s.connect(path)
                    print('connected', path)
                except OSError as e:
                    print('refused', path, e.errno)
            """;
        await using var s = await fx.OpenAsync(new SourceProgram("python", src), Quick);
        var r = await s.RunAsync(new RunRequest());
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.DoesNotContain("connected", r.Stdout);
        Assert.Contains("fds ['0', '1', '2', '3']", r.Stdout); // stdio and the listing's own descriptor: not the runner's socket
        Assert.True(s.HasWarmRunner);
    }

    [Fact]
    public async Task WhatARunOrphansIsReapedByTheRunner()
    {
        // The runner is pid 1 of its namespace: orphans come to it, and must not stay as zombies of the session's uid.
        await using var s = await fx.OpenAsync(new SourceProgram("python",
            "import os\nfor _ in range(5):\n    if os.fork() == 0:\n        if os.fork() == 0:\n            os._exit(0)\n        os._exit(0)\nprint('done')\n"), Quick);
        for (var i = 0; i < 3; i++)
        {
            var r = await s.RunAsync(new RunRequest());
            Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        }
        await HostProbe.AssertNothingLeftAsync(s, "the runs");
        Assert.True(s.HasWarmRunner);
    }

    [Fact]
    public async Task OrphansKilledAtTheRunsEndAreReapedBeforeTheRunnerWaitsForItsNextRequest()
    {
        // The run's end kills its cgroup: the orphans die just as the runner replies and goes back to waiting for the
        // host. A SIGCHLD that lands between the runner's last signal check and its blocking read must still be
        // handled then, not when the next request happens to arrive (CI once saw such a zombie outlive the run).
        await using var s = await fx.OpenAsync(new SourceProgram("python",
            "import os\nfor _ in range(6):\n    if os.fork() == 0:\n        while True: pass\nprint('done')\n"), Quick);
        for (var i = 0; i < 15; i++)
        {
            var r = await s.RunAsync(new RunRequest());
            Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
            await HostProbe.AssertNothingLeftAsync(s, $"run {i}");
        }
        Assert.True(s.HasWarmRunner);
    }

    [Fact]
    public async Task KillingTheZygoteEndsItsRunnersAndTheirSessionsRunColdThenWarmAgain()
    {
        // A private pool: killing the shared fixture's zygote would fail other tests' runs in flight.
        await using var own = new PrivatePool("zrkill", new SandboxOptions { PrestartedRunners = 0, ZygoteSlots = 4 });
        var pool = own.Pool;
        Assert.SkipUnless(pool.ZygotesEnabled && pool.WarmEnabled, "zygotes need root, cgroups and the system Python");
        await using var s = await pool.OpenSessionAsync(new SourceProgram("python", "import sys\nprint(int(sys.stdin.read()) * 2)"), null, expectedRuns: 100);
        for (var i = 0; i < 300 && !s.HasWarmRunner; i++)
        {
            await s.RunAsync(RunRequest.WithStdin("1"));
            await Task.Delay(50);
        }
        Assert.True(s.RunnerFromZygote, $"no zygote-started runner: {pool.LastRunnerStartError}");
        var runnerPids = s.RunnerPids.ToList();
        var zygote = pool.ZygoteFleet!.Current("python")!;
        foreach (var pid in zygote.Pids)
        {
            try { Process.GetProcessById(pid).Kill(); }
            catch (ArgumentException) { } // already gone with bubblewrap
        }
        // The runner lived in the zygote's pid namespace: it ends with it.
        for (var i = 0; i < 100 && runnerPids.Any(p => Directory.Exists($"/proc/{p}")); i++) await Task.Delay(50);
        Assert.DoesNotContain(runnerPids, p => Directory.Exists($"/proc/{p}"));
        var coldBefore = pool.ColdRuns;
        var r = await s.RunAsync(RunRequest.WithStdin("21"));
        Assert.True(r.Verdict == Verdict.Ok && r.Stdout == "42\n", $"{r.Verdict}: {r.Message} {r.Stdout} {r.Stderr}");
        Assert.Equal(coldBefore + 1, pool.ColdRuns);
        // A fresh zygote starts the session's next runner.
        for (var i = 0; i < 300 && !s.HasWarmRunner; i++)
        {
            await s.RunAsync(RunRequest.WithStdin("1"));
            await Task.Delay(50);
        }
        Assert.True(s.RunnerFromZygote, $"no new zygote-started runner: {pool.LastRunnerStartError}");
        Assert.Equal("8\n", (await s.RunAsync(RunRequest.WithStdin("4"))).Stdout);
    }

    [Fact]
    public async Task ARunnerThatCannotBeForkedIsStartedInBubblewrapAndTheZygoteGoesOn()
    {
        await using var own = new PrivatePool("zrfail", new SandboxOptions { PrestartedRunners = 1, ZygoteSlots = 4, BreakZygoteRunnerSetUp = true });
        var pool = own.Pool;
        Assert.SkipUnless(pool.ZygotesEnabled && pool.WarmEnabled, "zygotes need root, cgroups and the system Python");
        for (var i = 0; i < 300 && pool.IdleRunners == 0; i++) await Task.Delay(50);
        Assert.True(pool.IdleRunners == 1, $"no runner was pre-started: {pool.LastRunnerStartError}");
        Assert.True(pool.ZygoteRunnerFallbacks >= 1);
        // The reason names the zygote child's failed set-up.
        Assert.Contains("could not set up", pool.LastRunnerStartError);
        await using var s = await pool.OpenSessionAsync(new SourceProgram("python", "import sys\nprint(int(sys.stdin.read()) + 1)"), null, expectedRuns: 100);
        Assert.True(s.HasWarmRunner);
        Assert.False(s.RunnerFromZygote);
        var warmBefore = pool.WarmRuns;
        Assert.Equal("42\n", (await s.RunAsync(RunRequest.WithStdin("41"))).Stdout);
        Assert.Equal(warmBefore + 1, pool.WarmRuns);
        // The failed set-up was the child's alone: the zygote still serves single runs.
        var zygoteRunsBefore = pool.ZygoteRuns;
        var (_, single) = await pool.RunOnceAsync(new SourceProgram("python", "print('single')"), new RunRequest());
        Assert.Equal("single\n", single.Stdout);
        Assert.Equal(zygoteRunsBefore + 1, pool.ZygoteRuns);
    }

    private static string ProcessState(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
    }
}
