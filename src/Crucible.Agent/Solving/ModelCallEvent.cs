using Crucible.Agent.Models;

namespace Crucible.Agent.Solving;

/// <summary>One model call: the full request, the answer (or error) and its accounting.</summary>
public sealed record ModelCallEvent : TraceEvent
{
    public ModelApi Api { get; init; }
    public IReadOnlyList<ModelMessage>? Messages { get; init; }
    public string? Prompt { get; init; }
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Default;

    /// <summary>Hash of the request; replay answers a request with the recorded response of the same fingerprint.</summary>
    public string Fingerprint { get; init; } = "";

    public string? Response { get; init; }

    /// <summary>Tool calls the model made natively; null when none.</summary>
    public IReadOnlyList<ModelToolCall>? ToolCalls { get; init; }

    /// <summary>Names of the tools the request offered; null when none.</summary>
    public IReadOnlyList<ModelTool>? Tools { get; init; }
    public string? FinishReason { get; init; }
    public TokenUsage Usage { get; init; }
    public bool UsageEstimated { get; init; }
    public double LatencyMs { get; init; }
    public int Attempts { get; init; }
    public IReadOnlyList<double> RetryDelaysMs { get; init; } = [];
    public IReadOnlyList<string> AttemptErrors { get; init; } = [];

    /// <summary>Candidate made from the answer, if any.</summary>
    public string? CandidateId { get; init; }

    public ModelErrorKind? ErrorKind { get; init; }
    public string? Error { get; init; }
}
