using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>Compilers and the compile cache are bounded: artifact size, total cache bytes (LRU), compiler memory.</summary>
public sealed class CompileLimitsTests : IAsyncDisposable
{
    private readonly List<(SandboxPool Pool, string Root)> _pools = [];

    private SandboxPool NewPool(SandboxOptions options)
    {
        var root = Path.Combine(Path.GetTempPath(), "crucible-compile-" + Guid.NewGuid().ToString("N")[..8]);
        var pool = SandboxPool.Create(options with { StateRoot = root, WarmRunners = false, PrestartedRunners = 0 });
        _pools.Add((pool, root));
        return pool;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (pool, root) in _pools)
        {
            await pool.DisposeAsync();
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task AOneLineProgramCannotLeaveAHugeArtifact()
    {
        var pool = NewPool(new SandboxOptions());
        Assert.SkipUnless(pool.Languages.TryGet("c", out var c) && c.Available, "gcc absent");
        await using var s = await pool.OpenSessionAsync(new SourceProgram("c", "char big[200 << 20] = {1}; int main(void) { return big[0] - 1; }"));
        Assert.NotEqual(Verdict.Ok, s.Compile.Verdict);
        Assert.NotEqual(Verdict.SandboxError, s.Compile.Verdict);
        var cache = Path.Combine(pool.Options.StateRoot, "cache");
        var largest = new DirectoryInfo(cache).EnumerateFiles("*", SearchOption.AllDirectories).Select(f => f.Length).DefaultIfEmpty(0).Max();
        Assert.True(largest <= pool.Options.MaxArtifactBytes, $"a {largest}-byte file was left in the compile cache");
    }

    [Fact]
    public async Task TheCacheEvictsLeastRecentlyUsedEntriesButNotOnesInUse()
    {
        const long budget = 64 << 10;
        // Zygote runs of interpreted languages make no cache entries; this test needs the entries.
        var pool = NewPool(new SandboxOptions { CompileCacheBudgetBytes = budget, Zygotes = false });
        var padding = "# " + new string('p', 8 << 10) + "\n";
        await using var held = await pool.OpenSessionAsync(new SourceProgram("python", padding + "print('held')"));
        for (var i = 0; i < 24; i++)
        {
            await using var s = await pool.OpenSessionAsync(new SourceProgram("python", padding + $"print({i})"));
            Assert.True(s.Compile.Succeeded);
        }
        pool.CompileCache.EvictLeastRecentlyUsed();
        Assert.True(pool.CompileCache.SizeBytes <= budget, $"cache holds {pool.CompileCache.SizeBytes} bytes, budget {budget}");
        Assert.True(pool.CompileCache.Evictions > 0);
        // The oldest entry is in use by an open session: it survived, and the session still runs.
        var r = await held.RunAsync(new RunRequest());
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict} {r.Message}");
        Assert.Equal("held\n", r.Stdout);
        // An evicted entry is simply compiled again.
        await using var again = await pool.OpenSessionAsync(new SourceProgram("python", padding + "print(0)"));
        Assert.Equal("0\n", (await again.RunAsync(new RunRequest())).Stdout);
    }

    [Fact]
    public async Task ACSharpConstantFoldingBombMeetsTheCompileMemoryLimitNotTheHost()
    {
        var pool = NewPool(new SandboxOptions { CompileLimits = ResourceLimits.Compile with { MemoryBytes = 512L << 20, CpuTime = TimeSpan.FromSeconds(20), WallTime = TimeSpan.FromSeconds(60) } });
        Assert.SkipUnless(pool.Languages.TryGet("csharp", out var cs) && cs.Available, "dotnet absent");
        // Each line doubles a constant string Roslyn folds at compile time: 32 characters << 34 if nothing stops it.
        var lines = string.Join("\n", Enumerable.Range(1, 34).Select(i => $"    const string A{i} = A{i - 1} + A{i - 1};"));
        var bomb = "class P {\n    const string A0 = \"0123456789abcdef0123456789abcdef\";\n" + lines + "\n    static void Main() { System.Console.WriteLine(A34.Length); }\n}\n";
        var before = Environment.WorkingSet;
        await using var s = await pool.OpenSessionAsync(new SourceProgram("csharp", bomb));
        var grown = Environment.WorkingSet - before;
        Assert.NotEqual(Verdict.Ok, s.Compile.Verdict);
        Assert.NotEqual(Verdict.SandboxError, s.Compile.Verdict);
        Assert.True(grown < 256L << 20, $"this process grew by {grown >> 20} MiB while compiling: the compiler ran in it");
    }
}
