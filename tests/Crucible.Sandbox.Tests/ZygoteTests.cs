using System.Diagnostics;
using Crucible.Sandbox;
using Crucible.Sandbox.Zygote;

namespace Crucible.Sandbox.Tests;

/// <summary>Single runs through zygote children: same answers as a cold run, and the zygote's own promises.</summary>
[Collection("zygote")]
public sealed class ZygoteTests(ZygoteSandboxFixture fx)
{
    private static readonly ResourceLimits Quick = ResourceLimits.Default with { CpuTime = TimeSpan.FromSeconds(2), WallTime = TimeSpan.FromSeconds(8) };

    [Fact]
    public async Task SingleRunIsServedByTheZygoteWithoutAWorkDir()
    {
        var before = fx.Pool.ZygoteRuns;
        await using var s = await fx.OpenAsync(new SourceProgram("python", "import sys\nname = sys.stdin.readline().strip()\nprint('hello', name, sys.argv[1:])\nsys.exit(3)\n"));
        var r = await s.RunAsync(RunRequest.WithStdin("zyg\n") with { Args = ["a", "b"] });
        Assert.True(r.Verdict == Verdict.RuntimeError, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.True(r.ExitCode == 3, r.Stderr);
        Assert.Equal("hello zyg ['a', 'b']\n", r.Stdout);
        Assert.True(fx.Pool.ZygoteRuns > before, "the run did not go through the zygote");
        Assert.Null(s.WorkDirectory);
        Assert.True(r.CpuTime > TimeSpan.Zero);
    }

    [Fact]
    public async Task APythonRunStartsWithTheInterpretersCodeMappedByTheZygote()
    {
        // Each read-only file mapping of a Python zygote carries one anonymous page (shared_code.c), so fork copies the
        // zygote's entries for it; without that page a run's code mapping has none and the run faults on every page.
        // The code is the same bytes as the file: what the program computes with it is unchanged.
        const string program = """
import sys
maps = {}
current = None
for line in open('/proc/self/smaps'):
    parts = line.split()
    if '-' in parts[0] and len(parts) >= 5 and not parts[0].endswith(':'):
        current = (parts[1], parts[-1] if len(parts) >= 6 else '')
    elif parts[0] == 'Anonymous:' and current and current[0] in ('r-xp', 'r--p') and current[1].startswith('/'):
        maps.setdefault(current[1].rsplit('/', 1)[-1] + ' ' + current[0], []).append(int(parts[1]))
text = [k for k in maps if k.startswith('python3') and k.endswith('r-xp')]
print(text and all(kb > 0 for kb in maps[text[0]]), sum(1 for v in maps.values() if all(kb > 0 for kb in v)) > 10, sum(range(10)))
""";
        var before = fx.Pool.ZygoteRuns;
        await using var s = await fx.OpenAsync(new SourceProgram("python", program));
        var r = await s.RunAsync(new RunRequest());
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.True(fx.Pool.ZygoteRuns > before, "the run did not go through the zygote");
        Assert.Equal("True True 45\n", r.Stdout);
    }

    /// <summary>
    /// Prints the page faults its process took before its first line, 45, and how many io_uring descriptors it holds
    /// (the faults are read first; the ring that pins a zygote's or runner's pages must stay with that process).
    /// </summary>
    internal const string FaultsAndRingsProgram = """
        import os, resource
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        rings = 0
        for name in os.listdir('/proc/self/fd'):
            try:
                rings += 'io_uring' in os.readlink('/proc/self/fd/' + name)
            except OSError:
                pass
        print(faults, sum(range(10)), rings)
        """;

    /// <summary>The memory a process has pinned (VmPin of its /proc status), in kB.</summary>
    internal static long PinnedKb(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmPin:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task APythonRunStartsWithThePagesRunsWriteAlreadyItsOwn()
    {
        // hot_pages.c: the zygote pins the pages a learning run wrote, so fork copies them into each run instead of
        // sharing them; the run then takes no copy-on-write fault on them. Counted as the faults the run's process took
        // before its program's first line: 196 where the zygote pins nothing, 14 with the pin (on the machine this
        // was written on). Where io_uring is disabled the zygote runs without the pin, and the count is not checked.
        const string program = FaultsAndRingsProgram;
        await using var s = await fx.OpenAsync(new SourceProgram("python", program));
        var r = await s.RunAsync(new RunRequest());
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        var parts = r.Stdout.Split();
        Assert.Equal("45", parts[1]);
        Assert.Equal("0", parts[2]); // the ring that holds the pin stays with the zygote
        var zygote = fx.Pool.ZygoteFleet!.Current("python");
        Assert.NotNull(zygote);
        var pinned = zygote.Pids
            .Where(p => File.ReadAllText($"/proc/{p}/cmdline").StartsWith("/usr/bin/python3\0/runner/zygote.py", StringComparison.Ordinal))
            .Select(PinnedKb)
            .ToList();
        Assert.Single(pinned);
        if (File.ReadAllText("/proc/sys/kernel/io_uring_disabled").Trim() != "0")
            return;
        Assert.True(pinned[0] > 0, "the Python zygote pinned no pages");
        var faults = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(faults < 100, $"the run took {faults} page faults before its first line");
    }

    [Fact]
    public async Task CompiledProgramRunsFromItsArtifactInTheExecZygote()
    {
        fx.RequireLanguage("cpp");
        var before = fx.Pool.ZygoteRuns;
        await using var s = await fx.OpenAsync(new SourceProgram("cpp", "#include <cstdio>\n#include <unistd.h>\nint main(){ int a, b; std::scanf(\"%d %d\", &a, &b); std::printf(\"%d uid=%d\\n\", a + b, (int)getuid()); }"));
        Assert.True(s.Compile.Succeeded, s.Compile.Output);
        var r = await s.RunAsync(RunRequest.WithStdin("2 40"));
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.StartsWith("42 uid=", r.Stdout);
        Assert.NotEqual("0", r.Stdout.Trim().Split('=')[1]);
        Assert.True(fx.Pool.ZygoteRuns > before, "the run did not go through the exec zygote");
    }

    [Fact]
    public async Task RunsNeedingFilesGetTheSessionsOwnWorkDir()
    {
        await using var s = await fx.OpenAsync(new SourceProgram("python", "print(open('in.txt').read().upper())"));
        var r = await s.RunAsync(new RunRequest { Files = new Dictionary<string, byte[]> { ["in.txt"] = "files"u8.ToArray() } });
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.Equal("FILES\n", r.Stdout);
        Assert.NotNull(s.WorkDirectory);
    }

    [Fact]
    public async Task AConcurrentChildCannotFindAnotherChildsCodeOrStdin()
    {
        var codeSecret = "CODE" + Guid.NewGuid().ToString("N");
        var stdinSecret = "STDIN" + Guid.NewGuid().ToString("N");
        var victim = $$"""
import socket, sys, time
secret = '{{codeSecret}}'
data = sys.stdin.read()
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind('\0crucible-victim')
s.listen(1)
open('/tmp/victim.txt', 'w').write(secret + data)
open('/dev/shm/victim.txt', 'w').write(secret + data)
print('ready', flush=True)
time.sleep(3)
""";
        await using var a = await fx.OpenAsync(new SourceProgram("python", victim), Quick);
        var running = a.RunAsync(RunRequest.WithStdin(stdinSecret));
        await Task.Delay(1000);
        var thief = """
import os, socket
found = []
for root in ['/tmp', '/dev/shm', '/work', '/proc']:  # /box holds only this program
    for dirpath, dirs, files in os.walk(root):
        if dirpath.startswith('/proc/') and dirpath.count('/') > 3:
            dirs[:] = []
        for f in files:
            p = os.path.join(dirpath, f)
            try:
                with open(p, 'rb') as fh:
                    found.append(p + ': ' + fh.read(1 << 16).decode('latin-1'))
            except OSError:
                pass
print('\n'.join(found))
try:
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect('\0crucible-victim')
    print('CONNECTED')
except OSError as e:
    print('no socket', e.errno)
print('unix', open('/proc/net/unix').read())
""";
        await using var b = await fx.OpenAsync(new SourceProgram("python", thief), Quick);
        var rb = await b.RunAsync(new RunRequest());
        var ra = await running;
        Assert.True(ra.Verdict == Verdict.Ok, $"{ra.Verdict}: {ra.Message} {ra.Stderr}");
        Assert.True(rb.Verdict == Verdict.Ok, $"{rb.Verdict}: {rb.Message} {rb.Stderr}");
        Assert.Contains("no socket", rb.Stdout);
        Assert.DoesNotContain("CONNECTED", rb.Stdout);
        Assert.DoesNotContain("crucible-victim", rb.Stdout);
        Assert.False(rb.Stdout.Contains(codeSecret, StringComparison.Ordinal), string.Join('\n', rb.Stdout.Split('\n').Where(l => l.Contains(codeSecret, StringComparison.Ordinal)).Select(l => l[..Math.Min(200, l.Length)])));
        Assert.DoesNotContain(stdinSecret, rb.Stdout);
        Assert.NotEqual(a.Uid, b.Uid);
    }

    [Fact]
    public async Task AChildCannotSignalOrTraceTheZygote()
    {
        var zygote = fx.Pool.ZygoteFleet!.Current("python");
        Assert.NotNull(zygote);
        var pids = zygote.Pids;
        Assert.NotEmpty(pids);
        var src = "import ctypes, os, sys\nlibc = ctypes.CDLL(None, use_errno=True)\n" +
                  "for pid in [int(p) for p in sys.argv[1:]] + [1]:\n" +
                  "    for sig in (19, 9):\n        try:\n            os.kill(pid, sig)\n            print('signalled', pid)\n        except OSError as e:\n            print('kill', pid, e.errno)\n" +
                  "    ctypes.set_errno(0)\n    print('ptrace', pid, libc.ptrace(16, pid, 0, 0), ctypes.get_errno())\n" +
                  "print('visible', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))\n";
        await using var s = await fx.OpenAsync(new SourceProgram("python", src), Quick);
        var r = await s.RunAsync(new RunRequest { Args = pids.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList() });
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.DoesNotContain("ptrace 1 0 0", r.Stdout);
        foreach (var line in r.Stdout.Split('\n').Where(l => l.StartsWith("ptrace", StringComparison.Ordinal)))
            Assert.EndsWith(" -1 1", line); // EPERM (seccomp)
        Assert.Contains("visible [1, 2]", r.Stdout);
        Assert.Same(zygote, fx.Pool.ZygoteFleet.Current("python"));
        Assert.False(zygote.Broken, zygote.BrokenReason);
        Assert.All(pids, p => Assert.True(Directory.Exists($"/proc/{p}"), $"zygote process {p} is gone"));
    }

    [Fact]
    public async Task AnIdleZygoteIsReplacedByAFreshOneAndRunsGoOn()
    {
        await using var own = new PrivatePool("zidle", new SandboxOptions { PrestartedRunners = 0, ZygoteSlots = 4, ZygoteIdleTimeout = TimeSpan.FromMilliseconds(400) });
        var pool = own.Pool;
        Assert.SkipUnless(pool.ZygotesEnabled, "zygotes need root, cgroups and the system Python");
        var (_, first) = await pool.RunOnceAsync(new SourceProgram("python", "print(1)"), new RunRequest());
        Assert.Equal(Verdict.Ok, first.Verdict);
        var used = pool.ZygoteFleet!.Current("python")!;
        var oldPids = used.Pids.ToList();
        for (var i = 0; i < 100 && pool.ZygoteFleet.IdleReplacements == 0; i++) await Task.Delay(50);
        Assert.True(pool.ZygoteFleet.IdleReplacements > 0, "the idle zygote was not replaced");
        // The fresh one was started at once and serves the next run; the old one's processes are gone.
        for (var i = 0; i < 100 && pool.ZygoteFleet.Current("python") is null; i++) await Task.Delay(50);
        var fresh = pool.ZygoteFleet.Current("python");
        Assert.NotNull(fresh);
        Assert.NotSame(used, fresh);
        for (var i = 0; i < 100 && oldPids.Any(p => Directory.Exists($"/proc/{p}")); i++) await Task.Delay(50);
        Assert.DoesNotContain(oldPids, p => Directory.Exists($"/proc/{p}"));
        var (_, next) = await pool.RunOnceAsync(new SourceProgram("python", "print('again')"), new RunRequest());
        Assert.True(next.Verdict == Verdict.Ok, $"{next.Verdict}: {next.Message} {next.Stderr}");
        Assert.Equal("again\n", next.Stdout);
    }

    [Fact]
    public async Task KillingTheZygoteMidRunIsASandboxErrorAndTheNextRunGetsANewZygote()
    {
        // A private pool: killing the shared fixture's zygote would fail other tests' runs in flight.
        await using var own = new PrivatePool("zkill", new SandboxOptions { PrestartedRunners = 0, ZygoteSlots = 4 });
        var pool = own.Pool;
        Assert.SkipUnless(pool.ZygotesEnabled, "zygotes need root, cgroups and the system Python");
        var warm = await pool.RunOnceAsync(new SourceProgram("python", "print(1)"), new RunRequest());
        Assert.Equal(Verdict.Ok, warm.Run.Verdict);
        var zygote = pool.ZygoteFleet!.Current("python")!;
        var inFlight = pool.RunOnceAsync(new SourceProgram("python", "import time\nprint('started', flush=True)\ntime.sleep(5)\n"), new RunRequest { Limits = Quick });
        for (var i = 0; i < 100 && zygote.InFlight == 0; i++) await Task.Delay(20);
        await Task.Delay(300);
        foreach (var pid in zygote.Pids)
        {
            try { Process.GetProcessById(pid).Kill(); }
            catch (ArgumentException) { } // already gone with bubblewrap
        }
        var (_, killed) = await inFlight;
        Assert.True(killed.Verdict == Verdict.SandboxError, $"{killed.Verdict}: {killed.Message}");
        Assert.Contains("zygote", killed.Message);
        var (_, next) = await pool.RunOnceAsync(new SourceProgram("python", "print('again')"), new RunRequest());
        Assert.True(next.Verdict == Verdict.Ok, $"{next.Verdict}: {next.Message} {next.Stderr}");
        Assert.Equal("again\n", next.Stdout);
        Assert.NotSame(zygote, pool.ZygoteFleet.Current("python"));
    }

    [Fact]
    public async Task ZygotesWornOutWhileRunsArriveNeverFailARun()
    {
        // Every third run wears a zygote out while others are on their way to it: a run that picked a zygote which then
        // retired must go to the next one, never end as a sandbox error.
        await using var own = new PrivatePool("zwear", new SandboxOptions { PrestartedRunners = 0, MaxRunsPerZygote = 3 });
        var pool = own.Pool;
        Assert.SkipUnless(pool.ZygotesEnabled, "zygotes need root, cgroups and the system Python");
        var results = await Task.WhenAll(Enumerable.Range(0, 48).Select(i => Task.Run(() =>
            pool.RunOnceAsync(new SourceProgram("python", $"print({i})"), new RunRequest()))));
        var wrong = results.Select((r, i) => (r.Run, i)).Where(x => x.Run.Verdict != Verdict.Ok || x.Run.Stdout != $"{x.i}\n").ToList();
        Assert.True(wrong.Count == 0, string.Join("; ", wrong.Select(x => $"{x.i}: {x.Run.Verdict} {x.Run.Message}")));
        Assert.True(pool.ZygoteRuns >= 40, $"only {pool.ZygoteRuns} of 48 runs went through zygotes"); // the race is there to be met
    }

    [Fact]
    public async Task A_preloaded_module_is_imported_once_by_the_zygote_and_found_by_every_later_run()
    {
        await using var own = new PrivatePool("zpre", new SandboxOptions { PrestartedRunners = 0 });
        var pool = own.Pool;
        Assert.SkipUnless(pool.ZygotesEnabled, "zygotes need root, cgroups and the system Python");
        Assert.Throws<ArgumentException>(() => pool.PreloadPythonModule("../escape", "x = 1\n"));
        var name = "crucible_test_" + Guid.NewGuid().ToString("N")[..8];
        // A program with a short form for zygotes that have the module: until one does, the full source runs.
        var variant = new SourceProgram("python", "print('full')\n") { WhenPreloaded = new PreloadedVariant(name, "import sys\nprint('short', sys.modules['" + name + "'].TOKEN)\n") };
        var before = await pool.RunOnceAsync(variant, new RunRequest());
        Assert.True(before.Run.Stdout == "full\n", before.Run.Stdout + before.Run.Stderr);
        // A token drawn when the module is imported: runs forked from one zygote that imported it see the same one.
        pool.PreloadPythonModule(name, "import os\nTOKEN = os.urandom(8).hex()\n");
        pool.PreloadPythonModule(name, "import os\nTOKEN = os.urandom(8).hex()\n"); // idempotent

        var probe = $"import sys\nm = sys.modules.get('{name}')\nprint(m.TOKEN if m else 'absent')\n";
        var seen = new List<string>();
        // The zygote started with the pool is replaced: once the new one is up, every run finds the module.
        for (var i = 0; i < 40 && (seen.Count < 3 || seen[^3..].Distinct().Count() != 1 || seen[^1] == "absent\n"); i++)
        {
            var r = await pool.RunOnceAsync(new SourceProgram("python", probe), new RunRequest());
            Assert.True(r.Run.Verdict == Verdict.Ok, $"{r.Run.Verdict}: {r.Run.Message} {r.Run.Stderr}");
            seen.Add(r.Run.Stdout);
            if (r.Run.Stdout == "absent\n") await Task.Delay(100);
        }
        Assert.True(seen.Count >= 3 && seen[^3..].Distinct().Count() == 1 && seen[^1] != "absent\n", string.Join(",", seen));
        var after = await pool.RunOnceAsync(variant, new RunRequest());
        Assert.True(after.Run.Stdout == "short " + seen[^1], after.Run.Stdout + after.Run.Stderr);
    }

    [Fact]
    public async Task The_run_init_gives_the_programs_own_exit_reaps_its_orphans_and_cannot_be_killed_by_it()
    {
        await using var own = new PrivatePool("zinit", new SandboxOptions { PrestartedRunners = 0, ZygoteSlots = 4 });
        var pool = own.Pool;
        Assert.SkipUnless(pool.ZygotesEnabled, "zygotes need root, cgroups and the system Python");
        Task<RunResult> Run(string code) => ZygoteRunAsync(pool, code);

        var init = await Run("import os\nprint(os.getpid(), open('/proc/1/cmdline').read().replace('\\0', ' '))");
        Assert.True(init.Verdict == Verdict.Ok, $"{init.Verdict}: {init.Message} {init.Stderr}");
        Assert.StartsWith("2 ", init.Stdout);
        Assert.Contains("crucible-run-init", init.Stdout);

        var exit = await Run("import sys\nprint('out')\nsys.exit(5)");
        Assert.True(exit is { Verdict: Verdict.RuntimeError, ExitCode: 5, Stdout: "out\n" }, $"{exit.Verdict} {exit.ExitCode}: {exit.Message}");
        var signalled = await Run("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)");
        Assert.True(signalled is { Verdict: Verdict.RuntimeError, Signal: 11 }, $"{signalled.Verdict} {signalled.Signal}: {signalled.Message}");

        // 30 double-forked children orphaned to the init and exiting: reaped as they go, none left a zombie.
        var orphans = await Run("""
import os, time
for _ in range(30):
    if os.fork() == 0:
        if os.fork() == 0:
            time.sleep(0.05)
            os._exit(0)
        os._exit(0)
    os.wait()
time.sleep(0.5)
def state(p):
    try:
        return open('/proc/%s/stat' % p).read().rsplit(')', 1)[1].split()[0]
    except OSError:
        return '-'
print('zombies', sum(1 for p in os.listdir('/proc') if p.isdigit() and state(p) == 'Z'))
""");
        Assert.True(orphans.Verdict == Verdict.Ok, $"{orphans.Verdict}: {orphans.Message} {orphans.Stderr}");
        Assert.Equal("zombies 0\n", orphans.Stdout);

        // Pid 1 of the run's namespace ignores the program's signals: the run goes on and ends as the program's own.
        var attack = await Run("import os, signal\nfor s in (signal.SIGKILL, signal.SIGTERM, signal.SIGSTOP):\n    try:\n        os.kill(1, s)\n    except OSError:\n        pass\nprint('still here')");
        Assert.True(attack is { Verdict: Verdict.Ok, Stdout: "still here\n" }, $"{attack.Verdict}: {attack.Message} {attack.Stderr}");
    }

    [Theory]
    [InlineData("python", "import os\nfor fd in range(3, 4096):\n    try:\n        os.write(fd, b'Eforged set-up failure')\n    except OSError:\n        pass\nprint('done')\n")]
    [InlineData("cpp", "#include <unistd.h>\n#include <cstdio>\nint main(){ for (int fd = 3; fd < 4096; fd++) { ssize_t w = write(fd, \"Eforged set-up failure\", 22); (void)w; } std::puts(\"done\"); }")]
    public async Task A_program_cannot_forge_a_set_up_failure(string language, string source)
    {
        // The zygote reports a failed set-up on a status pipe; it is closed before any program code runs, so whatever
        // the program writes to any descriptor, its run ends with its own verdict, never a sandbox error.
        fx.RequireLanguage(language);
        var before = fx.Pool.ZygoteRuns;
        await using var s = await fx.OpenAsync(new SourceProgram(language, source), Quick);
        Assert.True(s.Compile.Succeeded, s.Compile.Output);
        var r = await s.RunAsync(new RunRequest());
        Assert.True(fx.Pool.ZygoteRuns > before, "the run did not go through a zygote");
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.Equal("done\n", r.Stdout);
    }

    [Fact]
    public async Task Concurrent_runs_each_get_their_own_program_file_and_arguments()
    {
        // Requests arrive while earlier runs are still setting up: each run must see its own request, never the next
        // one the zygote received (a request buffer shared across the fork would hand a run another run's fields).
        await using var own = new PrivatePool("zconc", new SandboxOptions { PrestartedRunners = 0, ZygoteSlots = 8, MaxParallelRuns = 8 });
        var pool = own.Pool;
        Assert.SkipUnless(pool.ZygotesEnabled, "zygotes need root, cgroups and the system Python");
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => pool.RunOnceAsync(
            new SourceProgram("python", $"import sys\nprint({i}, sys.argv[1:])\n"),
            new RunRequest { Args = [$"a{i}", new string('x', 1 + i * 37 % 300)] }))));
        var wrong = results.Select((r, i) => (r.Run, i))
            .Where(x => x.Run.Stdout != $"{x.i} ['a{x.i}', '{new string('x', 1 + x.i * 37 % 300)}']\n").ToList();
        Assert.True(wrong.Count == 0, string.Join("; ", wrong.Take(5).Select(x => $"{x.i}: {x.Run.Verdict} {x.Run.Stdout.Trim()} {x.Run.Message}")));
        Assert.True(pool.ZygoteRuns >= 32, $"only {pool.ZygoteRuns} of 64 runs went through zygotes");
    }

    [Fact]
    public async Task A_reused_slot_reports_each_runs_own_cpu_and_memory()
    {
        // One slot, so every run reuses it (and its open control files): each run's figures are its own.
        await using var own = new PrivatePool("zslot", new SandboxOptions { PrestartedRunners = 0, ZygoteSlots = 1 });
        var pool = own.Pool;
        Assert.SkipUnless(pool.ZygotesEnabled, "zygotes need root, cgroups and the system Python");
        async Task<RunResult> Run(string code)
        {
            var r = await ZygoteRunAsync(pool, code);
            Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
            return r;
        }
        const string Heavy = "import time\nb = bytearray(150 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\nt = time.process_time()\nwhile time.process_time() - t < 0.4: pass\nprint('heavy')";
        var heavy = await Run(Heavy);
        var light = await Run("print('light')");
        var heavyAgain = await Run(Heavy);
        Assert.True(heavy.CpuTime >= TimeSpan.FromMilliseconds(350), $"heavy {heavy.CpuTime}");
        Assert.True(light.CpuTime > TimeSpan.Zero && light.CpuTime < TimeSpan.FromMilliseconds(200), $"light {light.CpuTime}");
        Assert.True(heavyAgain.CpuTime >= TimeSpan.FromMilliseconds(350) && heavyAgain.CpuTime < TimeSpan.FromSeconds(1.5), $"heavy again {heavyAgain.CpuTime}");
        Assert.True(heavy.PeakMemoryBytes > 150L << 20, $"heavy peak {heavy.PeakMemoryBytes}");
        Assert.True(light.PeakMemoryBytes is > 0 and < 100L << 20, $"light peak {light.PeakMemoryBytes}");
        Assert.True(heavyAgain.PeakMemoryBytes > 150L << 20, $"heavy again peak {heavyAgain.PeakMemoryBytes}");
        Assert.Equal(3, pool.ZygoteFleet!.Slots.All.Single().Runs);
    }

    [Fact]
    public async Task ASlotWithAProcessLeftInItIsNotReusedUntilEmpty()
    {
        Assert.SkipUnless(fx.Pool.ZygotesEnabled, "zygotes need root and cgroups");
        // The leftover is frozen (v1 freezer), so the sweep's SIGKILL stays pending until the test thaws it: without
        // that, the kill could land before the slot is looked at again and the test would race the kernel.
        const string freezerRoot = "/sys/fs/cgroup/freezer";
        Assert.SkipUnless(Directory.Exists(freezerRoot), "needs the cgroup v1 freezer to hold a process past SIGKILL");
        var freezer = Path.Combine(freezerRoot, "crucible-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(freezer);
        using var cgroups = CgroupRuntime.Create(disabled: false);
        using var slots = new CgroupSlots(cgroups, [fx.Pool.Options.BaseUid + 900_000]);
        using var leftover = Process.Start(new ProcessStartInfo("/bin/sleep", "30") { UseShellExecute = false })!;
        try
        {
            var slot = slots.TryAcquire()!;
            Assert.NotNull(slot);
            slot.Cgroup.Adopt(leftover.Id);
            File.WriteAllText(Path.Combine(freezer, "cgroup.procs"), leftover.Id.ToString());
            File.WriteAllText(Path.Combine(freezer, "freezer.state"), "FROZEN");
            for (var i = 0; i < 100 && File.ReadAllText(Path.Combine(freezer, "freezer.state")).Trim() != "FROZEN"; i++) await Task.Delay(10);
            slots.Release(slot); // sweeps: SIGKILL, pending while frozen
            Assert.Null(slots.TryAcquire());
            Assert.Null(slots.TryAcquire()); // still there on a second look: not reused
            Assert.Equal(1, slots.Draining);
            File.WriteAllText(Path.Combine(freezer, "freezer.state"), "THAWED");
            await leftover.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(137, leftover.ExitCode); // the sweep's SIGKILL ended it, not the test
            CgroupSlot? again = null;
            for (var i = 0; i < 100 && again is null; i++)
            {
                again = slots.TryAcquire();
                if (again is null) await Task.Delay(20);
            }
            Assert.Same(slot, again);
            Assert.True(again!.IsEmpty);
        }
        finally
        {
            try { File.WriteAllText(Path.Combine(freezer, "freezer.state"), "THAWED"); } catch (IOException) { }
            if (!leftover.HasExited) leftover.Kill();
            await leftover.WaitForExitAsync();
            try { Directory.Delete(freezer); } catch (IOException) { }
        }
    }

    /// <summary>One Python run through the pool's zygote (checked), with the quick limits.</summary>
    private static async Task<RunResult> ZygoteRunAsync(SandboxPool pool, string code)
    {
        var before = pool.ZygoteRuns;
        var (_, r) = await pool.RunOnceAsync(new SourceProgram("python", code), new RunRequest { Limits = Quick });
        Assert.True(pool.ZygoteRuns > before, "the run did not go through a zygote");
        return r;
    }
}
