using System.CommandLine;
using System.Globalization;
using Crucible.Agent.Generation;
using Crucible.Bench;
using Crucible.Curation;
using Crucible.Judge;
using Crucible.Sandbox;
using Spectre.Console;

namespace Crucible.Cli;

/// <summary>
/// <c>crucible curate --dataset A [--dataset B …] --out DIR [--eval-set E …] [--base-url URL --model M --n 8]</c>:
/// turns raw problem sets into RL training data through named stages — normalize, filter, deduplicate,
/// decontaminate (with --eval-set), verify, difficulty (with --base-url/--model), select-tests — each writing its
/// decisions under DIR/NN-stage/, then writes train.parquet (verl), deepcoder.json (rllm), problems.jsonl (Crucible)
/// and report.json/report.html, and prints the funnel. Sandbox and model results are kept in DIR/curation.db, so a
/// rerun resumes. Exit code: 0 done, 2 some problems were dropped for infrastructure errors (rerun to retry), 64 bad
/// input, 130 interrupted.
/// </summary>
internal static class CurateCommand
{
    private static readonly string[] AllStages = ["normalize", "filter", "deduplicate", "decontaminate", "verify", "difficulty", "select-tests"];

    public static Command Create()
    {
        var datasets = new Option<FileInfo[]>("--dataset") { Description = "Input dataset (repeatable): any format crucible eval reads (APPS/TACO, CodeContests, LiveCodeBench, DeepCoder/rllm, verl, HumanEval, MBPP, Crucible).", Required = true, AllowMultipleArgumentsPerToken = false };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory: one folder per stage, the training files, the report, curation.db.", Required = true };
        var format = new Option<string?>("--format") { Description = "Format of every --dataset when it cannot be detected." };
        var stages = new Option<string?>("--stages") { Description = $"Stages to run, comma-separated, in this order: {string.Join(",", AllStages)} (default: all that have their inputs: decontaminate needs --eval-set, difficulty needs --base-url/--model)." };
        var evalSets = new Option<FileInfo[]>("--eval-set") { Description = "Evaluation set to decontaminate against (repeatable; any supported format).", AllowMultipleArgumentsPerToken = false };
        var minTests = new Option<int>("--min-tests") { Description = "Fewest tests a problem must have (before and after verification).", DefaultValueFactory = _ => 5 };
        var maxTestSize = new Option<string?>("--max-test-size") { Description = "Remove tests larger than this (input + expected output), e.g. 1m." };
        var languages = new Option<string[]>("--lang") { Description = "Keep only problems in this language (repeatable).", AllowMultipleArgumentsPerToken = false };
        var since = new Option<string?>("--since") { Description = "Keep only problems dated on or after this (yyyy-mm-dd)." };
        var until = new Option<string?>("--until") { Description = "Keep only problems dated on or before this (yyyy-mm-dd)." };
        var threshold = new Option<double>("--dedup-threshold") { Description = "Jaccard similarity of 3-word shingles at which statements are near-duplicates.", DefaultValueFactory = _ => 0.5 };
        var contamination = new Option<double>("--contamination-threshold") { Description = "Share of n-grams (of the shorter text) shared with an evaluation problem at which a problem is contaminated.", DefaultValueFactory = _ => 0.3 };
        var runs = new Option<int>("--runs") { Description = "Runs of the reference per problem; tests whose outcome changes are flaky.", DefaultValueFactory = _ => 3 };
        var repair = new Option<bool>("--repair") { Description = "Replace expected outputs the reference consistently disagrees with (stdin tests) instead of dropping those tests." };
        var timeFactor = new Option<double>("--time-factor") { Description = "Calibrated CPU limit = max(1s, factor × the reference's slowest test).", DefaultValueFactory = _ => 4.0 };
        var parallel = new Option<int>("--parallel") { Description = "Problems verified (and samples judged) at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var server = new Option<string?>("--server") { Description = "Judge through `crucible serve` instance(s): URL[,URL…]. Token from CRUCIBLE_TOKEN." };
        var n = new Option<int>("--n") { Description = "Difficulty: samples per problem.", DefaultValueFactory = _ => 8 };
        var keep = new Option<string>("--keep-pass-rate") { Description = "Difficulty: pass rates kept, e.g. '0<p<1' or '0.1<=p<=0.9'.", DefaultValueFactory = _ => "0<p<1" };
        var tests = new Option<string>("--tests") { Description = "Tests kept for the reward: all, first:N or longest:N (DeepCoder: longest:15).", DefaultValueFactory = _ => "all" };
        var dataSource = new Option<string?>("--data-source") { Description = "data_source written to train.parquet (default: each problem's source; verl routes taco/apps/codecontests/codeforces to prime_code)." };
        var cmd = new Command("curate", "Curate RL training problems: normalize, filter, deduplicate, decontaminate, verify, rate difficulty, select tests; write verl/rllm/Crucible files and a funnel report.")
        {
            datasets, output, format, stages, evalSets, minTests, maxTestSize, languages, since, until, threshold, contamination, runs, repair, timeFactor, parallel, server, n, keep, tests, dataSource,
        };
        var model = new ModelCommandOptions();
        model.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            try
            {
                var inputs = parse.GetValue(datasets) ?? [];
                foreach (var f in inputs.Where(f => !f.Exists)) return Fail($"dataset not found: {f.FullName}");
                var evals = parse.GetValue(evalSets) ?? [];
                foreach (var f in evals.Where(f => !f.Exists)) return Fail($"evaluation set not found: {f.FullName}");
                var generate = parse.GetValue(model.BaseUrl) is not null || parse.GetValue(model.Model) is not null;
                var selected = SelectStages(parse.GetValue(stages), evals.Length > 0, generate);
                var outDir = parse.GetValue(output)!.FullName;
                Directory.CreateDirectory(outDir);
                var parallelism = parse.GetValue(parallel);
                if (parallelism < 1) return Fail("--parallel must be at least 1.");
                var min = parse.GetValue(minTests);
                if (min < 1) return Fail("--min-tests must be at least 1.");

                await using var pool = SandboxPool.Create(new SandboxOptions { MaxSessions = Math.Max(64, parallelism * 2) });
                // Verification must see every test and whole outputs (to repair them); rating only needs pass/fail.
                var verifyJudge = new SandboxSubmissionJudge(new Crucible.Judge.Judge(pool), JudgeOptions.Default with { StopAtFirstFailure = false, PreviewChars = 1 << 16 });
                var rateJudge = new SandboxSubmissionJudge(new Crucible.Judge.Judge(pool), JudgeOptions.Default with { StopAtFirstFailure = true });
                using var client = parse.GetValue(server) is { Length: > 0 } urls ? Crucible.Client.CrucibleClient.Create(urls, Environment.GetEnvironmentVariable("CRUCIBLE_TOKEN")) : null;
                ISubmissionJudge Judging(SandboxSubmissionJudge local) => client is null ? local : new RemoteSubmissionJudge(client, local);
                using var modelClient = generate && selected.Contains("difficulty") ? model.CreateClient(parse) : null;

                var list = new List<ICurationStage>();
                foreach (var name in selected)
                    list.Add(name switch
                    {
                        "normalize" => new NormalizeStage(inputs.Select(f => f.ToString()).ToList(), new DatasetLoadOptions { Format = EvalCommand.ParseFormat(parse.GetValue(format)) }),
                        "filter" => new FilterStage(new FilterOptions
                        {
                            MinTests = min,
                            MaxTestBytes = parse.GetValue(maxTestSize) is { } size ? Sizes.ParseBytes(size) : null,
                            Languages = (parse.GetValue(languages) ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase),
                            Since = Date(parse.GetValue(since), "--since"),
                            Until = Date(parse.GetValue(until), "--until"),
                        }),
                        "deduplicate" => new DeduplicateStage(new DeduplicateOptions { Threshold = parse.GetValue(threshold) }),
                        "decontaminate" => new DecontaminateStage(new DecontaminateOptions { EvalSets = evals.Select(f => f.ToString()).ToList(), Threshold = parse.GetValue(contamination) }),
                        "verify" => new VerifyStage(Judging(verifyJudge), new VerifyOptions
                        {
                            Runs = parse.GetValue(runs), Repair = parse.GetValue(repair), MinTests = min, Parallelism = parallelism,
                            Calibration = new VerifyOptions().Calibration with { Factor = parse.GetValue(timeFactor) },
                        }),
                        "difficulty" => new DifficultyStage(
                            new DirectSampleSource(modelClient!, model.CreateTemplate(parse), model.CreateSampling(parse, severalSamples: true), parse.GetValue(model.Language)),
                            Judging(rateJudge),
                            new DifficultyOptions
                            {
                                Samples = parse.GetValue(n), Keep = PassRateRange.Parse(parse.GetValue(keep)!), Parallelism = Math.Max(parallelism, parse.GetValue(model.Concurrency)),
                                SamplerFingerprint = $"{parse.GetValue(model.BaseUrl)}|{parse.GetValue(model.Model)}|{parse.GetValue(model.Template)}|{parse.GetValue(model.Temperature)}|{parse.GetValue(model.TopP)}|{parse.GetValue(model.MaxTokens)}|{parse.GetValue(model.Seed)}",
                            }),
                        "select-tests" => new SelectTestsStage(TestSelection.Parse(parse.GetValue(tests)!)),
                        _ => throw new ArgumentException($"unknown stage '{name}'"),
                    });

                using var store = CurationStore.Open(Path.Combine(outDir, "curation.db"));
                var progress = new Progress<string>(line => ConsoleMode.Error.MarkupLine("[grey]" + Markup.Escape(line) + "[/]"));
                CurationRun run;
                try
                {
                    run = await new CurationPipeline(list).RunAsync(outDir, store, progress, ct);
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine($"interrupted: finished sandbox and model results are kept in {store.Path}; rerun the same command to resume.");
                    return 130;
                }
                var report = await CurationOutputs.WriteAsync(run, parse.GetValue(dataSource), ct);
                Print(report, outDir);
                return run.Funnel.Sum(f => f.InfrastructureDrops) > 0 ? 2 : 0;
            }
            catch (Exception e) when (e is DatasetException or SandboxException or FormatException or ArgumentException or Crucible.Agent.Models.ModelException)
            {
                return Fail(e.Message);
            }
        });
        return cmd;
    }

    /// <summary>The stages to run, in pipeline order; explicit lists are checked against their inputs.</summary>
    internal static List<string> SelectStages(string? text, bool haveEvalSets, bool haveModel)
    {
        if (string.IsNullOrWhiteSpace(text))
            return AllStages.Where(s => (s != "decontaminate" || haveEvalSets) && (s != "difficulty" || haveModel)).ToList();
        var asked = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).ToList();
        foreach (var s in asked.Where(s => !AllStages.Contains(s)))
            throw new ArgumentException($"--stages: unknown stage '{s}'; stages are {string.Join(", ", AllStages)}.");
        if (asked.Contains("decontaminate") && !haveEvalSets) throw new ArgumentException("--stages includes decontaminate but no --eval-set was given.");
        if (asked.Contains("difficulty") && !haveModel) throw new ArgumentException("--stages includes difficulty but no --base-url/--model was given.");
        if (!asked.Contains("normalize")) asked.Insert(0, "normalize"); // every run starts by reading the datasets
        return AllStages.Where(asked.Contains).ToList();
    }

    private static void Print(CurationReport report, string outDir)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]curation funnel[/]").AddColumns("stage", "in", "kept", "dropped", "drops by reason");
        foreach (var f in report.Funnel)
            table.AddRow(Markup.Escape(f.Stage), f.In.ToString(CultureInfo.InvariantCulture), $"[bold]{f.Kept}[/]", f.Dropped > 0 ? $"[red]{f.Dropped}[/]" : "0",
                Markup.Escape(string.Join(", ", f.DropReasons.Select(r => $"{r.Value} {r.Key}"))));
        AnsiConsole.Write(table);
        foreach (var note in report.OutputNotes.Take(10)) AnsiConsole.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        var infra = report.Funnel.Sum(f => f.InfrastructureDrops);
        if (infra > 0) AnsiConsole.MarkupLine($"[yellow]{infra} problems were dropped for infrastructure errors; rerun the same command to retry them.[/]");
        AnsiConsole.MarkupLine(Markup.Escape($"Wrote {string.Join(", ", report.Outputs.Select(o => $"{o.Key} ({o.Value})"))}, report.html, report.json and provenance.jsonl to {outDir}"));
    }

    private static DateTimeOffset? Date(string? text, string option) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d
        : throw new FormatException($"{option} '{text}' is not a date; use yyyy-mm-dd.");

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 64;
    }
}
