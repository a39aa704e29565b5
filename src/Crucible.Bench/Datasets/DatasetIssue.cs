namespace Crucible.Bench;

/// <summary>
/// A fault of the dataset, not of any sample: an input whose expected output could not be computed (named by
/// <see cref="Input"/>), or a problem left with no usable tests (<see cref="Input"/> null). Every one is reported.
/// </summary>
public sealed record DatasetIssue(string ProblemId, string? Input, string Message)
{
    public override string ToString() => Input is null ? $"{ProblemId}: {Message}" : $"{ProblemId} {Input}: {Message}";
}
