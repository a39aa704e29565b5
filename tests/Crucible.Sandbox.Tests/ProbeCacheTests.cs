using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>
/// `crucible run` remembers a toolchain's probe under a key of the binary's path, size and mtime, so a second process
/// does not start the toolchain again; a probe it cannot trust (nothing cached, no cache directory) is made afresh.
/// </summary>
public sealed class ProbeCacheTests
{
    [Fact]
    public void A_second_process_reads_the_probe_from_the_cache_and_only_then()
    {
        var dir = Path.Combine(Path.GetTempPath(), "crucible-probes-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var first = LanguageRegistry.ProbingOnly("python", dir).Require("python");
            Assert.SkipUnless(first.Available, "python absent");
            var entry = Assert.Single(Directory.GetFiles(dir, "*.version"));
            Assert.Equal(first.Version, File.ReadAllText(entry));

            // What the cache says is what the next registry reports: it did not ask python3 again.
            File.WriteAllText(entry, "Python 0.0-from-the-cache");
            Assert.Equal("Python 0.0-from-the-cache", LanguageRegistry.ProbingOnly("python", dir).Require("python").Version);

            // Without a cache directory the toolchain is asked.
            Assert.Equal(first.Version, LanguageRegistry.ProbingOnly("python").Require("python").Version);
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    [Fact]
    public void The_whole_registry_probes_each_toolchain_once_and_reads_the_cache_after()
    {
        var dir = Path.Combine(Path.GetTempPath(), "crucible-probes-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var first = LanguageRegistry.Detect(dir);
            var found = first.All.Where(l => l.Available).ToList();
            Assert.SkipWhen(found.Count == 0, "no toolchain on this machine");
            // One remembered probe per toolchain found (a missing one is asked again next time).
            Assert.Equal(found.Count, Directory.GetFiles(dir, "*.version").Length);

            foreach (var f in Directory.GetFiles(dir, "*.version")) File.WriteAllText(f, "from the cache");
            var second = LanguageRegistry.Detect(dir);
            Assert.All(second.All.Where(l => l.Available), l => Assert.Equal("from the cache", l.Version));
            Assert.Equal(found.Select(l => l.Id), second.All.Where(l => l.Available).Select(l => l.Id));

            // crucible languages asks the toolchains themselves.
            Assert.DoesNotContain(LanguageRegistry.DetectNow().All, l => l.Version == "from the cache");
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    [Fact]
    public void The_machine_registry_asks_a_toolchain_only_when_its_language_is_looked_at()
    {
        var dir = Path.Combine(Path.GetTempPath(), "crucible-probes-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var registry = LanguageRegistry.OnDemand(dir);
            Assert.True(registry.TryGet("py", out var python));
            Assert.All(registry.All, l => Assert.False(l.Probed, l.Id));
            Assert.Empty(Directory.Exists(dir) ? Directory.GetFiles(dir) : []);

            Assert.SkipUnless(registry.Require("python").Available, "python absent");
            // Python's version was asked for and remembered; no other toolchain was started.
            Assert.Single(Directory.GetFiles(dir, "*.version"));
            Assert.All(registry.All.Where(l => l.Id != "python"), l => Assert.False(l.Probed, l.Id));

            // A listing asks the rest, and reports what an eager detection of the same machine reports.
            var listed = registry.All.Select(l => (l.Id, l.Available)).ToList();
            Assert.Equal(LanguageRegistry.Detect(dir).All.Select(l => (l.Id, l.Available)), listed);
            Assert.Equal(listed.Count(l => l.Available), Directory.GetFiles(dir, "*.version").Length);
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_pool_that_runs_python_probes_no_other_toolchain()
    {
        var root = Path.Combine(Path.GetTempPath(), "crucible-probes-pool-" + Guid.NewGuid().ToString("N")[..8]);
        var registry = LanguageRegistry.OnDemand(LanguageRegistry.ProbeCacheDirectory(root));
        try
        {
            await using (var pool = SandboxPool.Create(new SandboxOptions { StateRoot = root, MaxSessions = 4, PrestartedRunners = 1 }, registry))
            {
                Assert.SkipUnless(pool.Languages.Require("python").Available, "python absent");
                await using var s = await pool.OpenSessionAsync(new SourceProgram("python", "print(6 * 7)"));
                var r = await s.RunAsync(new RunRequest());
                Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict} {r.Message}");
                Assert.Equal("42\n", r.Stdout);
                // Zygotes and the prestarted runner were set up for every installed toolchain without asking any.
                Assert.Equal(["python"], registry.All.Where(l => l.Probed).Select(l => l.Id));
            }
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
