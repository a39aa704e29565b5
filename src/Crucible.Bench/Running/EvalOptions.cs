namespace Crucible.Bench;

/// <summary>How an evaluation runs.</summary>
public sealed record EvalOptions
{
    /// <summary>
    /// Submissions of any size judged at once (each one sandbox session): one per core. One more than the cores kept
    /// the cores busier on a generated HumanEval+-sized workload (evalplus-scale wall ratio 1.20-1.41 against
    /// 1.32-1.57), but on the real HumanEval+ it raised the peak from 0.77 to 1.02 GiB: several of its samples hold
    /// outputs of many MB at once (docs/evalplus.md "Session 8"). So the place beyond the cores is for small samples
    /// only (<see cref="ExtraLightSubmissions"/>).
    /// </summary>
    public int Parallelism { get; init; } = DefaultParallelism;

    /// <summary>
    /// Submissions admitted beyond <see cref="Parallelism"/> while their problem's expected answers are small
    /// (<see cref="Admission.LightBytes"/>): they fill the cores' idle hand-offs without raising the peak memory.
    /// </summary>
    public int ExtraLightSubmissions { get; init; } = 1;

    /// <summary>The most expected-answer bytes a problem may have for its samples to take an extra place.</summary>
    public static long LightExpectedBytes => Admission.LightBytes;

    /// <summary>The default of <see cref="Parallelism"/>.</summary>
    public static int DefaultParallelism => Environment.ProcessorCount;

    /// <summary>Whose verdicts score the run (HumanEval+/MBPP+ only; other datasets have one verdict).</summary>
    public Grader Grader { get; init; } = Grader.Strict;
}
