using Crucible.Agent.Models;
using Crucible.Agent.Repository.Map;
using Crucible.Agent.Solving;

namespace Crucible.Agent.Repository.Repair;

/// <summary>How a <see cref="RepairSolver"/> samples, limits and configures each run.</summary>
public sealed record RepairOptions
{
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Default;

    /// <summary>Temperature for the extra samples of rerank and localisation (the first sample uses <see cref="Sampling"/>).</summary>
    public float SampleTemperature { get; init; } = 0.8f;

    public SolveBudget Budget { get; init; } = SolveBudget.Unlimited;
    public RepairSettings Settings { get; init; } = new();

    /// <summary>Where parsed symbols are cached; null for no cache.</summary>
    public SymbolCache? SymbolCache { get; init; } = SymbolCache.Default();
}
