namespace Crucible.Curation;

/// <summary>The responses to one prompt and what a group-relative trainer makes of them.</summary>
public sealed record RolloutGroup
{
    public required string PromptId { get; init; }

    /// <summary>The prompt text, when the dump carries it.</summary>
    public string? Prompt { get; init; }

    /// <summary>Responses with a reward (those the advantages are computed over).</summary>
    public required int N { get; init; }

    /// <summary>Responses without a usable reward (infrastructure errors).</summary>
    public int InfrastructureErrors { get; init; }
    public required double Mean { get; init; }

    /// <summary>Sample standard deviation (n − 1), as verl's GRPO computes it with torch.std.</summary>
    public required double Std { get; init; }

    /// <summary>True when every reward is equal: every advantage is zero, the prompt teaches nothing this step.</summary>
    public bool ZeroVariance => N > 0 && Std == 0;

    /// <summary>Responses whose reward reaches the pass threshold.</summary>
    public required int Passes { get; init; }

    /// <summary>Unbiased pass@k (Chen et al.) for each k ≤ N.</summary>
    public required IReadOnlyDictionary<int, double> PassAtK { get; init; }

    /// <summary>(r − mean) / (std + ε), in response order.</summary>
    public required IReadOnlyList<double> GrpoAdvantages { get; init; }

    /// <summary>n/(n − 1)·(r − mean) = r − mean of the others, in response order.</summary>
    public required IReadOnlyList<double> RlooAdvantages { get; init; }
}
