namespace Crucible.Curation;

/// <summary>How the decontaminate stage measures overlap with evaluation sets.</summary>
public sealed record DecontaminateOptions
{
    /// <summary>Evaluation set files (any format Crucible loads): HumanEval(+), MBPP(+), LiveCodeBench windows …</summary>
    public IReadOnlyList<string> EvalSets { get; init; } = [];

    /// <summary>Words per statement n-gram.</summary>
    public int StatementNgram { get; init; } = 10;

    /// <summary>Tokens per code n-gram.</summary>
    public int CodeNgram { get; init; } = 12;

    /// <summary>
    /// Overlap (shared n-grams ÷ n-grams of the shorter text) at or above which a training problem is contaminated.
    /// Dividing by the shorter text flags an evaluation problem pasted inside a longer training statement.
    /// </summary>
    public double Threshold { get; init; } = 0.3;

    /// <summary>Fewest shared n-grams for a finding, so two tiny texts sharing one phrase are not a finding.</summary>
    public int MinShared { get; init; } = 2;

    /// <summary>Compare reference solutions with the evaluation sets' solutions too.</summary>
    public bool CompareCode { get; init; } = true;
}
