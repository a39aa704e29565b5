using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>Single runs through zygote children: same answers as a cold run, and the zygote's own promises.</summary>
[Collection("zygote")]
public sealed class ZygoteTests(ZygoteSandboxFixture fx)
{
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
}
