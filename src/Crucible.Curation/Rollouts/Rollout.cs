namespace Crucible.Curation;

/// <summary>
/// One response a trainer sampled for one prompt, with the reward it gave. Read from verl's generation dumps
/// (<c>trainer.validation_data_dir</c> / <c>trainer.rollout_data_dir</c> jsonl: input, output, gts, score, step),
/// verl's <c>main_generation</c> parquet (a <c>responses</c> list per prompt), or rllm-style rows.
/// </summary>
public sealed record Rollout
{
    /// <summary>What groups responses: the dump's prompt id (uid, index …) or, when there is none, the prompt text.</summary>
    public required string PromptId { get; init; }
    public required string Response { get; init; }

    /// <summary>The trainer's reward; null when the row has none (then it counts as an infrastructure error).</summary>
    public double? Reward { get; init; }
    public string? Prompt { get; init; }
    public long? Step { get; init; }
    public string? DataSource { get; init; }

    /// <summary>The reward's ground truth, when the dump carries it (verl's <c>gts</c>): lets Crucible re-judge.</summary>
    public string? GroundTruth { get; init; }

    /// <summary>Why the reward could not be computed, when the dump says (sandbox down, timeout of the reward call …).</summary>
    public string? Error { get; init; }

    /// <summary>Response length in tokens when the dump gives it, else in characters.</summary>
    public required double Length { get; init; }

    /// <summary>Where the row was read, for messages.</summary>
    public string Location { get; init; } = "";
}
