using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

public abstract class SessionTests(SandboxFixture fx)
{
    [Fact]
    public async Task SecondSessionWithSameCppSourceDoesNotCompile()
    {
        var src = "#include <cstdio>\nint main(){ std::puts(\"cache " + Guid.NewGuid().ToString("N") + "\"); }";
        var before = fx.Pool.CompileCache.Compilations;
        await using (var first = await fx.OpenAsync(new SourceProgram("cpp", src)))
        {
            Assert.True(first.Compile.Succeeded, first.Compile.Output);
            Assert.False(first.Compile.FromCache);
        }
        Assert.Equal(before + 1, fx.Pool.CompileCache.Compilations);
        await using var second = await fx.OpenAsync(new SourceProgram("cpp", src));
        Assert.True(second.Compile.FromCache);
        Assert.Equal(before + 1, fx.Pool.CompileCache.Compilations);
        var r = await second.RunAsync(new RunRequest());
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.StartsWith("cache ", r.Stdout);
    }

    [Fact]
    public async Task ConcurrentSessionsWithTheSameSourceCompileOnce()
    {
        var src = "#include <cstdio>\nint main(){ std::puts(\"race " + Guid.NewGuid().ToString("N") + "\"); }";
        var before = fx.Pool.CompileCache.Compilations;
        var sessions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fx.Pool.OpenSessionAsync(new SourceProgram("cpp", src))));
        Assert.Equal(before + 1, fx.Pool.CompileCache.Compilations);
        foreach (var s in sessions) await s.DisposeAsync();
    }

    [Fact]
    public async Task OneSessionRunsManyTimesWithDifferentInputs()
    {
        await using var s = await fx.OpenAsync(new SourceProgram("cpp", "#include <iostream>\nint main(int argc,char**argv){ long a,b; std::cin>>a>>b; std::cout<<a+b<<' '<<argc<<'\\n'; }"));
        for (var i = 0; i < 5; i++)
        {
            var r = await s.RunAsync(RunRequest.WithStdin($"{i} {i * 10}") with { Args = Enumerable.Repeat("x", i).ToArray() });
            Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
            Assert.Equal($"{i + i * 10} {i + 1}\n", r.Stdout);
        }
        Assert.Equal(0, s.Compile.Duration < TimeSpan.Zero ? 1 : 0);
    }

    [Fact]
    public async Task FilesGoInAndComeBack()
    {
        await using var s = await fx.OpenAsync(new SourceProgram("python", "data = open('in/data.txt').read()\nopen('out.txt','w').write(data.upper())\n"));
        var r = await s.RunAsync(new RunRequest
        {
            Files = new Dictionary<string, byte[]> { ["in/data.txt"] = "hello files"u8.ToArray() },
            FetchFiles = ["out.txt", "missing.txt"],
        });
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        // Says what came back when out.txt did not (this failed once in a full local run, without a message).
        Assert.True(r.FetchedFiles.TryGetValue("out.txt", out var written),
            $"out.txt was not fetched; fetched: [{string.Join(", ", r.FetchedFiles.Keys)}]; work dir: {s.WorkDirectory ?? "none"}; warm runner: {s.HasWarmRunner}; stdout: {r.Stdout}; stderr: {r.Stderr}");
        Assert.Equal("HELLO FILES", System.Text.Encoding.UTF8.GetString(written));
        Assert.False(r.FetchedFiles.ContainsKey("missing.txt"));
    }

    [Fact]
    public async Task SymlinkPlantedByTheProgramIsNotFollowedByTheHost()
    {
        await using var s = await fx.OpenAsync(new SourceProgram("python", "import os\nos.symlink('/etc/passwd', 'out.txt')\nos.symlink('/etc', 'dir')\n"));
        var r = await s.RunAsync(new RunRequest { FetchFiles = ["out.txt"] });
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.Empty(r.FetchedFiles);
        // Writing through a planted symlink must not touch the host's /etc.
        var name = "crucible-" + Guid.NewGuid().ToString("N")[..8];
        await s.RunAsync(new RunRequest { Files = new Dictionary<string, byte[]> { ["dir/" + name] = [1] } });
        Assert.False(File.Exists("/etc/" + name));
    }

    [Fact]
    public async Task FiftyConcurrentSessionsAllGetTheirOwnRightAnswer()
    {
        var tasks = Enumerable.Range(0, 50).Select(async i =>
        {
            var (lang, src) = (i % 3) switch
            {
                0 => ("python", $"import sys\nprint(int(sys.stdin.read()) * {i})"),
                1 => ("cpp", $"#include <iostream>\nint main(){{ long x; std::cin>>x; std::cout<<x*{i}<<'\\n'; }}"),
                _ => ("javascript", $"const x = parseInt(require('fs').readFileSync(0,'utf8')); console.log(x * {i});"),
            };
            await using var s = await fx.Pool.OpenSessionAsync(new SourceProgram(lang, src));
            var r = await s.RunAsync(RunRequest.WithStdin((i + 7).ToString()));
            return (i, r);
        }).ToList();
        foreach (var (i, r) in await Task.WhenAll(tasks))
        {
            Assert.True(r.Verdict == Verdict.Ok, $"session {i}: {r.Verdict} {r.Message} {r.Stderr}");
            Assert.Equal(((i + 7) * i).ToString() + "\n", r.Stdout);
        }
    }

    [Fact]
    public async Task MemoryAndUsageAreReported()
    {
        var r = await fx.RunAsync("python", "x = bytearray(b'1' * (40 << 20))\nprint(len(x))");
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict}: {r.Message} {r.Stderr}");
        Assert.True(r.PeakMemoryBytes >= 40L << 20, $"peak {r.PeakMemoryBytes}");
        Assert.True(r.CpuTime > TimeSpan.Zero);
        Assert.True(r.WallTime > TimeSpan.Zero);
    }

    [Fact]
    public void IsolationIsFullStrengthOnThisMachine()
    {
        Assert.SkipUnless(Environment.UserName == "root", "full isolation (cgroups, per-session uid) needs root");
        Assert.True(fx.Pool.Isolation.TreeWideLimits, fx.Pool.Isolation.ToString());
        Assert.True(fx.Pool.Isolation.PerSessionUid);
        Assert.True(fx.Pool.Isolation.TmpfsWorkDir);
    }
}

[Collection("cold")]
public sealed class ColdSessionTests(ColdSandboxFixture fx) : SessionTests(fx);

[Collection("warm")]
public sealed class WarmSessionTests(WarmSandboxFixture fx) : SessionTests(fx);

[Collection("zygote-runner")]
public sealed class ZygoteRunnerSessionTests(ZygoteRunnerSandboxFixture fx) : SessionTests(fx);
