using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>A loaded dataset: normalized problems plus where they came from (for resumable runs and reports).</summary>
public sealed class Dataset
{
    private Dictionary<string, Problem>? _byId;

    /// <summary>Short name for reports (the file name without extensions).</summary>
    public required string Name { get; init; }

    public required string Path { get; init; }

    /// <summary>SHA-256 of the file's bytes, for the reproducibility manifest.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The layout the file was read as (detected or given).</summary>
    public required DatasetFormat Format { get; init; }

    public required IReadOnlyList<Problem> Problems { get; init; }

    /// <summary>Problems whose tests still need expected outputs from their reference solution (see <see cref="ReferenceOracle"/>).</summary>
    public IReadOnlyList<OracleRequest> PendingOracles { get; init; } = [];

    /// <summary>Non-fatal findings while loading (problems without tests, unknown fields), each naming the record.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Faults of the dataset found while preparing it (inputs without an expected output, problems with no usable tests).</summary>
    public IReadOnlyList<DatasetIssue> Issues { get; init; } = [];

    /// <summary>Problems dropped by the --since/--until window.</summary>
    public int FilteredOut { get; init; }

    public Problem? Find(string id)
    {
        _byId ??= Problems.GroupBy(p => p.Id).ToDictionary(g => g.Key, g => g.First());
        return _byId.GetValueOrDefault(id);
    }
}
