using Crucible.Judge;

namespace Crucible.Curation;

/// <summary>
/// One problem on its way through the pipeline: the normalized <see cref="Judge.Problem"/>, the dataset it came from,
/// and what the stages learned about it (pass rate, reference time …) as annotations that end up in the outputs.
/// </summary>
public sealed record CurationItem
{
    /// <summary>Unique across every input dataset: <c>dataset:problem-id</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Name of the input dataset (file stem).</summary>
    public required string Dataset { get; init; }

    public required Problem Problem { get; init; }

    /// <summary>Where the problem was read (file and line or row), for provenance.</summary>
    public string Location { get; init; } = "";

    /// <summary>Facts recorded by stages (e.g. <c>pass_rate</c>, <c>reference_cpu_ms</c>), by name.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>A copy with one more annotation.</summary>
    public CurationItem Annotate(string name, string value) =>
        this with { Annotations = new Dictionary<string, string>(Annotations) { [name] = value } };

    /// <summary>The annotation as a number, when present and numeric.</summary>
    public double? Number(string name) =>
        Annotations.TryGetValue(name, out var v) && double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;
}
