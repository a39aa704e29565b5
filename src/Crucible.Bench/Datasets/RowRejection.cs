namespace Crucible.Bench;

/// <summary>A row that produced no problem: where it is, its id when known, and why.</summary>
public sealed record RowRejection(string Location, string? Id, string Reason);
