using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>
/// When the kernel's CPU limit fires before the host's watchdog (a starved host), the verdict is still the CPU
/// limit's: the host watchdog is switched off here so RLIMIT_CPU is what stops the program.
/// </summary>
public sealed class KernelCpuLimitTests
{
    [Theory]
    [InlineData("while True:\n    pass\n")]
    [InlineData("import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\nwhile True:\n    pass\n")]
    public async Task ProgramStoppedByTheKernelsCpuLimitIsTimeLimitExceeded(string source)
    {
        var root = Path.Combine(Path.GetTempPath(), "crucible-rlimit-" + Guid.NewGuid().ToString("N")[..8]);
        await using var pool = SandboxPool.Create(new SandboxOptions { StateRoot = root, WarmRunners = false, HostCpuWatchdog = false });
        try
        {
            var limits = ResourceLimits.Default with { CpuTime = TimeSpan.FromMilliseconds(500), WallTime = TimeSpan.FromSeconds(120) };
            var (_, r) = await pool.RunOnceAsync(new SourceProgram("python", source), new RunRequest { Limits = limits });
            Assert.True(r.Verdict == Verdict.TimeLimitExceeded, $"{r.Verdict} signal {r.Signal} cpu {r.CpuTime}: {r.Message}");
            Assert.Equal(TimeLimitKind.Cpu, r.TimeLimit);
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }
}
