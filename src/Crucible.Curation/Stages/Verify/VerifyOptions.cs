using Crucible.Judge;

namespace Crucible.Curation;

/// <summary>How the verify stage checks tests against reference solutions.</summary>
public sealed record VerifyOptions
{
    /// <summary>Runs of the chosen reference; a test whose outcome differs between runs is flaky and dropped.</summary>
    public int Runs { get; init; } = 3;

    /// <summary>
    /// Replace the expected output of a stdin/stdout test with the reference's output when the reference consistently
    /// disagrees with it, instead of dropping the test. Only when the whole output was seen (see <see cref="MaxRepairChars"/>).
    /// </summary>
    public bool Repair { get; init; }

    /// <summary>
    /// Longest output a repair may use. The judge must be built with <see cref="JudgeOptions.PreviewChars"/> at least
    /// this large, so that the preview is the whole output.
    /// </summary>
    public int MaxRepairChars { get; init; } = 1 << 16;

    /// <summary>References tried (first the one in the problem's language); the one passing most tests is kept.</summary>
    public int MaxReferences { get; init; } = 3;

    /// <summary>
    /// Fewest tests that must agree with the reference for the problem to be kept (the filter stage counts tests before
    /// verification; this counts them after).
    /// </summary>
    public int MinTests { get; init; } = 1;

    /// <summary>Problems verified at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Derive the problem's CPU limit from the reference's time (limit = max(Minimum, Factor × slowest kept test)),
    /// the same rule as <see cref="ReferenceCalibration"/>; the reference runs under <see cref="CalibrationOptions.ReferenceLimit"/>.
    /// </summary>
    public bool CalibrateTimeLimits { get; init; } = true;

    public CalibrationOptions Calibration { get; init; } = CalibrationOptions.Default with { Factor = 4, Minimum = TimeSpan.FromSeconds(1), ReferenceLimit = TimeSpan.FromSeconds(10) };

    public void Validate()
    {
        if (Runs < 1) throw new ArgumentException($"verify runs must be at least 1, got {Runs}.");
        if (MaxReferences < 1) throw new ArgumentException($"verify max references must be at least 1, got {MaxReferences}.");
        if (MinTests < 1) throw new ArgumentException($"verify minimum tests must be at least 1, got {MinTests}.");
        if (Parallelism < 1) throw new ArgumentException($"verify parallelism must be at least 1, got {Parallelism}.");
        if (Calibration.Factor <= 0 || Calibration.Minimum <= TimeSpan.Zero || Calibration.ReferenceLimit <= TimeSpan.Zero)
            throw new ArgumentException("calibration factor, minimum and reference limit must be positive.");
    }

    /// <summary>Everything here that changes a verification result, for the resume key.</summary>
    internal string Fingerprint() =>
        FormattableString.Invariant($"runs={Runs};min={MinTests};repair={Repair}/{MaxRepairChars};refs={MaxReferences};cal={CalibrateTimeLimits}/{Calibration.Factor}/{Calibration.Minimum.TotalMilliseconds}/{Calibration.ReferenceLimit.TotalMilliseconds}");
}
