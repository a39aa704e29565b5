using System.CommandLine;
using System.Globalization;
using Crucible.Bench;
using Crucible.Judge;
using Crucible.Sandbox;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Crucible.Cli;

/// <summary>
/// <c>crucible eval --dataset FILE (--samples FILE | --reference) [-k 1,10,100] [--parallel N] [--details] [--out DIR]</c>:
/// judges every sample against its problem's tests in the sandbox and reports pass@k with breakdowns, in the
/// console and as report.json, eval_results.json (EvalPlus layout), report.html and, for LiveCodeBench datasets,
/// &lt;samples&gt;_eval.json and _eval_all.json (lcb_runner's layout) under --out. Results are kept in
/// --out/results.db keyed by content, so rerunning the same command resumes and recomputes nothing.
/// With --base-url and --model instead of --samples, the samples are generated first (EvalGeneration).
/// Exit code: 0 done, 1 --reference found broken problems, 2 infrastructure errors left samples unscored (rerun to
/// retry), 64 bad input, 130 interrupted (finished results are kept).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var dataset = new Option<FileInfo>("--dataset") { Description = "Dataset file: jsonl, json or parquet, optionally .gz (HumanEval, HumanEval+/MBPP+, MBPP, LiveCodeBench, APPS/TACO, CodeContests, DeepCoder, verl, Crucible).", Required = true };
        var samples = new Option<FileInfo?>("--samples") { Description = "Samples: EvalPlus-style jsonl ({task_id, solution|completion}) or LiveCodeBench-style JSON ([{question_id, code_list}])." };
        var reference = new Option<bool>("--reference") { Description = "Judge each problem's own reference solution instead of samples; lists the problems whose reference fails." };
        var format = new Option<string?>("--format") { Description = "Dataset format when it cannot be detected: crucible, humaneval, evalplus, mbpp, livecodebench, apps, codecontests, deepcoder, verl." };
        var ks = new Option<string?>("-k") { Description = "pass@k values to report, e.g. 1,10,100 (default: those of 1, 10, 100 the sample counts allow)." };
        var parallel = new Option<int>("--parallel") { Description = "Submissions judged at once (default: the number of cores, and one more while its expected answers are small).", DefaultValueFactory = _ => EvalOptions.DefaultParallelism };
        var details = new Option<bool>("--details") { Description = "Run every test of failing samples and list every sample in the reports (slower)." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Directory for results.db and the reports (default: crucible-out/<dataset>-<samples>)." };
        var since = new Option<string?>("--since") { Description = "Only problems with contest_date on or after this date (yyyy-mm-dd)." };
        var until = new Option<string?>("--until") { Description = "Only problems with contest_date on or before this date (yyyy-mm-dd)." };
        var time = new Option<string?>("--time") { Description = "CPU time per test for every problem, e.g. 2s (default: the dataset's limit, else 2s)." };
        var memory = new Option<string?>("--memory") { Description = "Memory per test when the dataset sets none, e.g. 512m." };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N problems of the dataset." };
        var json = new Option<bool>("--json") { Description = "Print the JSON report to stdout instead of tables." };
        var grader = EvalPlusOptions.GraderOption();
        var evalplusResults = EvalPlusOptions.ResultsOption();
        var server = new Option<string?>("--server") { Description = "Judge through `crucible serve` instance(s): URL[,URL…]; load is spread and failed requests retried on another server. Token from CRUCIBLE_TOKEN." };
        var cmd = new Command("eval", "Evaluate samples (or reference solutions) against a dataset: pass@k, breakdowns, resumable, with JSON/EvalPlus/HTML reports.")
        {
            dataset, samples, reference, format, ks, parallel, details, output, since, until, time, memory, limit, json, server, grader, evalplusResults,
        };
        var generation = new EvalGeneration();
        generation.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            try
            {
                var datasetFile = parse.GetValue(dataset)!;
                var samplesFile = parse.GetValue(samples);
                var useReference = parse.GetValue(reference);
                var generate = generation.Requested(parse);
                if ((samplesFile is null ? 0 : 1) + (useReference ? 1 : 0) + (generate ? 1 : 0) != 1)
                    return Fail("give one of --samples FILE, --reference (judge the dataset's own solutions), or --base-url and --model (generate the samples first).");
                if (Directory.Exists(datasetFile.FullName))
                    return Fail($"--dataset {datasetFile.FullName} is a directory; give the dataset file itself (jsonl, json or parquet, optionally .gz).");
                if (!datasetFile.Exists) return Fail($"dataset not found: {datasetFile.FullName}");
                // EvalPlus's codegen writes a directory (one folder per task, one N.py per sample): read as samples too.
                if (samplesFile is { Exists: false } && !Directory.Exists(samplesFile.FullName)) return Fail($"samples file not found: {samplesFile.FullName}");
                var sampleLanguage = generation.Language(parse);
                if (sampleLanguage is not null && useReference)
                    return Fail("--lang applies to --samples and generated samples; reference solutions carry their own language.");
                var n = parse.GetValue(parallel);
                if (n < 1) return Fail("--parallel must be at least 1.");
                var (kList, explicitK) = ParseKs(parse.GetValue(ks));
                var loadOptions = new DatasetLoadOptions
                {
                    Format = ParseFormat(parse.GetValue(format)),
                    Since = ParseDate(parse.GetValue(since), "--since"),
                    Until = ParseDate(parse.GetValue(until), "--until"),
                };
                var wantDetails = parse.GetValue(details);
                var judgeOptions = JudgeOptions.Default with
                {
                    StopAtFirstFailure = !wantDetails,
                    // Results keep the first failing test's previews only (SampleResult); passing tests need none.
                    PassedTestPreviews = false,
                    CpuTimePerTestOverride = parse.GetValue(time) is { } t ? Sizes.ParseDuration(t) : null,
                    DefaultMemoryBytes = parse.GetValue(memory) is { } m ? Sizes.ParseBytes(m) : JudgeOptions.Default.DefaultMemoryBytes,
                };
                var quiet = parse.GetValue(json);
                var outDir = parse.GetValue(output)?.FullName
                    ?? Path.Combine("crucible-out", DatasetLoader.StemOf(datasetFile.Name) + "-" + (useReference ? "reference" : generate ? generation.RunName(parse) : DatasetLoader.StemOf(samplesFile!.Name)));
                if (File.Exists(outDir)) return Fail($"--out {Path.GetFullPath(outDir)} is a file; --out names a directory for results.db and the reports.");
                try { Directory.CreateDirectory(outDir); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return Fail($"--out {Path.GetFullPath(outDir)} cannot be created: {e.Message}");
                }
                using var outLock = OutputDirectoryLock.TryAcquire(outDir, out var lockError);
                if (outLock is null) return Fail(lockError!);

                var data = await DatasetLoader.LoadAsync(datasetFile.FullName, loadOptions, ct);
                if (parse.GetValue(limit) is { } max)
                {
                    if (max < 1) return Fail("--limit must be at least 1.");
                    var keep = data.Problems.Take(max).Select(p => p.Id).ToHashSet();
                    data = new Dataset
                    {
                        Name = data.Name, Path = data.Path, Sha256 = data.Sha256, Format = data.Format, Warnings = data.Warnings, FilteredOut = data.FilteredOut + data.Problems.Count - keep.Count,
                        Problems = data.Problems.Where(p => keep.Contains(p.Id)).ToList(), PendingOracles = data.PendingOracles.Where(o => keep.Contains(o.ProblemId)).ToList(),
                    };
                }
                if (!quiet)
                {
                    AnsiConsole.MarkupLine($"[bold]{Markup.Escape(data.Name)}[/]: {data.Problems.Count} problems ({data.Format.ToString().ToLowerInvariant()}{(data.FilteredOut > 0 ? $", {data.FilteredOut} filtered out" : "")})");
                    foreach (var w in data.Warnings.Take(10)) AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(w)}");
                    if (data.Warnings.Count > 10) AnsiConsole.MarkupLine($"[yellow]warning:[/] … {data.Warnings.Count - 10} more in report.json");
                }

                await using var pool = SandboxPool.Create(new SandboxOptions { MaxSessions = Math.Max(64, n * 2) });
                if (sampleLanguage is not null && !pool.Languages.TryGet(sampleLanguage, out _))
                    return Fail($"--lang '{sampleLanguage}' is not a language Crucible knows; see `crucible languages`.");
                using var store = ResultStore.Open(Path.Combine(outDir, "results.db"));
                var oracle = new ReferenceOracle(pool, store, EvalPlusOptions.ExpectedOutputCache(pool));
                var computing = data.PendingOracles.Count;
                if (generate)
                {
                    // Prompts go to the model before anything is judged: compute the expected outputs first.
                    if (computing > 0)
                    {
                        if (!quiet) AnsiConsole.MarkupLine($"Computing expected outputs of {computing} problems from their canonical solutions (cached in results.db)…");
                        data = await oracle.CompleteAsync(data, cancellationToken: ct);
                        if (!quiet) EvalPlusOptions.PrintIssues(data);
                        computing = 0;
                    }
                    if (await generation.GenerateAsync(parse, data.Problems, pool, outDir, quiet, ct) is not { } generated) return 2;
                    samplesFile = new FileInfo(generated);
                }
                var sampleSet = useReference ? SampleLoader.FromReferences(data) : await SampleLoader.LoadAsync(samplesFile!.FullName, data, ct, sampleLanguage);
                if (sampleSet.Samples.Count == 0) return Fail($"{data.Name}: no problem has a reference solution to check.");
                // A language no toolchain answers to is the sample file's mistake, not the sandbox's: say so per sample.
                sampleSet = SampleLanguages.KeepKnown(sampleSet, pool.Languages);
                if (sampleSet.Samples.Count == 0)
                    return Fail($"no sample is in a language Crucible knows: {string.Join("; ", sampleSet.Warnings)}");
                if (!quiet) foreach (var w in sampleSet.Warnings) AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(w)}");
                if (!explicitK)
                {
                    var minSamples = sampleSet.Samples.GroupBy(s => s.ProblemId).Min(g => g.Count());
                    kList = kList.Where(k => k == 1 || k <= minSamples).ToList();
                }

                var localJudge = new SandboxSubmissionJudge(new Crucible.Judge.Judge(pool), judgeOptions);
                using var client = parse.GetValue(server) is { Length: > 0 } urls
                    ? Crucible.Client.CrucibleClient.Create(urls, Environment.GetEnvironmentVariable("CRUCIBLE_TOKEN")) : null;
                ISubmissionJudge judge = client is null ? localJudge : new RemoteSubmissionJudge(client, localJudge);
                var extraLight = parse.GetResult(parallel) is { Implicit: false } ? 0 : 1; // an explicit --parallel N is exactly N
                var evaluator = new Evaluator(judge, store, new EvalOptions { Parallelism = n, ExtraLightSubmissions = extraLight, Grader = EvalPlusOptions.ParseGrader(parse.GetValue(grader)) });
                EvalRun run;
                try
                {
                    // Samples need only the problems' ids: the expected outputs are computed while judging, each problem's
                    // samples starting as soon as its own are in.
                    if (computing > 0 && !quiet)
                        AnsiConsole.MarkupLine($"Computing expected outputs of {computing} problems from their canonical solutions (cached in results.db); each problem is judged as soon as its own are in…");
                    var expected = oracle.Start(data, cancellationToken: ct);
                    run = quiet ? await evaluator.RunAsync(expected, sampleSet, null, ct) : await RunWithProgressAsync(evaluator, expected, sampleSet, ct);
                    data = run.Dataset;
                    if (computing > 0 && !quiet) EvalPlusOptions.PrintIssues(data);
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine($"interrupted: {store.Count()} results are saved in {store.Path}; rerun the same command to resume.");
                    return 130;
                }

                var summary = EvalSummary.Compute(run, kList);
                var manifest = ReproducibilityManifest.Create(run, Limits(judgeOptions, n, extraLight), Toolchains(pool, data, sampleSet), pool.Isolation.ToString(),
                    string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Prepend("crucible")));
                JsonReport.Write(Path.Combine(outDir, "report.json"), run, summary, manifest, wantDetails);
                EvalPlusResults.Write(Path.Combine(outDir, "eval_results.json"), run, summary, manifest, wantDetails);
                HtmlReport.Write(Path.Combine(outDir, "report.html"), run, summary, manifest, wantDetails);
                // lcb_runner's compute_scores reads <samples>_eval_all.json; write it for LiveCodeBench datasets.
                if (data.Format == DatasetFormat.LiveCodeBench)
                    LiveCodeBenchResults.Write(outDir, useReference ? "reference" : DatasetLoader.StemOf(Path.GetFileName(samplesFile!.FullName.TrimEnd('/'))), run);
                if (parse.GetValue(evalplusResults) && !useReference && !generate)
                    EvalPlusResults.Write(EvalPlusOptions.ResultsPath(samplesFile!.FullName), run, summary, manifest, wantDetails);

                if (quiet) Console.WriteLine(JsonReport.ToJson(run, summary, manifest, wantDetails));
                else
                {
                    PrintSummary(run, summary, manifest, outDir, useReference);
                    EvalPlusOptions.PrintGraders(run, summary);
                }
                if (useReference && summary.Problems.Any(p => p.Samples > 0 && p.Correct < p.Samples)) return 1;
                return summary.InfrastructureErrors > 0 ? 2 : 0;
            }
            catch (Exception e) when (e is DatasetException or SandboxException or FormatException or ArgumentException)
            {
                return Fail(e.Message);
            }
        });
        return cmd;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 64;
    }

    private static (List<int> Ks, bool Explicit) ParseKs(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return ([1, 10, 100], false);
        var ks = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) || k < 1)
                throw new FormatException($"-k '{text}': each k must be a positive integer, e.g. -k 1,10,100.");
            ks.Add(k);
        }
        return (ks, true);
    }

    internal static DatasetFormat ParseFormat(string? text) =>
        text is null ? DatasetFormat.Auto
        : Enum.TryParse<DatasetFormat>(text.Replace("-", "").Replace("+", ""), ignoreCase: true, out var f) ? f
        : text.ToLowerInvariant() is "humanevalplus" or "mbppplus" ? DatasetFormat.EvalPlus
        : text.ToLowerInvariant() is "taco" ? DatasetFormat.Apps
        : throw new FormatException($"--format '{text}' is unknown; use crucible, humaneval, evalplus, mbpp, livecodebench, apps, codecontests, deepcoder or verl.");

    private static DateTimeOffset? ParseDate(string? text, string option) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d
        : throw new FormatException($"{option} '{text}' is not a date; use yyyy-mm-dd.");

    private static Dictionary<string, string> Limits(JudgeOptions o, int parallel, int extraLight) => new()
    {
        ["cpu_time_per_test"] = o.CpuTimePerTestOverride is { } t ? $"{t.TotalSeconds:0.###}s (override)" : $"{o.DefaultCpuTimePerTest.TotalSeconds:0.###}s unless the problem sets one",
        ["memory_per_test"] = $"{o.DefaultMemoryBytes / (1024 * 1024)} MiB unless the problem sets one",
        ["stop_at_first_failure"] = o.StopAtFirstFailure ? "yes" : "no",
        ["parallel_submissions"] = parallel.ToString(CultureInfo.InvariantCulture) + (extraLight > 0 ? $" (+{extraLight} while its expected answers are at most {EvalOptions.LightExpectedBytes >> 20} MiB)" : ""),
    };

    private static Dictionary<string, string> Toolchains(SandboxPool pool, Dataset data, SampleSet samples)
    {
        var names = samples.Samples.Select(s => s.Language)
            .Concat(data.Problems.Select(p => p.Language))
            .Concat(data.Problems.SelectMany(p => p.Tests.OfType<CheckerTest>().Select(c => c.CheckerLanguage)));
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (pool.Languages.TryGet(name, out var lang)) result[lang.Id] = lang.Version ?? $"unavailable: {lang.UnavailableReason}";
            else result[name] = "unknown language";
        }
        return new Dictionary<string, string>(result);
    }

    /// <summary>A live bar with rate and ETA on a terminal; plain periodic lines in CI logs and pipes.</summary>
    private static async Task<EvalRun> RunWithProgressAsync(Evaluator evaluator, ExpectedOutputs data, SampleSet samples, CancellationToken ct)
    {
        var interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected
                          && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!interactive)
        {
            var last = DateTime.MinValue;
            var gate = new Lock();
            var progress = new InlineProgress(p =>
            {
                lock (gate)
                {
                    var finished = p.Completed == p.Total;
                    if (!finished && DateTime.UtcNow - last < TimeSpan.FromSeconds(5)) return;
                    last = DateTime.UtcNow;
                    var eta = p.Remaining is { } r ? $", ETA {r:hh\\:mm\\:ss}" : "";
                    Console.WriteLine($"[eval] {p.Completed}/{p.Total} submissions ({p.Reused} reused), {p.Passed} passed, {p.InfrastructureErrors} infra errors, {p.Rate:0.0}/s{eta}");
                }
            });
            return await evaluator.RunAsync(data, samples, progress, ct);
        }
        EvalRun? run = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("judging", maxValue: 1);
                var progress = new InlineProgress(p =>
                {
                    // The bar covers only what is judged now, so rate and ETA are not inflated by reused results.
                    task.MaxValue = Math.Max(1, p.Total - p.Reused);
                    task.Value = p.Completed - p.Reused;
                    task.Description = $"judging ({p.Reused} reused, {p.Passed} passed{(p.InfrastructureErrors > 0 ? $", [yellow]{p.InfrastructureErrors} infra[/]" : "")})";
                });
                run = await evaluator.RunAsync(data, samples, progress, ct);
                task.Value = task.MaxValue;
            });
        return run!;
    }

    private sealed class InlineProgress(Action<EvalProgress> report) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => report(value);
    }

    private sealed class RateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{task.Speed ?? 0:0.0}/s", new Style(Color.Grey));
    }

    private static void PrintSummary(EvalRun run, EvalSummary summary, ReproducibilityManifest manifest, string outDir, bool reference)
    {
        static string P(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        var scores = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(run.Dataset.Name)}[/]").AddColumns("metric", "value");
        foreach (var (k, v) in summary.PassAtK) scores.AddRow($"pass@{k}", $"[bold]{P(v)}[/]");
        if (summary.PassAt1Interval is { } ci) scores.AddRow("pass@1 95% CI", $"{P(ci.Low)} – {P(ci.High)}");
        if (summary.EvalPlusScores is { } plus)
            foreach (var (split, s) in plus)
                foreach (var (k, v) in s) scores.AddRow($"{split} pass@{k}", P(v));
        scores.AddRow("problems scored", summary.Problems.Count(p => p.Samples > 0).ToString(CultureInfo.InvariantCulture));
        scores.AddRow("samples scored", summary.ScoredSamples.ToString(CultureInfo.InvariantCulture));
        scores.AddRow("infrastructure errors", summary.InfrastructureErrors > 0 ? $"[yellow]{summary.InfrastructureErrors} (not scored; rerun to retry)[/]" : "0");
        scores.AddRow("judged / reused", $"{run.Judged} / {run.Reused}");
        scores.AddRow("elapsed", $"{run.Elapsed.TotalSeconds:0.0} s");
        AnsiConsole.Write(scores);

        foreach (var b in summary.Breakdowns)
        {
            var table = new Table().Border(TableBorder.Simple).Title($"by {b.Dimension}").AddColumns(b.Dimension, "problems", "samples", "pass@1");
            foreach (var r in b.Rows) table.AddRow(Markup.Escape(r.Group), r.Problems.ToString(CultureInfo.InvariantCulture), r.Samples.ToString(CultureInfo.InvariantCulture), P(r.PassAt1));
            AnsiConsole.Write(table);
        }
        var verdicts = new Table().Border(TableBorder.Simple).Title("verdicts").AddColumns("outcome", "samples");
        foreach (var (o, c) in summary.Verdicts) verdicts.AddRow(o.ToString(), c.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(verdicts);
        foreach (var note in summary.Notes) AnsiConsole.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");

        if (reference)
        {
            var broken = summary.Problems.Where(p => p.Samples > 0 && p.Correct < p.Samples).ToList();
            if (broken.Count == 0)
                AnsiConsole.MarkupLine($"[green]All {summary.Problems.Count(p => p.Samples > 0)} reference solutions pass their tests.[/]");
            else
            {
                var table = new Table().Border(TableBorder.Rounded).Title($"[red]{broken.Count} broken problems[/] (the reference fails its own tests)").AddColumns("problem", "failure");
                foreach (var p in broken) table.AddRow(Markup.Escape(p.ProblemId), Markup.Escape(p.TypicalFailure ?? ""));
                AnsiConsole.Write(table);
            }
        }
        var m = manifest;
        AnsiConsole.MarkupLine(Markup.Escape(
            $"manifest: dataset sha256 {m.DatasetSha256[..12]}…, samples sha256 {m.SamplesSha256[..Math.Min(12, m.SamplesSha256.Length)]}…, " +
            $"{string.Join(", ", m.Toolchains.Select(t => $"{t.Key} {t.Value}"))}; {m.Limits["cpu_time_per_test"]} CPU/test; " +
            $"{m.Machine.Cores} cores, {m.Machine.MemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB, kernel {m.Machine.Kernel}; Crucible {m.CrucibleVersion}"));
        AnsiConsole.MarkupLine($"Reports: [link]{Markup.Escape(Path.Combine(outDir, "report.html"))}[/], report.json, eval_results.json (results.db resumes reruns)");
    }
}
