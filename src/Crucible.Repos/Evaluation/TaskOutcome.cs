using Crucible.Repos.Grading;
using Crucible.Repos.Tasks;

namespace Crucible.Repos.Evaluation;

/// <summary>One task's result in a run: a grade, or the input error that kept it from being graded (never a grade).</summary>
public sealed record TaskOutcome(RepositoryTask Task, Prediction Prediction, int Round, GradeReport? Report, string? InputError)
{
    /// <summary>True when it was taken from the store rather than graded in this run.</summary>
    public bool Resumed { get; init; }
}
