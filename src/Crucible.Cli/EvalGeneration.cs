using System.CommandLine;
using Crucible.Agent.Feedback;
using Crucible.Agent.Generation;
using Crucible.Agent.Solving;
using Crucible.Judge;
using Crucible.Sandbox;
using Spectre.Console;

namespace Crucible.Cli;

/// <summary>
/// The generation half of <c>crucible eval --base-url URL --model NAME [--n N] [--strategy S]</c>: draws the samples
/// (plain sampling, or one strategy run per sample with the same budget for every strategy) into
/// <c>OUT/samples.jsonl</c>, resumably, before eval scores them. Kept out of EvalCommand so eval only gains a few lines.
/// </summary>
internal sealed class EvalGeneration
{
    private readonly ModelCommandOptions _model = new();
    private readonly StrategyCommandOptions _strategy = new(defaultStrategy: null);
    private readonly Option<int> _n = new("--n") { Description = "With --base-url: samples generated per problem.", DefaultValueFactory = _ => 1 };

    public void AddTo(Command command)
    {
        command.Options.Add(_n);
        _model.AddTo(command);
        _strategy.AddTo(command);
    }

    /// <summary>--lang: the language of generated samples, and of sample-file entries that do not name one.</summary>
    public string? Language(ParseResult parse) => parse.GetValue(_model.Language) is { Length: > 0 } l ? l.Trim().ToLowerInvariant() : null;

    /// <summary>True when the command line asks eval to generate its samples.</summary>
    public bool Requested(ParseResult parse) => parse.GetValue(_model.BaseUrl) is not null || parse.GetValue(_model.Model) is not null;

    /// <summary>Name of the run's output directory: model, strategy and n, so runs to compare do not overwrite each other.</summary>
    public string RunName(ParseResult parse)
    {
        var model = string.Concat((parse.GetValue(_model.Model) ?? "model").Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return $"{model}-{parse.GetValue(_strategy.Strategy) ?? "sample"}-n{parse.GetValue(_n)}";
    }

    /// <summary>
    /// Generates the missing samples into <c>OUT/samples.jsonl</c> and returns its path; null (after saying why) when
    /// some samples could not be generated, since scoring an incomplete set would misstate pass@k.
    /// </summary>
    public async Task<string?> GenerateAsync(ParseResult parse, IReadOnlyList<Problem> problems, SandboxPool pool, string outDir, bool quiet, CancellationToken ct)
    {
        var n = parse.GetValue(_n);
        var strategyName = parse.GetValue(_strategy.Strategy);
        var template = _model.CreateTemplate(parse);
        var sampling = _model.CreateSampling(parse, severalSamples: n > 1 || (strategyName is not null && StrategyCommandOptions.DrawsSeveral(strategyName)));
        using var client = _model.CreateClient(parse);
        ISampleSource source;
        if (strategyName is null) source = new DirectSampleSource(client, template, sampling, parse.GetValue(_model.Language));
        else
        {
            var settings = _strategy.CreateSettings(parse);
            var options = new SolverOptions
            {
                Template = template, Sampling = sampling, Language = parse.GetValue(_model.Language), Budget = _strategy.CreateBudget(parse), Settings = settings,
            };
            source = new StrategySampleSource(client, new JudgeFeedback(new Judge.Judge(pool)), options, SolveStrategies.Create(strategyName, settings),
                Path.Combine(outDir, "traces"));
        }
        var path = Path.Combine(outDir, "samples.jsonl");
        await using var journal = await SampleJournal.OpenAsync(path, ct);
        foreach (var w in journal.Warnings) ConsoleMode.Error.MarkupLine($"[yellow]warning:[/] {Markup.Escape(w)}");
        var generator = new SampleGenerator(source, new SampleGeneratorOptions { SamplesPerProblem = n, MaxConcurrency = parse.GetValue(_model.Concurrency) });
        var summary = quiet
            ? await generator.GenerateAsync(problems, journal, null, ct)
            : await GenerateCommand.RunWithProgressAsync(generator, problems, journal, ct);
        if (!quiet) GenerateCommand.PrintSummary(summary, path);
        if (summary.FatalError is { } fatal)
        {
            Console.Error.WriteLine("error: " + fatal);
            return null;
        }
        if (!summary.Complete)
        {
            foreach (var m in summary.FailureMessages) Console.Error.WriteLine("failed: " + m);
            Console.Error.WriteLine($"error: {summary.Failed} samples could not be generated; rerun the same command to generate only those, then score.");
            return null;
        }
        return path;
    }
}
