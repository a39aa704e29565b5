using System.Text;

namespace Crucible.Agent.Repository.Editing;

/// <summary>What became of one answer's edits: which applied (and how loosely they matched), which failed and why, and whether the guard refused them.</summary>
public sealed record EditReport
{
    public IReadOnlyList<string> Applied { get; init; } = [];
    public IReadOnlyList<string> Failures { get; init; } = [];

    /// <summary>Lint-guard findings; when any, nothing of the answer was written.</summary>
    public IReadOnlyList<string> Refusals { get; init; } = [];

    public IReadOnlyList<string> ChangedFiles { get; init; } = [];

    public bool Written => ChangedFiles.Count > 0 && Refusals.Count == 0;
    public bool Clean => Failures.Count == 0 && Refusals.Count == 0 && Applied.Count > 0;

    /// <summary>The message that tells the model what went wrong, or null when everything applied.</summary>
    public string? Feedback()
    {
        if (Clean) return null;
        var sb = new StringBuilder();
        if (Applied.Count == 0 && Failures.Count == 0 && Refusals.Count == 0)
            sb.Append("Your answer contained no edits. Reply with SEARCH/REPLACE blocks (or a unified diff).\n");
        if (Refusals.Count > 0)
        {
            sb.Append("Your edits were NOT applied: they were rolled back because\n");
            foreach (var r in Refusals) sb.Append("- ").Append(r).Append('\n');
        }
        if (Failures.Count > 0)
        {
            sb.Append(Refusals.Count > 0 || Applied.Count == 0 ? "" : $"{Applied.Count} edit(s) applied, but:\n");
            foreach (var f in Failures) sb.Append(f).Append('\n');
        }
        sb.Append("Send corrected SEARCH/REPLACE blocks; the SEARCH text must copy the current file exactly.");
        return sb.ToString();
    }
}
