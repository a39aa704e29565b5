using Crucible.Agent.Models;

namespace Crucible.Agent.Solving;

/// <summary>The settings of a solve run: enough to replay it.</summary>
public sealed record TraceHeader
{
    public string ProblemId { get; init; } = "";
    public string Strategy { get; init; } = "";
    public StrategySettings Settings { get; init; } = new();

    /// <summary>Knobs of a repository run (null for function-level runs).</summary>
    public Repository.Repair.RepairSettings? Repair { get; init; }
    public string Model { get; init; } = "";
    public string Template { get; init; } = "";
    public string Language { get; init; } = "";
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Default;
    public SolveBudget Budget { get; init; } = SolveBudget.Unlimited;
    public DateTimeOffset StartedAt { get; init; }
}
