namespace Crucible.Curation;

/// <summary>One training problem overlapping one evaluation problem: in what (statement or code) and by how much.</summary>
public sealed record ContaminationFinding
{
    public required string TrainKey { get; init; }
    public required string EvalSet { get; init; }
    public required string EvalId { get; init; }

    /// <summary><c>statement</c> or <c>code</c>.</summary>
    public required string Kind { get; init; }
    public required int SharedNgrams { get; init; }

    /// <summary>Shared n-grams ÷ n-grams of the shorter of the two texts.</summary>
    public required double Overlap { get; init; }
}
