using Crucible.Agent.Repository.Strategies.IterativeRepair;
using Crucible.Agent.Repository.Strategies.OneShot;
using Crucible.Agent.Repository.Strategies.Rerank;
using Crucible.Agent.Repository.Strategies.ToolLoop;

namespace Crucible.Agent.Repository.Repair;

/// <summary>The built-in repository strategies by name.</summary>
public static class RepairStrategies
{
    public static IReadOnlyList<string> Names { get; } = ["oneshot", "rerank", "repair", "tools"];

    public static IRepairStrategy Create(string name, RepairSettings? settings = null)
    {
        var s = settings ?? new RepairSettings();
        s.Validate();
        return name.Trim().ToLowerInvariant() switch
        {
            "oneshot" or "one-shot" => new OneShotStrategy(),
            "rerank" or "agentless" => new RerankStrategy(s.Samples),
            "repair" or "iterative" => new IterativeRepairStrategy(s.Rounds),
            "tools" or "swe-agent" => new ToolLoopStrategy(),
            _ => throw new ArgumentException($"unknown repository strategy '{name}'; choose one of: {string.Join(", ", Names)}."),
        };
    }
}
