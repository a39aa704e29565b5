using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Crucible.Repos;
using Crucible.Repos.Environments;
using Crucible.Repos.Evaluation;
using Crucible.Repos.Grading;
using Crucible.Repos.Store;
using Crucible.Repos.Tasks;
using Crucible.Sandbox;
using Spectre.Console;

namespace Crucible.Cli;

/// <summary>
/// <c>crucible swe eval --tasks PATH (--predictions FILE | --validate) [--repos DIR] [--env FILE] [--out DIR] [--parallel N]</c>
/// grades SWE-bench-style predictions in the sandbox, without Docker, resumably (OUT/grades.db); <c>crucible swe mine</c>
/// builds tasks from a repository's history (<see cref="SweMineCommand"/>).
/// Exit code: 0 done, 1 --validate found invalid tasks, 2 infrastructure or per-task input errors (rerun to retry),
/// 64 bad input, 130 interrupted (finished grades are kept).
/// </summary>
internal static class SweCommand
{
    public static Command Create()
    {
        var cmd = new Command("swe", "Repository tasks (SWE-bench format): grade predictions without Docker, validate tasks, mine new tasks from git history.");
        cmd.Subcommands.Add(CreateEval());
        cmd.Subcommands.Add(SweMineCommand.Create());
        cmd.Subcommands.Add(SweSolveCommand.Create());
        return cmd;
    }

    private static Command CreateEval()
    {
        var tasks = new Option<string>("--tasks") { Description = "SWE-bench instances (.jsonl or .json; FAIL_TO_PASS/PASS_TO_PASS as lists or JSON strings) or task directories (task.yaml, tests.json, gold.patch, test.patch).", Required = true };
        var predictions = new Option<FileInfo?>("--predictions") { Description = "Predictions as SWE-bench writes them: JSONL of {instance_id, model_name_or_path, model_patch}, a JSON list, or the dict form." };
        var validate = new Option<bool>("--validate") { Description = "Check the tasks instead: gold patch must resolve (graded twice; ids whose outcome changes are flaky), empty patch must not." };
        var repos = new Option<DirectoryInfo?>("--repos") { Description = "Directory holding local clones named owner__name (and optional owner__name.env.yaml specs)." };
        var env = new Option<FileInfo?>("--env") { Description = "Environment spec (YAML) for every task: interpreter, env, pre_test, test_command, limits." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Directory for grades.db (resume) and reports (default: crucible-out/swe-<predictions>)." };
        var parallel = new Option<int>("--parallel") { Description = "Tasks graded at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "Print the summary JSON to stdout instead of tables." };
        var cmd = new Command("eval", "Grade predictions on repository tasks in the sandbox (FAIL_TO_PASS/PASS_TO_PASS from pytest's JUnit XML), or --validate the tasks.")
        {
            tasks, predictions, validate, repos, env, output, parallel, json,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            try
            {
                var predFile = parse.GetValue(predictions);
                var validating = parse.GetValue(validate);
                if ((predFile is null) == !validating) return Fail("give --predictions FILE to grade, or --validate to check the tasks themselves (not both).");
                var n = parse.GetValue(parallel);
                if (n < 1) return Fail("--parallel must be at least 1.");
                var taskList = TaskLoader.Load(parse.GetValue(tasks)!);
                var predList = predFile is null ? [] : PredictionLoader.Load(predFile.FullName);
                if (predFile is not null) SweEvaluator.CheckPredictions(taskList, predList, predFile.FullName);
                var sources = new RepositorySources(parse.GetValue(repos)?.FullName, parse.GetValue(env)?.FullName);
                var outDir = parse.GetValue(output)?.FullName ?? Path.Combine("crucible-out", "swe-" + (validating ? "validate" : Path.GetFileNameWithoutExtension(predFile!.Name)));
                Directory.CreateDirectory(outDir);
                var quiet = parse.GetValue(json);

                await using var pool = SandboxPool.Create(new SandboxOptions { MaxParallelRuns = n, MaxSessions = Math.Max(16, n * 2), WarmRunners = false });
                using var store = GradeStore.Open(Path.Combine(outDir, "grades.db"));
                var evaluator = new SweEvaluator(new TaskGrader(pool, sources), store, n);
                var total = validating ? taskList.Count * 3 : predList.Count;
                if (!quiet) AnsiConsole.MarkupLine($"[bold]{taskList.Count}[/] tasks, {(validating ? "validating (gold ×2, empty)" : $"{predList.Count} predictions")}; {n} at once; results in {Markup.Escape(outDir)}");
                var progress = new SweProgress(total, quiet);
                try
                {
                    if (validating) return await ValidateAsync(evaluator, taskList, outDir, progress, quiet, ct);
                    var outcomes = !quiet && ConsoleMode.Interactive
                        ? await AnsiConsole.Progress().StartAsync(async live =>
                        {
                            progress.Bar = live.AddTask("grading", maxValue: total);
                            return await evaluator.EvaluateAsync(taskList, predList, progress.Report, ct);
                        })
                        : await evaluator.EvaluateAsync(taskList, predList, progress.Report, ct);
                    var model = predList.Select(p => p.ModelName).FirstOrDefault() ?? "model";
                    var summary = SweSummary.Compute(model, taskList.Count, outcomes);
                    SweReportWriter.Write(outDir, summary, outcomes);
                    if (quiet) Console.WriteLine(summary.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                    else PrintSummary(summary, outcomes, outDir);
                    return summary.InfraErrorIds.Count + summary.InputErrors.Count > 0 ? 2 : 0;
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine($"interrupted: {store.Count()} grades are saved in {store.Path}; rerun the same command to resume.");
                    return 130;
                }
            }
            catch (Exception e) when (e is RepositoryInputException or SandboxException)
            {
                return Fail(e.Message);
            }
        });
        return cmd;
    }

    private static async Task<int> ValidateAsync(SweEvaluator evaluator, IReadOnlyList<RepositoryTask> tasks, string outDir, SweProgress progress, bool quiet, CancellationToken ct)
    {
        var results = await evaluator.ValidateAsync(tasks, progress.Report, ct);
        var report = SweReportWriter.ValidationJson(results);
        File.WriteAllText(Path.Combine(outDir, "validation.json"), report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        TaskWriter.WriteInstances(Path.Combine(outDir, "validated.jsonl"), results.Where(v => v.Valid).Select(v => v.WithoutFlaky()));
        if (quiet) Console.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        else
        {
            var table = new Table().AddColumns("task", "gold", "gold (2nd)", "empty", "flaky ids", "verdict");
            foreach (var v in results)
                table.AddRow(Markup.Escape(v.Task.InstanceId), Name(v.Gold1), Name(v.Gold2), Name(v.Empty), v.FlakyIds.Count.ToString(CultureInfo.InvariantCulture),
                    v.Valid ? "[green]valid[/]" : $"[red]{Markup.Escape(v.Reason)}[/]");
            AnsiConsole.Write(table);
            foreach (var v in results.Where(v => v.FlakyIds.Count > 0))
                AnsiConsole.MarkupLine($"[yellow]flaky[/] {Markup.Escape(v.Task.InstanceId)}: {Markup.Escape(string.Join(", ", v.FlakyIds))}");
            AnsiConsole.MarkupLine($"{results.Count(v => v.Valid)}/{results.Count} valid; valid tasks (flaky ids dropped) in {Markup.Escape(Path.Combine(outDir, "validated.jsonl"))}");
        }
        if (results.Any(v => v.InputError is not null || v.Gold1?.Status == GradeStatus.InfraError || v.Gold2?.Status == GradeStatus.InfraError)) return 2;
        return results.All(v => v.Valid) ? 0 : 1;
    }

    private static string Name(GradeReport? r) => r is null ? "-" : GradeReport.StatusName(r.Status);

    private static void PrintSummary(SweSummary s, IReadOnlyList<TaskOutcome> outcomes, string outDir)
    {
        var table = new Table().AddColumns("task", "status", "F2P", "P2P", "why");
        foreach (var o in outcomes.OrderBy(o => o.Task.InstanceId, StringComparer.Ordinal))
        {
            var r = o.Report;
            var status = r is null ? "[blue]input error[/]" : r.Status switch
            {
                GradeStatus.Resolved => "[green]resolved[/]",
                GradeStatus.Unresolved => "[red]unresolved[/]",
                GradeStatus.Invalid => "[yellow]invalid[/]",
                GradeStatus.NotApplied => "[grey]not applied[/]",
                _ => "[blue]infra error[/]",
            };
            table.AddRow(Markup.Escape(o.Task.InstanceId), status,
                r is null ? "" : $"{r.FailToPassSuccess.Count}/{o.Task.FailToPass.Count}",
                r is null ? "" : $"{r.PassToPassSuccess.Count}/{o.Task.PassToPass.Count}",
                Markup.Escape(Truncate(r?.Reason ?? o.InputError ?? "", 70)));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[bold]{s.ResolvedIds.Count}/{s.TotalInstances} resolved ({s.ResolvedPercent:0.0}%)[/]; {s.InvalidIds.Count} invalid, {s.NotAppliedIds.Count} not applied, " +
                               $"{s.InfraErrorIds.Count} infrastructure errors, {s.InputErrors.Count} input errors");
        AnsiConsole.MarkupLine($"reports: {Markup.Escape(Path.Combine(outDir, "report.html"))}, per-task report.json under {Markup.Escape(outDir)}");
    }

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..n] + "…";

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 64;
    }
}
