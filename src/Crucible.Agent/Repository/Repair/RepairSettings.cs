namespace Crucible.Agent.Repository.Repair;

/// <summary>The knobs of the repository strategies in one flat record (what the CLI exposes and traces record).</summary>
public sealed record RepairSettings
{
    /// <summary>rerank: edit samples drawn.</summary>
    public int Samples { get; init; } = 4;

    /// <summary>repair: rounds of test failures fed back (1–3 is the useful range).</summary>
    public int Rounds { get; init; } = 2;

    /// <summary>Samples per localisation step, merged by vote.</summary>
    public int LocalizationSamples { get; init; } = 1;

    /// <summary>Extra answers allowed per edit when blocks fail to apply or the lint guard refuses them.</summary>
    public int EditRetries { get; init; } = 2;

    /// <summary>tools: actions before the loop stops (a submit ends it earlier).</summary>
    public int MaxSteps { get; init; } = 30;

    public ToolMode ToolMode { get; init; } = ToolMode.Auto;

    /// <summary>Tokens of repository map shown for file localisation.</summary>
    public int MapTokens { get; init; } = 2048;

    /// <summary>Generate a reproduction test and run the repository's own tests as regression tests.</summary>
    public bool Verify { get; init; } = true;

    /// <summary>Most repository test files run as regression tests (closest to the localised files first).</summary>
    public int MaxRegressionFiles { get; init; } = 20;

    /// <summary>Tool observations kept in full; older ones are folded to one line.</summary>
    public int KeepObservations { get; init; } = 3;

    public void Validate()
    {
        if (Samples < 1) throw new ArgumentException("--samples must be at least 1.");
        if (Rounds < 0) throw new ArgumentException("--rounds must be 0 or more.");
        if (LocalizationSamples < 1) throw new ArgumentException("--localization-samples must be at least 1.");
        if (EditRetries < 0) throw new ArgumentException("--edit-retries must be 0 or more.");
        if (MaxSteps < 1) throw new ArgumentException("--max-steps must be at least 1.");
        if (MapTokens < 64) throw new ArgumentException("--map-tokens must be at least 64.");
        if (KeepObservations < 1) throw new ArgumentException("--keep-observations must be at least 1.");
    }
}
