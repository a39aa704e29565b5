using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>
/// One pool per collection, with a private state root so tests never touch a real cache. The cold fixture runs every
/// request in a fresh sandbox; the warm fixture makes sure every session runs through a warm runner (a bubblewrap
/// sandbox of its own: the fallback path), the zygote-runner fixture through a warm runner forked from a zygote, so the
/// same attack suite checks every path.
/// </summary>
public abstract class SandboxFixture : IAsyncLifetime
{
    public SandboxPool Pool { get; private set; } = null!;
    public string StateRoot { get; } = Path.Combine(Path.GetTempPath(), "crucible-test-" + Guid.NewGuid().ToString("N")[..8]);
    public abstract bool Warm { get; }

    /// <summary>True when single runs go to zygote children (the zygote fixture).</summary>
    public virtual bool Zygote => false;

    /// <summary>True when every session runs through a warm runner forked from a zygote (the zygote-runner fixture).</summary>
    public virtual bool ZygoteRunners => false;

    public async ValueTask InitializeAsync()
    {
        Pool = SandboxPool.Create(new SandboxOptions { StateRoot = StateRoot, MaxSessions = 64, WarmRunners = Warm, PrestartedRunners = Warm && !Zygote ? 2 : 0, Zygotes = Zygote || ZygoteRunners });
        if ((Zygote || ZygoteRunners) && Pool.ZygotesEnabled)
        {
            // The first run waits for the zygote to start; do it here so tests do not time it.
            await using var s = await Pool.OpenSessionAsync(new SourceProgram("python", "pass"));
            await s.RunAsync(new RunRequest());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Pool.DisposeAsync();
        try { Directory.Delete(StateRoot, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Read-only toolchain installations bound outside /usr (a rustup toolchain: 50k+ files). They hold no session data,
    /// and a search of the whole file system skips them: walking them cold on a fresh machine takes seconds of I/O.
    /// </summary>
    public IReadOnlyList<string> ToolchainTrees =>
        Pool.Languages.All.Where(l => l.Available).SelectMany(l => l.ExtraReadOnlyPaths).Distinct().ToList();

    /// <summary>Skips the calling test, with the registry's reason, when the language's toolchain is absent.</summary>
    public void RequireLanguage(string id)
    {
        if (!Pool.Languages.TryGet(id, out var lang)) Assert.Fail($"unknown language {id}");
        Assert.SkipUnless(lang.Available, $"{id} toolchain absent: {lang.UnavailableReason}");
    }

    /// <summary>Opens a session; in the warm fixture, waits until it has its runner (so the run under test is warm).</summary>
    public async Task<SandboxSession> OpenAsync(SourceProgram program, ResourceLimits? limits = null)
    {
        // A session that says it will make many runs gets a warm runner rather than zygote forks.
        var session = await Pool.OpenSessionAsync(program, limits, ZygoteRunners ? int.MaxValue : 0);
        if (Zygote || ZygoteRunners) Assert.SkipUnless(Pool.ZygotesEnabled, "zygotes need root, cgroups and the system Python");
        if (Warm && !Zygote && session.Compile.Succeeded)
        {
            Assert.SkipUnless(Pool.WarmEnabled, "warm runners need root and cgroups");
            if (!session.HasWarmRunner)
            {
                // Two throwaway runs make the session start its own runner.
                await session.RunAsync(new RunRequest { Limits = ResourceLimits.Default with { CpuTime = TimeSpan.FromMilliseconds(10), WallTime = TimeSpan.FromMilliseconds(10) } });
                await session.RunAsync(new RunRequest { Limits = ResourceLimits.Default with { CpuTime = TimeSpan.FromMilliseconds(10), WallTime = TimeSpan.FromMilliseconds(10) } });
                for (var i = 0; i < 300 && !session.HasWarmRunner; i++) await Task.Delay(50);
            }
            Assert.True(session.HasWarmRunner, "the session did not get a warm runner");
            if (ZygoteRunners) Assert.True(session.RunnerFromZygote, $"the session's runner is not a zygote child: {Pool.LastRunnerStartError}");
            session.Workspace.Clear();
        }
        return session;
    }

    public async Task<RunResult> RunAsync(string language, string source, string stdin = "", ResourceLimits? limits = null)
    {
        await using var session = await OpenAsync(new SourceProgram(language, source), limits);
        return await session.RunAsync(RunRequest.WithStdin(stdin) with { Limits = limits });
    }
}

public sealed class ColdSandboxFixture : SandboxFixture
{
    public override bool Warm => false;
}

public sealed class WarmSandboxFixture : SandboxFixture
{
    public override bool Warm => true;
}

/// <summary>Python sessions run in zygote children (other languages as usual), so the attack suite checks that path too.</summary>
public sealed class ZygoteSandboxFixture : SandboxFixture
{
    public override bool Warm => true;
    public override bool Zygote => true;
}

/// <summary>Every session runs through a warm runner forked from a Python zygote instead of a bubblewrap sandbox.</summary>
public sealed class ZygoteRunnerSandboxFixture : SandboxFixture
{
    public override bool Warm => true;
    public override bool ZygoteRunners => true;
}

[CollectionDefinition("zygote-runner")]
public sealed class ZygoteRunnerCollection : ICollectionFixture<ZygoteRunnerSandboxFixture>;

[CollectionDefinition("zygote")]
public sealed class ZygoteCollection : ICollectionFixture<ZygoteSandboxFixture>;

[CollectionDefinition("cold")]
public sealed class ColdCollection : ICollectionFixture<ColdSandboxFixture>;

[CollectionDefinition("warm")]
public sealed class WarmCollection : ICollectionFixture<WarmSandboxFixture>;
