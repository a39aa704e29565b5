using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>The verdict as a function of what the host observed: deterministic, so it is tested without timing.</summary>
public sealed class VerdictRulesTests
{
    private static readonly ResourceLimits TenSeconds = ResourceLimits.Default with { CpuTime = TimeSpan.FromSeconds(10) };

    private static RunFacts Facts(KillReason kill = KillReason.None, int? code = null, int? signal = null, string? setup = null, double cpu = 0) => new()
    {
        KilledFor = kill,
        Status = new ExitStatus(code, signal, setup),
        CpuTime = TimeSpan.FromSeconds(cpu),
        HasCgroup = true,
    };

    [Theory]
    [InlineData(9.8)]
    [InlineData(9.9)]
    [InlineData(0.0)]
    public void AKillForCpuIsTimeLimitExceededWhateverTheMeasuredNumber(double measured)
    {
        var (v, kind, _) = VerdictRules.Decide(Facts(KillReason.Cpu, signal: VerdictRules.SIGKILL, cpu: measured), TenSeconds);
        Assert.Equal(Verdict.TimeLimitExceeded, v);
        Assert.Equal(TimeLimitKind.Cpu, kind);
    }

    [Fact]
    public void TheKernelsCpuLimitIsOursToo()
    {
        // SIGXCPU only comes from the RLIMIT_CPU the launcher set; its soft limit sits above the CPU limit.
        var (v, kind, _) = VerdictRules.Decide(Facts(signal: VerdictRules.SIGXCPU, cpu: 9.9), TenSeconds);
        Assert.Equal(Verdict.TimeLimitExceeded, v);
        Assert.Equal(TimeLimitKind.Cpu, kind);
    }

    [Fact]
    public void ASigkillNobodyOnTheHostSentIsTheProgramsRuntimeError()
    {
        Assert.Equal(Verdict.RuntimeError, VerdictRules.Decide(Facts(signal: VerdictRules.SIGKILL, cpu: 9.8), TenSeconds).Verdict);
    }

    [Fact]
    public void ABubblewrapThatNeverReportedIsSandboxErrorOnlyWithoutMemoryEvidence()
    {
        var setup = Facts(setup: "bubblewrap failed to set up the sandbox (exit 1)");
        Assert.Equal(Verdict.SandboxError, VerdictRules.Decide(setup, TenSeconds).Verdict);
        Assert.Equal(Verdict.MemoryLimitExceeded, VerdictRules.Decide(setup with { OomKilled = true }, TenSeconds).Verdict);
        Assert.Equal(Verdict.MemoryLimitExceeded, VerdictRules.Decide(setup with { HitMemoryLimit = true }, TenSeconds).Verdict);
        Assert.Equal(Verdict.MemoryLimitExceeded, VerdictRules.Decide(setup with { UnderOom = true }, TenSeconds).Verdict);
    }

    [Fact]
    public void ARunStalledAtItsMemoryLimitIsMemoryLimitExceededNotWallTime()
    {
        var stalled = Facts(KillReason.Wall, signal: VerdictRules.SIGKILL) with { UnderOom = true };
        Assert.Equal(Verdict.MemoryLimitExceeded, VerdictRules.Decide(stalled, TenSeconds).Verdict);
        Assert.Equal(Verdict.TimeLimitExceeded, VerdictRules.Decide(stalled with { UnderOom = false }, TenSeconds).Verdict);
    }

    [Fact]
    public void OutputHeldOpenElsewhereIsTheProgramsFailure()
    {
        var held = Facts(code: 0) with { PipesHeldOpen = true };
        Assert.Equal(Verdict.RuntimeError, VerdictRules.Decide(held, TenSeconds).Verdict);
        Assert.Equal(Verdict.TimeLimitExceeded, VerdictRules.Decide(held with { CpuTime = TimeSpan.FromSeconds(11) }, TenSeconds).Verdict);
    }

    [Fact]
    public void TheHostsKillReasonComesFirst()
    {
        var everything = Facts(KillReason.Output, signal: VerdictRules.SIGKILL, cpu: 20) with { OomKilled = true };
        Assert.Equal(Verdict.OutputLimitExceeded, VerdictRules.Decide(everything, TenSeconds).Verdict);
        Assert.Equal(Verdict.TimeLimitExceeded, VerdictRules.Decide(everything with { KilledFor = KillReason.Cpu }, TenSeconds).Verdict);
    }

    [Fact]
    public void AnOomKillIsMemoryLimitExceededEvenWithExitCodeZero()
    {
        Assert.Equal(Verdict.MemoryLimitExceeded, VerdictRules.Decide(Facts(code: 0) with { OomKilled = true }, TenSeconds).Verdict);
        Assert.Equal(Verdict.Ok, VerdictRules.Decide(Facts(code: 0) with { HitMemoryLimit = true }, TenSeconds).Verdict);
    }
}
