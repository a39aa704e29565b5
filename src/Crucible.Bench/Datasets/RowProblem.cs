namespace Crucible.Bench;

/// <summary>A problem read from one row, with the row's location and the loader's warnings about it.</summary>
public sealed record RowProblem(Crucible.Judge.Problem Problem, string Location, IReadOnlyList<string> Warnings);
