using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>
/// A pool of a test's own on a fresh state root, for tests that must not disturb a shared fixture (killing its zygote,
/// wearing zygotes out). Disposing it disposes the pool first, then removes the root.
/// </summary>
internal sealed class PrivatePool : IAsyncDisposable
{
    private readonly string _root;

    public PrivatePool(string name, SandboxOptions options)
    {
        _root = Path.Combine(Path.GetTempPath(), $"crucible-{name}-" + Guid.NewGuid().ToString("N")[..8]);
        Pool = SandboxPool.Create(options with { StateRoot = _root });
    }

    public SandboxPool Pool { get; }

    public async ValueTask DisposeAsync()
    {
        await Pool.DisposeAsync();
        try { Directory.Delete(_root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
