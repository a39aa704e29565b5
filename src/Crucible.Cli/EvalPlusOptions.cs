using System.CommandLine;
using System.Globalization;
using Crucible.Bench;
using Crucible.Sandbox;
using Spectre.Console;

namespace Crucible.Cli;

/// <summary>The HumanEval+/MBPP+ parts of <c>crucible eval</c>: the grader choice, EvalPlus's results file, dataset issues.</summary>
internal static class EvalPlusOptions
{
    public static Option<string?> GraderOption() => new("--grader")
    {
        Description = "HumanEval+/MBPP+ scoring: 'strict' (default; rejects reward hacks such as an object whose __eq__ is always True) " +
                      "or 'evalplus' (the official EvalPlus number, sample for sample). Both are computed; the report lists where they differ.",
    };

    public static Option<bool> ResultsOption() => new("--evalplus-results")
    {
        Description = "Also write EvalPlus's results file where EvalPlus users look for it: <samples>_eval_results.json next to the samples file (eval_results.json inside a samples directory).",
    };

    public static Grader ParseGrader(string? text) => text?.ToLowerInvariant() switch
    {
        null or "strict" => Grader.Strict,
        "evalplus" or "official" => Grader.EvalPlus,
        _ => throw new FormatException($"--grader '{text}' is unknown; use strict or evalplus."),
    };

    /// <summary>EvalPlus's place for results: beside a jsonl samples file, or inside a samples directory.</summary>
    public static string ResultsPath(string samples)
    {
        if (Directory.Exists(samples)) return Path.Combine(samples, "eval_results.json");
        var dir = Path.GetDirectoryName(samples) ?? ".";
        var name = Path.GetFileName(samples);
        foreach (var ext in new[] { ".jsonl", ".json" })
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) return Path.Combine(dir, name[..^ext.Length] + "_eval_results.json");
        return Path.Combine(dir, name + "_eval_results.json");
    }

    /// <summary>Expected outputs shared by every run on this machine (content-addressed), like EvalPlus's ground-truth cache.</summary>
    public static string ExpectedOutputCache(SandboxPool pool) => Path.Combine(pool.Options.StateRoot, "expected-outputs");

    /// <summary>Every dataset issue, one line each: a dropped expected output changes what a score means.</summary>
    public static void PrintIssues(Dataset data)
    {
        if (data.Issues.Count == 0) return;
        AnsiConsole.MarkupLine($"[yellow]{data.Issues.Count} dataset problem(s)[/] (faults of the dataset, not of any sample; also in report.json):");
        foreach (var issue in data.Issues) AnsiConsole.MarkupLine($"  [yellow]dataset:[/] {Markup.Escape(issue.ToString())}");
    }

    public static void PrintGraders(EvalRun run, EvalSummary summary)
    {
        if (summary.OtherGraderScores is not { } other) return;
        static string P(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        var name = run.Grader == Grader.EvalPlus ? "strict" : "official EvalPlus";
        var line = string.Join(", ", other.SelectMany(s => s.Value.Select(kv => $"{s.Key} pass@{kv.Key} {P(kv.Value)}")));
        AnsiConsole.MarkupLine(Markup.Escape($"scored by the {(run.Grader == Grader.EvalPlus ? "official EvalPlus" : "strict")} grader; the {name} grader gives {line}."));
        foreach (var d in summary.GraderDifferences)
            AnsiConsole.MarkupLine($"  [yellow]graders differ:[/] {Markup.Escape($"{d.ProblemId} sample {d.SampleIndex}: {d.Reason}")}");
    }
}
