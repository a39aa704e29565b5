using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>
/// What a server's pool must survive as users run it: a state root with a long path (control sockets are bound under
/// it, and a Unix socket address holds ~107 bytes), and many single-run sessions at once, each of which may set up
/// its own work dir in the background after it answered (the uid that set-up takes must be counted against the
/// session slot until it is given back, or a later session finds a slot but no uid: an infrastructure error).
/// </summary>
public sealed class PoolStateTests
{
    private static string LongRoot() =>
        Path.Combine(Path.GetTempPath(), "crucible-a-state-root-with-a-long-name-as-users-have-" + Guid.NewGuid().ToString("N"), "and-one-more-level");

    [Fact]
    public async Task Warm_runners_start_under_a_long_state_root()
    {
        var root = LongRoot();
        await using var pool = SandboxPool.Create(new SandboxOptions { StateRoot = root, PrestartedRunners = 1, Zygotes = false });
        try
        {
            Assert.SkipUnless(pool.WarmEnabled, "warm runners need root and cgroups");
            for (var i = 0; i < 200 && pool.IdleRunners == 0 && pool.LastRunnerStartError is null; i++) await Task.Delay(50);
            Assert.Null(pool.LastRunnerStartError);
            await using var s = await pool.OpenSessionAsync(new SourceProgram("python", "print(6 * 7)"));
            Assert.True(s.HasWarmRunner);
            Assert.Equal("42\n", (await s.RunAsync(new RunRequest())).Stdout);
            Assert.Equal(1, pool.WarmRuns);
        }
        finally
        {
            await pool.DisposeAsync();
            try { Directory.Delete(Path.GetDirectoryName(root)!, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Fact]
    public async Task Zygotes_start_under_a_long_state_root()
    {
        var root = LongRoot();
        await using var pool = SandboxPool.Create(new SandboxOptions { StateRoot = root });
        try
        {
            Assert.SkipUnless(pool.ZygotesEnabled, "zygotes need root and cgroups");
            await using var s = await pool.OpenSessionAsync(new SourceProgram("python", "print(6 * 7)"));
            Assert.Equal("42\n", (await s.RunAsync(new RunRequest())).Stdout);
            Assert.Equal(1, pool.ZygoteRuns);
        }
        finally
        {
            await pool.DisposeAsync();
            try { Directory.Delete(Path.GetDirectoryName(root)!, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private const string EchoLine = "#include <iostream>\n#include <string>\nint main(){ std::string s; std::getline(std::cin, s); std::cout << s << std::endl; }\n";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Many_concurrent_sessions_of_two_runs_never_run_out_of_uids(bool zygotes)
    {
        var root = Path.Combine(Path.GetTempPath(), "crucible-uids-" + Guid.NewGuid().ToString("N")[..8]);
        // Few sessions, so the slot/uid accounting is tight; two runs per session make each start its background
        // set-up (work dir + own runner) and then close before it finished.
        await using var pool = SandboxPool.Create(new SandboxOptions { StateRoot = root, MaxSessions = 3, PrestartedRunners = zygotes ? 0 : 2, Zygotes = zygotes, OwnRunnerFromRun = 2 });
        try
        {
            Assert.SkipUnless(pool.Languages.TryGet("cpp", out var cpp) && cpp.Available, "g++ absent");
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; i < 6; i++)
                {
                    try
                    {
                        // A compiled language: opening a session leases a uid for the (cached) compile.
                        await using var s = await pool.OpenSessionAsync(new SourceProgram("cpp", EchoLine));
                        for (var run = 0; run < 2; run++)
                        {
                            var r = await s.RunAsync(RunRequest.WithStdin($"{worker * 100 + i}\n"));
                            if (r.Stdout != $"{worker * 100 + i}\n") failures.Add($"{r.Verdict} {r.Message}");
                        }
                    }
                    catch (Exception e)
                    {
                        failures.Add($"{e.GetType().Name}: {e.Message}");
                    }
                }
            })));
            Assert.True(failures.IsEmpty, string.Join("\n", failures));
        }
        finally
        {
            await pool.DisposeAsync();
            try { Directory.Delete(root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
