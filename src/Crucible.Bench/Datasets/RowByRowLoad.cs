namespace Crucible.Bench;

/// <summary>A dataset read row by row (<see cref="DatasetLoader.LoadRowsAsync"/>): the problems, and the rows that gave none, with why.</summary>
public sealed record RowByRowLoad
{
    /// <summary>Short name for reports (the file name without extensions).</summary>
    public required string Name { get; init; }
    public required string Path { get; init; }
    public required string Sha256 { get; init; }

    /// <summary>The layout the rows were read as (<see cref="DatasetFormat.Auto"/> when no row could be read).</summary>
    public required DatasetFormat Format { get; init; }
    public required IReadOnlyList<RowProblem> Problems { get; init; }
    public required IReadOnlyList<RowRejection> Rejections { get; init; }

    /// <summary>Problems whose expected outputs still have to come from their reference (EvalPlus).</summary>
    public IReadOnlyList<OracleRequest> PendingOracles { get; init; } = [];
}
