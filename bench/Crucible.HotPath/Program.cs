using System.Diagnostics;
using Crucible.HotPath;

// Hot-path benchmarks (issue 5). Every benchmark measures Crucible and its baseline in the same run and reports
// the ratio, because absolute numbers on these shared 2-core machines move from run to run.
var which = args.Length > 0 ? args[0] : "all";
var scale = args.Length > 1 && double.TryParse(args[1], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 1.0;
var benches = new Dictionary<string, Func<double, Task>>
{
    ["python-trivial"] = HotPathBenchmarks.PythonTrivialAsync,
    ["function-calls"] = HotPathBenchmarks.FunctionCallsAsync,
    ["cpp-runs"] = HotPathBenchmarks.CppRunsAsync,
    ["latency"] = HotPathBenchmarks.LatencyAsync,
    ["parallelism"] = HotPathBenchmarks.ParallelismAsync,
    ["runner-start"] = RunnerStartBenchmark.RunAsync,
};
if (which == "all")
{
    foreach (var (name, run) in benches)
    {
        Console.WriteLine($"## {name}");
        await run(scale);
        Console.WriteLine();
    }
    return 0;
}
if (!benches.TryGetValue(which, out var bench))
{
    Console.Error.WriteLine($"unknown benchmark '{which}'; choose one of: all, {string.Join(", ", benches.Keys)}");
    return 64;
}
var sw = Stopwatch.StartNew();
await bench(scale);
Console.WriteLine($"(took {sw.Elapsed.TotalSeconds:0.0} s)");
return 0;
