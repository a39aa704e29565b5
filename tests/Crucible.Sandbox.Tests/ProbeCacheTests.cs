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
}
