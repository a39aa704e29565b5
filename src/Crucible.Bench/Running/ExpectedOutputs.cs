using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// A dataset whose expected outputs are being computed (<see cref="ReferenceOracle.Start"/>), problem by problem: each
/// problem can be judged as soon as its own answers are in, so judging overlaps the reference runs instead of waiting
/// for the slowest of them. <see cref="Completed"/> is the whole dataset, with every issue, once all are answered.
/// </summary>
public sealed class ExpectedOutputs
{
    private readonly IReadOnlyDictionary<string, Task<Problem>> _pending;

    internal ExpectedOutputs(Dataset loaded, IReadOnlyDictionary<string, Task<Problem>> pending, Task<Dataset> completed)
    {
        Loaded = loaded;
        _pending = pending;
        Completed = completed;
    }

    /// <summary>A dataset with nothing left to compute.</summary>
    public static ExpectedOutputs Complete(Dataset dataset)
    {
        if (dataset.PendingOracles.Count > 0)
            throw new InvalidOperationException($"{dataset.Name} still needs expected outputs for {dataset.PendingOracles.Count} problems; use ReferenceOracle.Start.");
        return new ExpectedOutputs(dataset, new Dictionary<string, Task<Problem>>(), Task.FromResult(dataset));
    }

    /// <summary>The dataset as loaded: the problems and their ids (tests of pending problems not yet there).</summary>
    public Dataset Loaded { get; }

    /// <summary>The dataset with every expected output computed and every issue found.</summary>
    public Task<Dataset> Completed { get; }

    /// <summary>The problem with its tests: at once for one that needed no reference run, else when its run is done.</summary>
    public Task<Problem> ProblemAsync(string id) =>
        _pending.TryGetValue(id, out var task) ? task
        : Loaded.Find(id) is { } p ? Task.FromResult(p)
        : throw new KeyNotFoundException($"{Loaded.Name} has no problem {id}");
}
