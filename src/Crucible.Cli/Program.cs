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
var parsed = root.Parse(args);
// `serve` answers SIGTERM itself (readiness first, then a drain that may outlast System.CommandLine's 2 s grace,
// after which it would force the exit); every other command is cancelled through its token.
var invocation = parsed.CommandResult.Command.Name == "serve" ? new InvocationConfiguration { ProcessTerminationTimeout = null } : null;
return await parsed.InvokeAsync(invocation);
