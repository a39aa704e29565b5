namespace Crucible.Agent.Repository.Repair;

/// <summary>The issue to fix: an id (SWE-bench instance id, or a name for a local run) and the problem statement.</summary>
public sealed record RepairIssue(string Id, string ProblemStatement)
{
    /// <summary>Hints (SWE-bench <c>hints_text</c>); shown to the model only when the run asks for it.</summary>
    public string Hints { get; init; } = "";
}
