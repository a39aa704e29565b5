using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Crucible.Agent.Repository.Map;

namespace Crucible.Benchmarks;

/// <summary>
/// The repository map on a generated Python repository (default 500 files): built cold (empty symbol cache: every
/// file parsed by the ast helper) against built from the cache, interleaved in the same run; then ranking for an issue.
/// Reports median wall time, CPU per file (this process plus its waited-for helper processes, from /proc/self/stat)
/// and the cold/cached ratio.
/// Usage: <c>dotnet run -c Release --project bench/Crucible.Benchmarks -- repo-map [--files 500] [--rounds 3]</c>
/// </summary>
internal static class RepoMapBenchmark
{
    public static Command Create()
    {
        var files = new Option<int>("--files") { Description = "Python files in the generated repository.", DefaultValueFactory = _ => 500 };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds.", DefaultValueFactory = _ => 3 };
        var cmd = new Command("repo-map", "Repository map build: cold (parse every file) vs cached (content-hash cache), and ranking.") { files, rounds };
        cmd.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(files), parse.GetValue(rounds), ct));
        return cmd;
    }

    private static async Task<int> RunAsync(int fileCount, int rounds, CancellationToken ct)
    {
        var root = Directory.CreateTempSubdirectory("crucible-bench-repo-").FullName;
        var caches = Directory.CreateTempSubdirectory("crucible-bench-cache-").FullName;
        try
        {
            var lines = Generate(root, fileCount);
            var warmCache = new SymbolCache(Path.Combine(caches, "warm"));
            await new RepositoryMapBuilder(warmCache).BuildAsync(root, ct); // fills the cache (and the page cache)
            var cold = new List<(double Wall, double Cpu)>();
            var cached = new List<(double Wall, double Cpu)>();
            var rank = new List<double>();
            RepositoryMap? map = null;
            for (var r = 0; r < rounds; r++)
            {
                cold.Add(await MeasureAsync(() => new RepositoryMapBuilder(new SymbolCache(Path.Combine(caches, "cold-" + r))).BuildAsync(root, ct)));
                cached.Add(await MeasureAsync(async () => map = await new RepositoryMapBuilder(warmCache).BuildAsync(root, ct)));
                var sw = Stopwatch.StartNew();
                var ranked = map!.Rank("compute_total_17 returns the wrong value when Widget42 is empty; see pkg3/module_17.py");
                _ = map.Render(ranked, 2048);
                rank.Add(sw.Elapsed.TotalSeconds);
            }
            if (map!.Stats.Parsed != 0 || map.Stats.CacheHits != map.Files.Count) throw new InvalidOperationException("the cached build parsed files");
            var (cw, cc) = Median(cold);
            var (hw, hc) = Median(cached);
            Console.WriteLine($"repo-map: {map.Files.Count} files ({lines} lines, {map.Symbols.Values.Sum(s => s.Definitions.Count)} definitions), {rounds} rounds, {Environment.ProcessorCount} cores, medians");
            Console.WriteLine($"  {"cold build (parse every file)",-34} {cw,7:0.000} s wall  {cc / map.Files.Count * 1000,7:0.000} ms CPU/file");
            Console.WriteLine($"  {"cached build (content hash)",-34} {hw,7:0.000} s wall  {hc / map.Files.Count * 1000,7:0.000} ms CPU/file");
            Console.WriteLine($"  {"rank + render 2048 tokens",-34} {rank.Order().ElementAt(rank.Count / 2),7:0.000} s wall");
            Console.WriteLine($"  cached vs cold: {cw / hw:0.0}x faster (wall), {cc / Math.Max(hc, 1e-9):0.0}x less CPU");
            return 0;
        }
        finally
        {
            Directory.Delete(root, true);
            Directory.Delete(caches, true);
        }
    }

    private static async Task<(double Wall, double Cpu)> MeasureAsync(Func<Task> build)
    {
        var cpu = CpuSeconds();
        var sw = Stopwatch.StartNew();
        await build();
        return (sw.Elapsed.TotalSeconds, CpuSeconds() - cpu);
    }

    private static (double, double) Median(List<(double Wall, double Cpu)> xs) =>
        (xs.Select(x => x.Wall).Order().ElementAt(xs.Count / 2), xs.Select(x => x.Cpu).Order().ElementAt(xs.Count / 2));

    /// <summary>User + system CPU of this process and of its exited, waited-for children (the Python helpers).</summary>
    private static double CpuSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14–17 of proc(5) (utime, stime, cutime, cstime) are 11–14 here, counted after the command name.
        var ticks = fields.Skip(11).Take(4).Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
        return ticks / 100.0;
    }

    /// <summary>Packages of modules with classes and functions that call into other modules, deterministic.</summary>
    private static int Generate(string root, int count)
    {
        var lines = 0;
        for (var i = 0; i < count; i++)
        {
            var pkg = $"pkg{i % 10}";
            var sb = new StringBuilder();
            sb.Append($"\"\"\"Module {i}.\"\"\"\nimport math\nfrom pkg{(i + 1) % 10}.module_{(i + 7) % count} import compute_total_{(i + 7) % count}\n\n\n");
            sb.Append($"class Widget{i}:\n    \"\"\"A widget.\"\"\"\n\n    def __init__(self, items):\n        self.items = list(items)\n\n");
            for (var m = 0; m < 6; m++)
                sb.Append($"    def method_{m}(self, x):\n        total = 0\n        for item in self.items:\n            total += item * x + {m}\n        return math.sqrt(abs(total)) + compute_total_{(i + 7) % count}(self.items)\n\n");
            sb.Append($"\ndef compute_total_{i}(values):\n    if not values:\n        return 0\n    return sum(v for v in values if v > {i % 13})\n");
            sb.Append($"\n\ndef helper_{i}(a, b=2):\n    return Widget{(i + 3) % count}([a, b]).method_1(a)\n");
            var dir = Path.Combine(root, pkg);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, $"module_{i}.py"), sb.ToString());
            lines += sb.ToString().Count(c => c == '\n');
        }
        return lines;
    }
}
