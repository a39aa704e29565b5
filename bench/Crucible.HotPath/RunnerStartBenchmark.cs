using System.Diagnostics;
using Crucible.Sandbox;

namespace Crucible.HotPath;

/// <summary>
/// What starting one warm runner costs, forked from a zygote vs started in a bubblewrap sandbox of its own (the
/// fallback), in the same run, batches of the two interleaved. CPU is the sandbox's own processes' (cgroup accounting:
/// bash launcher after it joins the cgroup, bubblewrap, setpriv, Python; or the zygote's fork and the runner) plus
/// this host process's; a start is counted from the request to the runner's "ready" and its disposal.
/// </summary>
internal static class RunnerStartBenchmark
{
    public static async Task RunAsync(double scale)
    {
        int rounds = Math.Max(2, (int)(10 * scale)), perRound = 5;
        var zygote = SandboxPool.Create(new SandboxOptions { StateRoot = Root("zyg"), WarmRunners = true, PrestartedRunners = 0, Zygotes = true });
        var bwrap = SandboxPool.Create(new SandboxOptions { StateRoot = Root("bwrap"), WarmRunners = true, PrestartedRunners = 0, Zygotes = false });
        try
        {
            if (!zygote.WarmEnabled || !zygote.ZygotesEnabled)
            {
                Console.WriteLine("warm runners from zygotes need root, cgroups, the system Python and a C compiler at build time: skipped");
                return;
            }
            // A uid of our own, leased machine-wide like a pool's session uids, so no other pool's session shares it.
            using var lease = new UidLease(zygote.Options.BaseUid, 1, UidLease.DefaultLockDirectory(zygote.Options.StateRoot));
            var uid = lease.Uids[0];
            using var zygoteWork = WorkDir(zygote, uid);
            using var bwrapWork = WorkDir(bwrap, uid);
            // Warm-up: the zygote pool's first start also waits for its Python zygote to come up.
            await BatchAsync(zygote, uid, zygoteWork, 1);
            await BatchAsync(bwrap, uid, bwrapWork, 1);
            var z = new Totals();
            var b = new Totals();
            for (var r = 0; r < rounds; r++)
            {
                z.Add(await BatchAsync(zygote, uid, zygoteWork, perRound));
                b.Add(await BatchAsync(bwrap, uid, bwrapWork, perRound));
            }
            Console.WriteLine($"warm runner start (to ready, then disposed), {rounds} × {perRound} starts per path, interleaved");
            Console.WriteLine("| path | starts | sandbox CPU ms/start | host CPU ms/start | total CPU ms/start | wall ms/start | zygote children |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            z.Row("forked from the Python zygote");
            b.Row("bubblewrap sandbox of its own (fallback)");
            Console.WriteLine($"total CPU per start, bubblewrap / zygote: {b.TotalMs / z.TotalMs:0.0}×; wall: {b.WallMs / z.WallMs:0.0}×");
        }
        finally
        {
            foreach (var pool in new[] { zygote, bwrap })
            {
                var root = pool.Options.StateRoot;
                await pool.DisposeAsync();
                try { Directory.Delete(root, true); } catch (IOException) { }
            }
        }
    }

    private static string Root(string tag) => Path.Combine(Path.GetTempPath(), $"crucible-bench-rs-{tag}-{Guid.NewGuid():N}"[..40]);

    private static SessionWorkDir WorkDir(SandboxPool pool, uint uid) =>
        new(Path.Combine(pool.Options.StateRoot, "sessions", $"{ProcessStamp.Current}-bench"), uid, pool.Options.WorkDirBytes, pool.Options.WorkDirInodes);

    private static async Task<(int Starts, int FromZygote, TimeSpan Sandbox, TimeSpan Host, TimeSpan Wall)> BatchAsync(SandboxPool pool, uint uid, SessionWorkDir work, int count)
    {
        var sandbox0 = pool.SandboxCpuTime ?? TimeSpan.Zero;
        var host0 = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var fromZygote = 0;
        for (var i = 0; i < count; i++)
        {
            using var runner = await pool.StartRunnerAsync(uid, work, CancellationToken.None);
            if (runner.FromZygote) fromZygote++;
        }
        wall.Stop();
        return (count, fromZygote, (pool.SandboxCpuTime ?? TimeSpan.Zero) - sandbox0, Process.GetCurrentProcess().TotalProcessorTime - host0, wall.Elapsed);
    }

    private sealed class Totals
    {
        private int _starts, _fromZygote;
        private TimeSpan _sandbox, _host, _wall;

        public void Add((int Starts, int FromZygote, TimeSpan Sandbox, TimeSpan Host, TimeSpan Wall) b)
        {
            _starts += b.Starts;
            _fromZygote += b.FromZygote;
            _sandbox += b.Sandbox;
            _host += b.Host;
            _wall += b.Wall;
        }

        public double TotalMs => (_sandbox + _host).TotalMilliseconds / _starts;
        public double WallMs => _wall.TotalMilliseconds / _starts;

        public void Row(string name) =>
            Console.WriteLine($"| {name} | {_starts} | {_sandbox.TotalMilliseconds / _starts:0.0} | {_host.TotalMilliseconds / _starts:0.0} | {TotalMs:0.0} | {WallMs:0.0} | {_fromZygote} |");
    }
}
