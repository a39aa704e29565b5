namespace Crucible.Curation;

/// <summary>How the difficulty stage rates problems by model samples.</summary>
public sealed record DifficultyOptions
{
    /// <summary>Samples drawn per problem.</summary>
    public int Samples { get; init; } = 8;

    /// <summary>Pass rates kept.</summary>
    public PassRateRange Keep { get; init; } = PassRateRange.Default;

    /// <summary>Samples generated and judged at once.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>
    /// What identifies the sampler (model, URL, template, temperature …) in the resume key, so samples from one model
    /// are never reused for another.
    /// </summary>
    public string SamplerFingerprint { get; init; } = "";
}
