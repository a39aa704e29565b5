using Crucible.Repos.Grading;
using Crucible.Repos.Tasks;

namespace Crucible.Repos.Evaluation;

/// <summary>
/// A task checked with <c>--validate</c>: its gold patch graded twice and the empty patch once. Valid when gold
/// resolves both times and the empty patch does not; test ids whose outcome differs between the two gold runs are flaky.
/// </summary>
public sealed record ValidationResult(RepositoryTask Task, GradeReport? Gold1, GradeReport? Gold2, GradeReport? Empty, string? InputError)
{
    public IReadOnlyList<string> FlakyIds
    {
        get
        {
            if (Gold1 is null || Gold2 is null) return [];
            return Gold1.TestStatuses.Keys.Union(Gold2.TestStatuses.Keys)
                .Where(id => !Gold1.TestStatuses.TryGetValue(id, out var a) || !Gold2.TestStatuses.TryGetValue(id, out var b) || a != b)
                .Order(StringComparer.Ordinal).ToList();
        }
    }

    public bool Valid => InputError is null && Gold1?.Status == GradeStatus.Resolved && Gold2?.Status == GradeStatus.Resolved
                         && Empty is not null && Empty.Status is not (GradeStatus.Resolved or GradeStatus.InfraError);

    public string Reason =>
        InputError ?? (Gold1 is null || Gold2 is null || Empty is null ? "not run"
        : Gold1.Status != GradeStatus.Resolved ? $"gold patch: {GradeReport.StatusName(Gold1.Status)} ({Gold1.Reason})"
        : Gold2.Status != GradeStatus.Resolved ? $"gold patch, second run: {GradeReport.StatusName(Gold2.Status)} ({Gold2.Reason})"
        : Empty.Status == GradeStatus.Resolved ? "the empty patch resolves it: the tests do not check the issue"
        : Empty.Status == GradeStatus.InfraError ? $"empty patch: infrastructure error ({Empty.Reason})"
        : FlakyIds.Count > 0 ? $"valid; {FlakyIds.Count} flaky test ids" : "valid");

    /// <summary>The task with its flaky ids dropped from both lists.</summary>
    public RepositoryTask WithoutFlaky()
    {
        var flaky = FlakyIds.ToHashSet(StringComparer.Ordinal);
        return Task with { FailToPass = Task.FailToPass.Where(x => !flaky.Contains(x)).ToList(), PassToPass = Task.PassToPass.Where(x => !flaky.Contains(x)).ToList() };
    }
}
