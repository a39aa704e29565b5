using Crucible.Judge;

namespace Crucible.Server;

/// <summary>
/// One reward item made ready before admission: either a submission to judge, or the answer it already has
/// (invalid item, or no code to run — which is the model's fault and scores 0).
/// </summary>
internal sealed record RewardPlan(int Index, string? Language, int AvailableTests, int SelectedTests)
{
    public Submission? Submission { get; init; }

    /// <summary>The grading rule the item's data_source selected, or null for the judge's defaults.</summary>
    public string? Grading { get; init; }

    /// <summary>Set when the item needs no judging: its status, outcome and message.</summary>
    public (string Status, string? Outcome, string Error)? Settled { get; init; }
}
