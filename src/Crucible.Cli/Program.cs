using System.CommandLine;
using Crucible.Cli;

// Each command lives in its own file and is registered here; the CLI only wires libraries together.
var root = new RootCommand("Crucible: verifiable execution for code LLMs — sandbox, judge, benchmarks, RL rewards, agent.");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(LanguagesCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(LoadtestCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(SolveCommand.Create());
root.Subcommands.Add(SweCommand.Create());
root.Subcommands.Add(FixCommand.Create());
root.Subcommands.Add(CurateCommand.Create());
root.Subcommands.Add(RolloutsCommand.Create());
return await root.Parse(args).InvokeAsync();
