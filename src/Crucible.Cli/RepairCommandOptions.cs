using System.CommandLine;
using Crucible.Agent.Models;
using Crucible.Agent.Repository.Repair;
using Crucible.Agent.Solving;

namespace Crucible.Cli;

/// <summary>
/// Options of the repository agent shared by <c>crucible swe solve</c> and <c>crucible fix</c>: the model (the same
/// spelling as every model command), the strategy and its knobs, and the budget (the same options as <c>solve</c>).
/// </summary>
internal sealed class RepairCommandOptions
{
    private readonly ModelCommandOptions _model = new();
    private readonly StrategyCommandOptions _budget = new(defaultStrategy: "repair");

    public Option<string> Strategy { get; } = new("--strategy") { Description = "oneshot | rerank (Agentless: N samples reranked) | repair (test failures fed back) | tools (SWE-agent-style loop).", DefaultValueFactory = _ => "repair" };
    public Option<int> Samples { get; } = new("--samples") { Description = "rerank: edit samples drawn.", DefaultValueFactory = _ => 4 };
    public Option<int> Rounds { get; } = new("--repair-rounds") { Description = "repair: rounds of test failures fed back.", DefaultValueFactory = _ => 2 };
    public Option<int> LocalizationSamples { get; } = new("--localization-samples") { Description = "Samples per localisation step, merged by vote.", DefaultValueFactory = _ => 1 };
    public Option<int> EditRetries { get; } = new("--edit-retries") { Description = "Extra answers per edit when blocks do not apply or break the syntax.", DefaultValueFactory = _ => 2 };
    public Option<int> MaxSteps { get; } = new("--max-steps") { Description = "tools: actions before the loop submits what it has.", DefaultValueFactory = _ => 30 };
    public Option<string> ToolMode { get; } = new("--tool-mode") { Description = "tools: auto (native tool calls, text actions when the server or model has none) | native | text.", DefaultValueFactory = _ => "auto" };
    public Option<bool> NoVerify { get; } = new("--no-verify") { Description = "Skip the reproduction test and regression tests (no test runs; the patch is unverified)." };
    public Option<int> MapTokens { get; } = new("--map-tokens") { Description = "Tokens of repository map shown for localisation.", DefaultValueFactory = _ => 2048 };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[]
                 {
                     _model.BaseUrl, _model.Model, _model.ApiKeyEnv, _model.Temperature, _model.TopP, _model.MaxTokens, _model.Seed, _model.Timeout,
                     _model.MaxRetries, _model.Concurrency, _model.NoLegacyMaxTokens,
                     Strategy, Samples, Rounds, LocalizationSamples, EditRetries, MaxSteps, ToolMode, NoVerify, MapTokens,
                     _budget.MaxSamples, _budget.MaxRounds, _budget.MaxTotalTokens, _budget.WallTime,
                 })
            command.Options.Add(o);
    }

    public OpenAICompatibleClient CreateClient(ParseResult parse) => _model.CreateClient(parse);

    public RepairSettings CreateSettings(ParseResult parse)
    {
        var mode = parse.GetValue(ToolMode)!.Trim().ToLowerInvariant() switch
        {
            "auto" => Agent.Repository.Repair.ToolMode.Auto,
            "native" => Agent.Repository.Repair.ToolMode.Native,
            "text" => Agent.Repository.Repair.ToolMode.Text,
            var other => throw new ArgumentException($"--tool-mode '{other}' is not one of auto, native, text."),
        };
        var settings = new RepairSettings
        {
            Samples = parse.GetValue(Samples), Rounds = parse.GetValue(Rounds), LocalizationSamples = parse.GetValue(LocalizationSamples),
            EditRetries = parse.GetValue(EditRetries), MaxSteps = parse.GetValue(MaxSteps), ToolMode = mode, Verify = !parse.GetValue(NoVerify),
            MapTokens = parse.GetValue(MapTokens),
        };
        settings.Validate();
        return settings;
    }

    public RepairOptions CreateOptions(ParseResult parse)
    {
        var strategy = parse.GetValue(Strategy)!;
        return new RepairOptions
        {
            Sampling = _model.CreateSampling(parse, severalSamples: false),
            Budget = _budget.CreateBudget(parse),
            Settings = CreateSettings(parse),
            SampleTemperature = parse.GetValue(_model.Temperature) is { } t && strategy == "rerank" ? Math.Max(t, 0.01f) : 0.8f,
        };
    }

    public IRepairStrategy CreateStrategy(ParseResult parse, RepairSettings settings) => RepairStrategies.Create(parse.GetValue(Strategy)!, settings);

    /// <summary>
    /// Runs a command body with the exit codes both repository commands share: 130 interrupted, 2 the model server
    /// refused the run (key, URL, model), 64 bad input (the message names the input).
    /// </summary>
    public static async Task<int> RunAsync(Func<Task<int>> body, string interrupted, CancellationToken ct)
    {
        try
        {
            return await body();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine(interrupted);
            return 130;
        }
        catch (ModelException e) when (e.IsFatalForRun)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
        catch (Exception e) when (e is ArgumentException or Repos.RepositoryInputException or FileNotFoundException or DirectoryNotFoundException
                                      or InvalidDataException or InvalidOperationException)
        {
            return Fail(e.Message);
        }
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 64;
    }

    /// <summary>One line per run for the console: status, stop reason, what it cost.</summary>
    public static string Describe(RepairResult r) =>
        $"{r.IssueId}: {r.Status} (stop: {r.StopReason}); {r.Usage.Samples} model calls, {r.Usage.TotalTokens} tokens, {r.Usage.Executions} test runs, {r.Usage.Elapsed.TotalSeconds:F1}s"
        + (r.Error is null ? "" : $"; error: {r.Error}");
}
