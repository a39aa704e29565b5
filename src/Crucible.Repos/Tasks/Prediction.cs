namespace Crucible.Repos.Tasks;

/// <summary>A model's answer to one task, as SWE-bench writes it. A null patch means the model gave none.</summary>
public sealed record Prediction(string InstanceId, string ModelName, string? ModelPatch)
{
    /// <summary>The empty prediction (what <c>--validate</c> checks must not resolve).</summary>
    public static Prediction Empty(string instanceId) => new(instanceId, "empty", "");

    /// <summary>The task's own gold patch as a prediction.</summary>
    public static Prediction Gold(RepositoryTask task) => new(task.InstanceId, "gold", task.GoldPatch);
}
