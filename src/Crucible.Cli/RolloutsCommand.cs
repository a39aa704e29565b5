using System.CommandLine;
using System.Globalization;
using Crucible.Bench;
using Crucible.Curation;
using Crucible.Judge;
using Crucible.Sandbox;
using Spectre.Console;

namespace Crucible.Cli;

/// <summary>
/// <c>crucible rollouts stats FILE [--out DIR] [--rejudge]</c>: reads a trainer's rollout dump (verl generation jsonl,
/// verl main_generation parquet, rllm-style rows) and reports per-prompt GRPO and RLOO advantages, the share of
/// zero-variance prompts, pass@k, reward against response length and infrastructure errors; with --rejudge, judges
/// the responses that carry their ground truth with Crucible and lists reward disagreements. Writes rollouts.json
/// and rollouts.html. Exit code: 0 done, 64 bad input.
/// </summary>
internal static class RolloutsCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Rollouts: jsonl, json or parquet (e.g. verl's trainer.rollout_data_dir/<step>.jsonl)." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Directory for rollouts.json and rollouts.html (default: next to FILE, <stem>-stats)." };
        var rejudge = new Option<bool>("--rejudge") { Description = "Re-judge responses that carry their ground truth (verl's gts) in the sandbox and list reward disagreements." };
        var threshold = new Option<double>("--pass-threshold") { Description = "Reward at or above which a response counts as solved.", DefaultValueFactory = _ => 1.0 };
        var epsilon = new Option<double>("--epsilon") { Description = "ε of GRPO's (r − mean)/(std + ε).", DefaultValueFactory = _ => 1e-6 };
        var parallel = new Option<int>("--parallel") { Description = "Responses re-judged at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var server = new Option<string?>("--server") { Description = "Re-judge through `crucible serve` instance(s): URL[,URL…]." };
        var json = new Option<bool>("--json") { Description = "Print the JSON report to stdout instead of tables." };
        var stats = new Command("stats", "Per-prompt GRPO/RLOO advantages, zero-variance share, pass@k, reward vs length, infra errors; optional re-judging.")
        {
            file, output, rejudge, threshold, epsilon, parallel, server, json,
        };
        stats.SetAction(async (parse, ct) =>
        {
            try
            {
                var input = parse.GetValue(file)!;
                if (!input.Exists) return Fail($"rollouts file not found: {input.FullName}");
                var options = new RolloutStatsOptions { PassThreshold = parse.GetValue(threshold), Epsilon = parse.GetValue(epsilon) };
                var read = RolloutReader.Read(input.FullName);
                if (read.Rollouts.Count == 0)
                    return Fail($"{input.Name}: no rollouts read ({read.Problems.Count} rows unreadable{(read.Problems.Count > 0 ? ": " + read.Problems[0] : "")}).");
                var s = RolloutStats.Compute(read.Rollouts, options);
                RejudgeResult? rejudged = null;
                if (parse.GetValue(rejudge))
                {
                    await using var pool = SandboxPool.Create(new SandboxOptions { MaxSessions = Math.Max(64, parse.GetValue(parallel) * 2) });
                    var local = new SandboxSubmissionJudge(new Crucible.Judge.Judge(pool), JudgeOptions.Default with { StopAtFirstFailure = true });
                    using var client = parse.GetValue(server) is { Length: > 0 } urls ? Crucible.Client.CrucibleClient.Create(urls, Environment.GetEnvironmentVariable("CRUCIBLE_TOKEN")) : null;
                    ISubmissionJudge judge = client is null ? local : new RemoteSubmissionJudge(client, local);
                    rejudged = await new RewardRejudge(judge, parse.GetValue(parallel)).RunAsync(read.Rollouts, options, ct);
                }
                var outDir = parse.GetValue(output)?.FullName ?? Path.Combine(input.DirectoryName ?? ".", DatasetLoader.StemOf(input.Name) + "-stats");
                await RolloutReport.WriteAsync(outDir, input.Name, s, read, rejudged, ct);
                if (parse.GetValue(json)) Console.WriteLine(RolloutReport.ToJson(input.Name, s, read, rejudged).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                else Print(s, read, rejudged, outDir);
                return 0;
            }
            catch (Exception e) when (e is DatasetException or SandboxException or FormatException or ArgumentException)
            {
                return Fail(e.Message);
            }
        });
        return new Command("rollouts", "Analyse RL rollouts dumped by a trainer (verl, rllm).") { stats };
    }

    private static void Print(RolloutStats s, RolloutFile read, RejudgeResult? rejudged, string outDir)
    {
        static string P(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]rollouts[/]").AddColumns("metric", "value");
        table.AddRow("rollouts / prompts", $"{s.Rollouts} / {s.Prompts}");
        table.AddRow("mean reward", s.MeanReward.ToString("0.###", CultureInfo.InvariantCulture));
        table.AddRow("zero-variance prompts", $"[bold]{P(s.ZeroVarianceFraction)}[/] ({s.ZeroVarianceAllSolved} all solved, {s.ZeroVarianceNoneSolved} none solved)");
        foreach (var (k, v) in s.MeanPassAtK) table.AddRow($"pass@{k}", P(v));
        table.AddRow("reward–length correlation", s.LengthRewardCorrelation?.ToString("0.###", CultureInfo.InvariantCulture) ?? "n/a");
        table.AddRow("infrastructure errors", s.InfrastructureErrors > 0 ? $"[yellow]{s.InfrastructureErrors}[/]" : "0");
        if (read.Problems.Count > 0) table.AddRow("unreadable rows", $"[yellow]{read.Problems.Count}[/]");
        if (rejudged is not null) table.AddRow("re-judged / disagreements", $"{rejudged.Judged} / [bold]{rejudged.Disagreements.Count}[/] ({rejudged.Unjudgeable} could not be judged)");
        AnsiConsole.Write(table);
        var lengths = new Table().Border(TableBorder.Simple).Title("reward by response length").AddColumns("length", "responses", "mean reward");
        foreach (var (range, count, mean) in s.RewardByLength) lengths.AddRow(range, count.ToString(CultureInfo.InvariantCulture), mean.ToString("0.###", CultureInfo.InvariantCulture));
        AnsiConsole.Write(lengths);
        foreach (var e in s.ErrorSamples.Take(3)) AnsiConsole.MarkupLine($"[yellow]infra:[/] {Markup.Escape(e)}");
        foreach (var d in rejudged?.Disagreements.Take(5) ?? [])
            AnsiConsole.MarkupLine(Markup.Escape($"disagreement: {d.Location}: trainer reward {d.TrainerReward}, Crucible {d.CrucibleOutcome}"));
        AnsiConsole.MarkupLine(Markup.Escape($"Reports: {Path.Combine(outDir, "rollouts.html")}, rollouts.json"));
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 64;
    }
}
