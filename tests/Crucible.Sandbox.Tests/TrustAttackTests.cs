using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>
/// Attacks on the honesty of the verdict (issue 14): a wrong submission must not turn its judgement into a
/// SandboxError (which a trainer drops or scores on the wrong cause), and nothing the host holds may leak in.
/// Run cold and warm, like <see cref="AttackTests"/>.
/// </summary>
public abstract class TrustAttackTests(SandboxFixture fx)
{
    private static readonly ResourceLimits Quick = ResourceLimits.Default with { CpuTime = TimeSpan.FromSeconds(2), WallTime = TimeSpan.FromSeconds(6) };

    private async Task<(RunResult Result, SandboxSession Session)> Attack(string language, string source, ResourceLimits? limits = null)
    {
        var session = await fx.OpenAsync(new SourceProgram(language, source), limits ?? Quick);
        return (await session.RunAsync(new RunRequest()), session);
    }

    [Fact]
    public async Task DescriptorsTheHostLeftInheritableDoNotReachTheProgram()
    {
        // A root-only file the host process happens to hold open without O_CLOEXEC (a library's doing, say).
        var secret = "FD-SECRET-" + Guid.NewGuid().ToString("N");
        var path = Path.Combine(Path.GetTempPath(), "crucible-fd-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(path, secret);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var handle = File.OpenHandle(path);
        Assert.Equal(0, Libc.MakeInheritable((int)handle.DangerousGetHandle()));
        try
        {
            var (r, s) = await Attack("python", """
import os
for fd in range(3, 1024):
    try:
        os.lseek(fd, 0, 0)
        print('FD', fd, os.read(fd, 200))
    except OSError:
        pass
print('done')
""");
            await using var _ = s;
            Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict} {r.Message} {r.Stderr}");
            Assert.Contains("done", r.Stdout);
            Assert.DoesNotContain(secret, r.Stdout);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task HandingOutputToTheWarmRunnersSocketIsTheProgramsFailure()
    {
        // Parks its own stdout/stderr in the runner's control socket (if it can reach one), so the host would never
        // see end-of-file, then fails. The verdict must be the program's, never SandboxError.
        var (r, s) = await Attack("python", """
import os, socket, sys
for path in ['/io/ctl.sock']:
    try:
        c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        c.connect(path)
        socket.send_fds(c, [b'{"op":"run"}'], [0, 1, 2])
        print('PARKED', path, flush=True)
    except OSError as e:
        print('refused', path, e.errno, flush=True)
sys.exit(1)
""");
        await using var _ = s;
        Assert.NotEqual(Verdict.SandboxError, r.Verdict);
        Assert.True(r.Verdict == Verdict.RuntimeError, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.DoesNotContain("PARKED", r.Stdout);
    }

    [Fact]
    public async Task MemoryNoProcessOwnsIsMemoryLimitExceeded()
    {
        // memfd pages are charged to the run but belong to no process's RSS, so the OOM killer's choice falls on
        // whatever is biggest: possibly the sandbox itself. The program also tries to lower its own OOM score.
        var limits = Quick with { MemoryBytes = 64L << 20 };
        var (r, s) = await Attack("python", """
import os
try:
    open('/proc/self/oom_score_adj', 'w').write('-1000')
except OSError:
    pass
try:
    open('/proc/self/oom_score_adj', 'w').write('0')
except OSError:
    pass
fds = []
chunk = b'x' * (1 << 20)
for i in range(4096):
    fd = os.memfd_create('m%d' % i)
    os.write(fd, chunk)
    fds.append(fd)
print('never here')
""", limits);
        await using var _ = s;
        Assert.True(r.Verdict == Verdict.MemoryLimitExceeded, $"{r.Verdict}: {r.Message} {r.Stderr}");
    }

    [Fact]
    public async Task ExhaustingMemoryWithAFileLeftInTmpAndDyingIsMemoryLimitExceeded()
    {
        // Fills its memory limit with /tmp pages (charged to the run, freed with nothing), then its processes exit:
        // what remains of the sandbox has to allocate at the limit.
        var limits = Quick with { MemoryBytes = 48L << 20, TmpBytes = 256L << 20 };
        var (r, s) = await Attack("python", """
import os
chunk = b'y' * (1 << 20)
with open('/tmp/fill', 'wb') as f:
    try:
        while True:
            f.write(chunk)
            f.flush()
    except OSError:
        pass
os._exit(0)
""", limits);
        await using var _ = s;
        Assert.NotEqual(Verdict.SandboxError, r.Verdict);
        Assert.True(r.Verdict is Verdict.MemoryLimitExceeded or Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
    }

    [Fact]
    public async Task FillingTheWorkDirBeforeTheNextRunsInputsIsTheProgramsFailure()
    {
        await using var s = await fx.OpenAsync(new SourceProgram("python", """
import os
if os.path.exists('/work/in.txt'):
    print(open('/work/in.txt').read())
else:
    try:
        i = 0
        while True:
            open('/work/f%d' % i, 'w').close()
            i += 1
    except OSError:
        pass
    try:
        with open('/work/big', 'wb') as f:
            while True:
                f.write(b'z' * (1 << 20))
    except OSError:
        pass
"""), Quick with { CpuTime = TimeSpan.FromSeconds(8), WallTime = TimeSpan.FromSeconds(30) });
        var fill = await s.RunAsync(new RunRequest());
        Assert.NotEqual(Verdict.SandboxError, fill.Verdict);
        var next = await s.RunAsync(new RunRequest { Files = new Dictionary<string, byte[]> { ["in.txt"] = "hello"u8.ToArray() } });
        Assert.True(next.Verdict != Verdict.SandboxError, next.Message);
    }

    [Fact]
    public async Task ManyEmptyFilesStayBoundedAcrossRuns()
    {
        // Empty files cost no bytes, only kernel memory that outlives the run in /work (and in a warm runner's /tmp).
        var cap = fx.Pool.Options.WorkDirInodes;
        await using var s = await fx.OpenAsync(new SourceProgram("python", """
import os, sys
made = []
for d in ['/work', '/tmp']:
    n = 0
    try:
        for i in range(100000):
            open('%s/f%s_%d' % (d, sys.argv[1], i), 'w').close()
            n += 1
    except OSError:
        pass
    made.append(n)
print(made[0], made[1], len(os.listdir('/work')), len(os.listdir('/tmp')))
"""), Quick with { CpuTime = TimeSpan.FromSeconds(8), WallTime = TimeSpan.FromSeconds(30) });
        for (var run = 0; run < 3; run++)
        {
            var r = await s.RunAsync(new RunRequest { Args = [run.ToString()] });
            Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict} {r.Message} {r.Stderr}");
            var counts = r.Stdout.Split(' ', StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
            Assert.All(counts, c => Assert.True(c <= cap, $"run {run}: {r.Stdout.Trim()} (cap {cap})"));
        }
        // Zygote runs have a private /work per run; a session work dir exists once the session has materialized.
        if (s.WorkDirectory is { } work) Assert.True(Directory.EnumerateFileSystemEntries(work).Count() <= cap);
    }
}

[Collection("cold")]
public sealed class ColdTrustAttackTests(ColdSandboxFixture fx) : TrustAttackTests(fx);

[Collection("warm")]
public sealed class WarmTrustAttackTests(WarmSandboxFixture fx) : TrustAttackTests(fx);

[Collection("zygote")]
public sealed class ZygoteTrustAttackTests(ZygoteSandboxFixture fx) : TrustAttackTests(fx);

[Collection("zygote-runner")]
public sealed class ZygoteRunnerTrustAttackTests(ZygoteRunnerSandboxFixture fx) : TrustAttackTests(fx);
