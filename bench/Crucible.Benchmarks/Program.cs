using System.CommandLine;
using System.Globalization;
using Crucible.Benchmarks;

// One subcommand per benchmark: `dotnet run -c Release --project bench/Crucible.Benchmarks -- <name> [options]`.
// Every benchmark measures Crucible and a baseline side by side in the same run and reports the ratio.
var root = new RootCommand("Crucible benchmarks (each reports a ratio against a baseline measured in the same run).");
root.Subcommands.Add(EvalThroughputBenchmark.Create());
root.Subcommands.Add(SingleShotBenchmark.Create());
root.Subcommands.Add(EvalPlusScaleBenchmark.Create());
root.Subcommands.Add(SweGradeBenchmark.Create());
root.Subcommands.Add(RepoMapBenchmark.Create());
root.Subcommands.Add(CurationBenchmarks.Create());
root.Subcommands.Add(ReplicaThroughputBenchmark.Create());
root.Subcommands.Add(JudgeCostBenchmark.Create());

var rounds = new Argument<int>("rounds") { Description = "Interleaved rounds.", DefaultValueFactory = _ => 3, Arity = ArgumentArity.ZeroOrOne };
var judgeBatch = new Command("judge-batch", "Judge tests/s with all tests of a sample in one process vs one process per test.") { rounds };
judgeBatch.SetAction(async (parse, _) => await JudgeBatchBenchmark.RunAsync([parse.GetValue(rounds).ToString(CultureInfo.InvariantCulture)]));
root.Subcommands.Add(judgeBatch);

return await root.Parse(args).InvokeAsync();
