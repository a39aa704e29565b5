using System.Net;
using System.Net.Sockets;
using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>
/// Each isolation promise, attacked. Every test checks the verdict and that the host is unharmed: nothing of the
/// attack survives the run, and nothing outside the session changed.
/// </summary>
public abstract class AttackTests(SandboxFixture fx)
{
    private static readonly ResourceLimits Quick = ResourceLimits.Default with { CpuTime = TimeSpan.FromSeconds(1), WallTime = TimeSpan.FromSeconds(3) };

    private async Task<(RunResult Result, uint Uid, SandboxSession Session)> Attack(string language, string source, ResourceLimits? limits = null, string stdin = "")
    {
        var session = await fx.OpenAsync(new SourceProgram(language, source), limits ?? Quick);
        var result = await session.RunAsync(RunRequest.WithStdin(stdin));
        return (result, session.Uid, session);
    }

    private static Task AssertNothingLeft(SandboxSession session) => HostProbe.AssertNothingLeftAsync(session);

    [Fact]
    public async Task ForkBombIsContained()
    {
        var (r, uid, s) = await Attack("python", "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n");
        await using var _ = s;
        Assert.Contains(r.Verdict, new[] { Verdict.TimeLimitExceeded, Verdict.RuntimeError, Verdict.MemoryLimitExceeded });
        await AssertNothingLeft(s);
    }

    [Fact]
    public async Task ShellForkBombIsContained()
    {
        var (r, uid, s) = await Attack("bash", ":(){ :|:& };:\nsleep 5\n");
        await using var _ = s;
        Assert.NotEqual(Verdict.Ok, r.Verdict);
        Assert.NotEqual(Verdict.SandboxError, r.Verdict);
        await AssertNothingLeft(s);
    }

    [Fact]
    public async Task SingleHugeAllocationIsMemoryLimitExceeded()
    {
        var limits = Quick with { MemoryBytes = 128L << 20, CpuTime = TimeSpan.FromSeconds(3), WallTime = TimeSpan.FromSeconds(6) };
        var (r, uid, s) = await Attack("cpp", "#include <vector>\n#include <cstdio>\nint main(){ std::vector<char> v(1u<<30, 1); std::printf(\"%d\", v[12345]); }", limits);
        await using var _ = s;
        Assert.True(r.Verdict == Verdict.MemoryLimitExceeded, $"{r.Verdict}: {r.Message} {r.Stderr}");
        await AssertNothingLeft(s);
    }

    [Fact]
    public async Task SlowMemoryGrowthIsMemoryLimitExceeded()
    {
        var limits = Quick with { MemoryBytes = 128L << 20, CpuTime = TimeSpan.FromSeconds(5), WallTime = TimeSpan.FromSeconds(10) };
        var (r, uid, s) = await Attack("python", "chunks = []\nwhile True:\n    chunks.append(b'x' * (4 << 20))\n", limits);
        await using var _ = s;
        Assert.True(r.Verdict == Verdict.MemoryLimitExceeded, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.True(r.PeakMemoryBytes >= 100L << 20, $"peak {r.PeakMemoryBytes}");
        await AssertNothingLeft(s);
    }

    [Fact]
    public async Task InfiniteLoopIsCpuTimeLimit()
    {
        // A generous wall backstop: on a loaded machine the loop gets only a share of a core.
        var (r, uid, s) = await Attack("python", "while True:\n    pass\n", Quick with { WallTime = TimeSpan.FromSeconds(20) });
        await using var _ = s;
        Assert.True(r.Verdict == Verdict.TimeLimitExceeded, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.Equal(TimeLimitKind.Cpu, r.TimeLimit);
        Assert.True(r.CpuTime >= TimeSpan.FromSeconds(1));
        await AssertNothingLeft(s);
    }

    [Fact]
    public async Task CpuTimeCountsTheWholeTree()
    {
        // Four busy children: each is under the limit alone, together they are over it.
        var src = "import os\nfor _ in range(4):\n    if os.fork() == 0:\n        while True: pass\nwhile True: pass\n";
        var (r, uid, s) = await Attack("python", src, Quick with { WallTime = TimeSpan.FromSeconds(20) });
        await using var _ = s;
        Assert.True(r.Verdict == Verdict.TimeLimitExceeded, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.Equal(TimeLimitKind.Cpu, r.TimeLimit);
        await AssertNothingLeft(s);
    }

    [Fact]
    public async Task SleepIsWallTimeLimit()
    {
        var (r, uid, s) = await Attack("python", "import time\ntime.sleep(60)\n", Quick with { WallTime = TimeSpan.FromSeconds(1) });
        await using var _ = s;
        Assert.True(r.Verdict == Verdict.TimeLimitExceeded, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.Equal(TimeLimitKind.Wall, r.TimeLimit);
        await AssertNothingLeft(s);
    }

    [Fact]
    public async Task NetworkIsUnreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        // The outside address is TEST-NET-1 (documentation range), tried only after confirming that no interface but
        // loopback exists, so even a broken sandbox sends nothing anywhere.
        var src = $$"""
import os, socket
ifaces = sorted(os.listdir('/sys/class/net')) if os.path.exists('/sys/class/net') else []
routes = [l for l in open('/proc/net/route').read().splitlines()[1:] if l.strip()]
print('ifaces', ifaces, 'routes', len(routes))
for host in ['127.0.0.1']:
    try:
        socket.create_connection((host, {{port}}), timeout=1)
        print('CONNECTED', host)
    except OSError as e:
        print('blocked', host, e.errno)
if routes:
    print('HAS-ROUTE')
else:
    try:
        socket.create_connection(('192.0.2.1', 80), timeout=1)
        print('CONNECTED outside')
    except OSError as e:
        print('blocked outside', e.errno)
""";
        var (r, uid, s) = await Attack("python", src);
        await using var _ = s;
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.DoesNotContain("CONNECTED", r.Stdout);
        Assert.DoesNotContain("HAS-ROUTE", r.Stdout);
        Assert.Contains("blocked 127.0.0.1", r.Stdout);
        Assert.Contains("blocked outside", r.Stdout);
        Assert.False(listener.Pending(), "the host's loopback listener received a connection from the sandbox");
        await AssertNothingLeft(s);
    }

    [Fact]
    public async Task WritesOutsideTheWorkDirFail()
    {
        var marker = "crucible-escape-" + Guid.NewGuid().ToString("N")[..8];
        var src = $$"""
import os
targets = ['/usr/{{marker}}', '/etc/{{marker}}', '/{{marker}}', '/box/{{marker}}', '/root/{{marker}}', '/proc/{{marker}}', '/dev/{{marker}}', '/var/{{marker}}']
for t in targets:
    try:
        open(t, 'w').write('x')
        print('WROTE', t)
    except OSError as e:
        print('denied', t)
open('/work/ok.txt', 'w').write('fine')
open('/tmp/ok.txt', 'w').write('fine')
print('done')
""";
        var (r, uid, s) = await Attack("python", src);
        await using var _ = s;
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict} {r.Stderr}");
        Assert.Contains("done", r.Stdout);
        Assert.DoesNotContain("WROTE", r.Stdout);
        foreach (var d in new[] { "/usr", "/etc", "/", "/root", "/var", "/tmp" })
            Assert.False(File.Exists(Path.Combine(d, marker)), $"{d}/{marker} appeared on the host");
        // A zygote run's /work is its own tmpfs, gone with the run; otherwise the file is in the session's work dir.
        if (s.WorkDirectory is { } work) Assert.True(File.Exists(Path.Combine(work, "ok.txt")));
        await AssertNothingLeft(s);
    }

    [Fact]
    public async Task HostSecretsAreInvisible()
    {
        var secret = "SECRET-" + Guid.NewGuid().ToString("N");
        var name = "crucible-secret-" + Guid.NewGuid().ToString("N")[..8];
        var planted = new[] { Path.Combine("/root", name), Path.Combine("/tmp", name), Path.Combine(fx.StateRoot, name) };
        foreach (var p in planted) await File.WriteAllTextAsync(p, secret);
        Environment.SetEnvironmentVariable("CRUCIBLE_TEST_HOST_SECRET", secret);
        try
        {
            var src = $$"""
import os
paths = {{"[" + string.Join(", ", planted.Select(p => "'" + p + "'")) + "]"}} + ['/etc/shadow', '/root/.bash_history', '/proc/1/environ']
for i, p in enumerate(paths):
    try:
        print('READ', i, open(p).read())
    except OSError as e:
        print('denied', i)
for root in ['/', '/tmp', '/root']:
    try:
        print('LIST', root, os.listdir(root))
    except OSError:
        print('nolist', root)
print('env', dict(os.environ))
""";
            var (r, uid, s) = await Attack("python", src);
            await using var _ = s;
            Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict} {r.Stderr}");
            Assert.DoesNotContain(secret, r.Stdout);
            Assert.DoesNotContain(name, r.Stdout);
            for (var i = 0; i < planted.Length + 2; i++) Assert.Contains($"denied {i}\n", r.Stdout);
            // The host's environment does not leak in either (the secret is also in this process's environment).
            Assert.DoesNotContain("CRUCIBLE_TEST_HOST_SECRET", r.Stdout);
            await AssertNothingLeft(s);
        }
        finally
        {
            foreach (var p in planted) File.Delete(p);
            Environment.SetEnvironmentVariable("CRUCIBLE_TEST_HOST_SECRET", null);
        }
    }

    [Fact]
    public async Task AnotherSessionsFilesAndProcessesAreInvisible()
    {
        var secret = "OTHER-" + Guid.NewGuid().ToString("N");
        await using var a = await fx.OpenAsync(new SourceProgram("python",
            "import time,sys\nopen('/work/secret.txt','w').write(sys.argv[1])\nprint('written', flush=True)\ntime.sleep(3)\n"), Quick with { WallTime = TimeSpan.FromSeconds(5) });
        var running = a.RunAsync(new RunRequest { Args = [secret] });
        await Task.Delay(500);
        await using var b = await fx.OpenAsync(new SourceProgram("python", """
import os, sys
toolchains = set(sys.argv[1].split('\n'))
print('work', os.listdir('/work'))
print('pids', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))
for root, dirs, files in os.walk('/'):
    if root == '/':
        dirs[:] = [d for d in dirs if d not in ('proc', 'sys', 'usr', 'dev')]
    dirs[:] = [d for d in dirs if os.path.join(root, d) not in toolchains]
    for f in files:
        if f == 'secret.txt':
            print('FOUND', os.path.join(root, f), open(os.path.join(root, f)).read())
"""), Quick);
        var rb = await b.RunAsync(new RunRequest { Args = [string.Join('\n', fx.ToolchainTrees)] });
        var ra = await running;
        Assert.Contains("written", ra.Stdout);
        Assert.True(rb.Verdict == Verdict.Ok, $"{rb.Verdict} {rb.Stderr}");
        Assert.DoesNotContain("FOUND", rb.Stdout);
        Assert.DoesNotContain(secret, rb.Stdout);
        Assert.Contains("work []", rb.Stdout);
        // Own pid namespace: only a handful of low pids (bwrap's init and the program itself).
        var pids = rb.Stdout.Split('\n').Single(l => l.StartsWith("pids", StringComparison.Ordinal));
        Assert.True(pids.Split(',').Length <= 3, pids);
        Assert.NotEqual(a.Uid, b.Uid);
    }

    [Fact]
    public async Task DaemonizedChildDoesNotOutliveTheRun()
    {
        var src = """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for i in range(60):
            time.sleep(0.1)
        open('/work/daemon-was-here', 'w').write('x')
    os._exit(0)
print('parent exits', flush=True)
""";
        var (r, uid, s) = await Attack("python", src);
        await using var _ = s;
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        await AssertNothingLeft(s);
        await Task.Delay(7000);
        if (s.WorkDirectory is { } work)
            Assert.False(File.Exists(Path.Combine(work, "daemon-was-here")), "a daemonized child kept running after the run ended");
    }

    [Theory]
    [InlineData("import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)\n")]
    [InlineData("import os, signal\nos.killpg(0, signal.SIGSTOP)\n")]
    [InlineData("import os, signal\nif os.fork() == 0:\n    os.kill(os.getpid(), signal.SIGSTOP)\nos.kill(os.getpid(), signal.SIGSTOP)\n")]
    public async Task StoppedProcessesAreKilled(string src)
    {
        var (r, uid, s) = await Attack("python", src, Quick with { WallTime = TimeSpan.FromSeconds(1) });
        await using var _ = s;
        Assert.True(r.Verdict == Verdict.TimeLimitExceeded, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.Equal(TimeLimitKind.Wall, r.TimeLimit);
        await AssertNothingLeft(s);
    }

    [Theory]
    [InlineData("import os\nos.kill(os.getppid(), 9)\nprint('still here')\n")]
    [InlineData("import os\ntry:\n    os.kill(-1, 9)\nexcept OSError as e:\n    print('kill -1 failed', e)\nprint('still here')\n")]
    [InlineData("import os, signal\nfor sig in (signal.SIGTERM, signal.SIGKILL):\n    try:\n        os.kill(1, sig)\n    except OSError as e:\n        print('no', e)\nprint('still here')\n")]
    public async Task KillingTheRunnerHarmsOnlyItself(string src)
    {
        var (r, uid, s) = await Attack("python", src);
        await using var _ = s;
        Assert.NotEqual(Verdict.SandboxError, r.Verdict);
        await AssertNothingLeft(s);
        // The session is still usable and this test process is alive.
        var again = await s.RunAsync(new RunRequest());
        Assert.NotEqual(Verdict.SandboxError, again.Verdict);
    }

    [Fact]
    public async Task OutputFloodIsCappedAndStopped()
    {
        var limits = Quick with { MaxOutputBytes = 1 << 20, CpuTime = TimeSpan.FromSeconds(5), WallTime = TimeSpan.FromSeconds(10) };
        var (r, uid, s) = await Attack("python", "import sys\nchunk = 'x' * (1 << 20)\nfor _ in range(100):\n    sys.stdout.write(chunk)\n", limits);
        await using var _ = s;
        Assert.True(r.Verdict == Verdict.OutputLimitExceeded, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.True(r.StdoutTruncated);
        Assert.Equal(1 << 20, r.StdoutBytes.Length);
        await AssertNothingLeft(s);
    }

    [Fact]
    public async Task StderrFloodIsCappedToo()
    {
        var limits = Quick with { MaxOutputBytes = 1 << 20, CpuTime = TimeSpan.FromSeconds(5), WallTime = TimeSpan.FromSeconds(10) };
        var (r, _, s) = await Attack("cpp", "#include <cstdio>\nint main(){ for(;;) std::fputs(\"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\\n\", stderr); }", limits);
        await using var __ = s;
        Assert.True(r.Verdict == Verdict.OutputLimitExceeded, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.True(r.StderrTruncated);
        Assert.True(r.StderrBytes.Length <= 1 << 20);
    }

    [Theory]
    [InlineData("/tmp")]
    [InlineData("/work")]
    public async Task FillingTheDiskStopsAtTheCap(string dir)
    {
        var src = $$"""
import os
n = 0
try:
    with open('{{dir}}/fill', 'wb') as f:
        while True:
            f.write(b'\0' * (1 << 20))
            f.flush()
            n += 1
except OSError as e:
    print('stopped after', n, 'MiB:', e.strerror)
""";
        var limits = Quick with { TmpBytes = 32L << 20, CpuTime = TimeSpan.FromSeconds(5), WallTime = TimeSpan.FromSeconds(10) };
        var (r, uid, s) = await Attack("python", src, limits);
        await using var _ = s;
        // Either the filesystem is full (ENOSPC) or the file-size rlimit stops it: never unbounded growth.
        Assert.Contains(r.Verdict, new[] { Verdict.Ok, Verdict.OutputLimitExceeded });
        if (r.Verdict == Verdict.Ok) Assert.Contains("stopped after", r.Stdout);
        var mib = r.Verdict == Verdict.Ok ? int.Parse(r.Stdout.Split(' ')[2]) : 0;
        Assert.True(mib <= 64, $"wrote {mib} MiB");
        await AssertNothingLeft(s);
    }

    private const string Syscall = "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nlibc.syscall.restype = ctypes.c_long\n" +
        "def call(name, nr, *args):\n    ctypes.set_errno(0)\n    r = libc.syscall(nr, *args)\n    print(name, r, ctypes.get_errno(), flush=True)\n    return r\n";

    [Fact]
    public async Task SystemCallsATestNeverNeedsFailWithEperm()
    {
        var src = Syscall + """
call('ptrace', 101, 0, 0, 0, 0)
call('unshare', 272, 0x10000000)
call('mount', 165, b'none', b'/tmp', b'tmpfs', 0, None)
call('keyctl', 250, 0, -4, 0)
call('bpf', 321, 0, None, 0)
call('perf_event_open', 298, None, 0, -1, -1, 0)
call('userfaultfd', 323, 0)
call('io_uring_setup', 425, 8, None)
call('setns', 308, 0, 0)
call('personality', 135, 0x0040000)
call('clone_newuser', 56, 0x10000000 | 17, 0, 0, 0, 0)
import os
pid = os.fork()
if pid == 0:
    os._exit(7)
print('fork still works', os.waitpid(pid, 0)[1] >> 8)
""";
        var (r, _, s) = await Attack("python", src);
        await using var __ = s;
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        foreach (var name in new[] { "ptrace", "unshare", "mount", "keyctl", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "setns", "personality", "clone_newuser" })
            Assert.Contains($"{name} -1 1\n", r.Stdout);
        Assert.Contains("fork still works 7", r.Stdout);
        await AssertNothingLeft(s);
    }

    [Fact]
    public async Task ARunHoldsNoCapabilityAndCannotRegainOne()
    {
        // The bounding set is dropped once in a zygote rather than in each run: a run, and a program it execs, must
        // still hold none, nor any signal the zygote itself handles. Raising one needs CAP_SETPCAP: EPERM.
        var src = """
import ctypes, os, signal, subprocess
caps = {l.split(':')[0]: l.split()[1] for l in open('/proc/self/status') if l.startswith('Cap')}
print('caps', caps['CapInh'], caps['CapPrm'], caps['CapEff'], caps['CapBnd'], caps['CapAmb'], flush=True)
child = subprocess.run(['/bin/grep', '^CapBnd', '/proc/self/status'], capture_output=True, text=True).stdout.split()
print('exec bnd', child[1], flush=True)
libc = ctypes.CDLL(None, use_errno=True)
print('drop', libc.prctl(24, 0, 0, 0, 0), ctypes.get_errno(), flush=True)
handled = [s for s in range(1, signal.NSIG) if s not in (signal.SIGINT, signal.SIGPIPE, signal.SIGXFSZ)
           and signal.getsignal(s) not in (signal.SIG_DFL, None)]
print('handled', handled, flush=True)
""";
        var (r, _, s) = await Attack("python", src);
        await using var __ = s;
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.Contains("caps 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000\n", r.Stdout);
        Assert.Contains("exec bnd 0000000000000000\n", r.Stdout);
        Assert.Contains("drop -1 1\n", r.Stdout); // PR_CAPBSET_DROP without CAP_SETPCAP
        Assert.Contains("handled []\n", r.Stdout);
        await AssertNothingLeft(s);
    }

    [Fact]
    public async Task AKeyLeftInTheUidsKeyringIsNotReadByALaterSubmission()
    {
        // One uid only, so both submissions run as the same uid, as reused uids do.
        var root = Path.Combine(Path.GetTempPath(), "crucible-keys-" + Guid.NewGuid().ToString("N")[..8]);
        await using var pool = SandboxPool.Create(new SandboxOptions
        {
            StateRoot = root, MaxSessions = 1, MaxParallelRuns = 1, ZygoteSlots = 1, PrestartedRunners = 0, WarmRunners = fx.Warm, Zygotes = fx.Zygote,
        });
        try
        {
            var secret = "KEY-" + Guid.NewGuid().ToString("N");
            var plant = Syscall + $"call('add_key', 248, b'user', b'crucible-planted', b'{secret}', {secret.Length}, ctypes.c_int(-4))\n" +
                        $"call('add_key_session', 248, b'user', b'crucible-planted', b'{secret}', {secret.Length}, ctypes.c_int(-3))\n";
            var (_, first) = await pool.RunOnceAsync(new SourceProgram("python", plant), new RunRequest { Limits = Quick });
            Assert.True(first.Verdict == Verdict.Ok, $"{first.Verdict}: {first.Message} {first.Stderr}");
            Assert.Contains("add_key -1 1\n", first.Stdout);
            var read = Syscall + """
k = call('request_key', 249, b'user', b'crucible-planted', None, ctypes.c_int(-4))
if k > 0:
    buf = ctypes.create_string_buffer(200)
    n = libc.syscall(250, 11, ctypes.c_int(k), buf, 200)
    print('READ', buf.raw[:max(n, 0)])
try:
    print('PROCKEYS', open('/proc/keys').read())
except OSError as e:
    print('no /proc/keys', e.errno)
""";
            var (_, second) = await pool.RunOnceAsync(new SourceProgram("python", read), new RunRequest { Limits = Quick });
            Assert.True(second.Verdict == Verdict.Ok, $"{second.Verdict}: {second.Message} {second.Stderr}");
            Assert.Contains("request_key -1 1\n", second.Stdout);
            Assert.DoesNotContain(secret, second.Stdout);
            Assert.DoesNotContain("READ", second.Stdout);
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task CompilerCannotReadHostFiles()
    {
        await using var s = await fx.OpenAsync(new SourceProgram("cpp", "#include \"/etc/shadow\"\nint main(){}"));
        Assert.Equal(Verdict.CompileError, s.Compile.Verdict);
        Assert.Contains("No such file", s.Compile.Output);
        Assert.DoesNotContain("root:", s.Compile.Output);
    }

    [Fact]
    public async Task OversizedSourceIsRejectedBeforeCompiling()
    {
        var huge = "int main(){}\n//" + new string('x', 2 << 20);
        var e = await Assert.ThrowsAsync<SandboxException>(() => fx.Pool.OpenSessionAsync(new SourceProgram("cpp", huge)));
        Assert.Contains("larger than", e.Message);
    }

    [Fact]
    public async Task TemplateBombHitsTheCompileLimit()
    {
        var root = Path.Combine(Path.GetTempPath(), "crucible-bomb-" + Guid.NewGuid().ToString("N")[..8]);
        await using var pool = SandboxPool.Create(new SandboxOptions
        {
            StateRoot = root,
            CompileLimits = ResourceLimits.Compile with { CpuTime = TimeSpan.FromSeconds(2), WallTime = TimeSpan.FromSeconds(4), MemoryBytes = 512L << 20 },
        });
        try
        {
            var bomb = "template<int N> struct B { typedef typename B<N-1>::T T1; typedef B<N-1> X; static const long v = X::v + B<N-2>::v; typedef T1 T; };\n" +
                       "template<> struct B<0> { typedef int T; static const long v = 1; };\ntemplate<> struct B<1> { typedef int T; static const long v = 1; };\n" +
                       "template<int N> struct C { static const long v = C<N-1>::v + C<N-1>::v + B<N % 900>::v; };\ntemplate<> struct C<0> { static const long v = 1; };\n" +
                       "int main(){ return (int)C<100000>::v; }\n";
            await using var s = await pool.OpenSessionAsync(new SourceProgram("cpp", bomb));
            Assert.NotEqual(Verdict.Ok, s.Compile.Verdict);
            Assert.NotEqual(Verdict.SandboxError, s.Compile.Verdict);
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }
}

[Collection("cold")]
public sealed class ColdAttackTests(ColdSandboxFixture fx) : AttackTests(fx);

[Collection("warm")]
public sealed class WarmAttackTests(WarmSandboxFixture fx) : AttackTests(fx);

[Collection("zygote")]
public sealed class ZygoteAttackTests(ZygoteSandboxFixture fx) : AttackTests(fx);

[Collection("zygote-runner")]
public sealed class ZygoteRunnerAttackTests(ZygoteRunnerSandboxFixture fx) : AttackTests(fx);
