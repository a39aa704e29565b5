using Crucible.Agent.Repository.Verification;
using Crucible.Agent.Solving;

namespace Crucible.Agent.Repository.Repair;

/// <summary>The outcome of one repository run: the patch (a clean git diff against the base), what verification said, why it stopped, what it cost.</summary>
public sealed record RepairResult
{
    public required string IssueId { get; init; }
    public required string Strategy { get; init; }
    public string Patch { get; init; } = "";
    public RepairStatus Status { get; init; }
    public StopReason StopReason { get; init; }
    public CandidateCheck? Check { get; init; }
    public SolveUsage Usage { get; init; } = new();
    public string? Error { get; init; }
    public required SolveTrace Trace { get; init; }
}
