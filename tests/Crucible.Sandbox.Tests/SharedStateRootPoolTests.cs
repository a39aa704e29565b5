using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>
/// Pools of several processes share one state root (two `crucible serve`, a server and an eval). Everything a pool
/// writes there at start-up (runner and zygote scripts, the seccomp filter) must tolerate another pool doing the same
/// at the same moment: a script written in place was once locked by the other writer and the second pool failed.
/// </summary>
public sealed class SharedStateRootPoolTests
{
    [Fact]
    public async Task Many_pools_starting_at_once_on_one_state_root_all_start_and_run()
    {
        var root = Path.Combine(Path.GetTempPath(), "crucible-shared-" + Guid.NewGuid().ToString("N")[..8]);
        var pools = new SandboxPool[6];
        try
        {
            using var go = new ManualResetEventSlim();
            var starts = Enumerable.Range(0, pools.Length).Select(i => Task.Run(() =>
            {
                go.Wait();
                pools[i] = SandboxPool.Create(new SandboxOptions { StateRoot = root, MaxSessions = 4, PrestartedRunners = 0 });
            })).ToArray();
            go.Set();
            await Task.WhenAll(starts);
            Assert.SkipUnless(pools[0].Languages.TryGet("python", out var py) && py.Available, "python absent");
            foreach (var pool in pools)
            {
                await using var s = await pool.OpenSessionAsync(new SourceProgram("python", "print(6 * 7)"));
                var r = await s.RunAsync(new RunRequest());
                Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict} {r.Message}");
                Assert.Equal("42\n", r.Stdout);
            }
        }
        finally
        {
            foreach (var pool in pools) if (pool is not null) await pool.DisposeAsync();
            try { Directory.Delete(root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
