using System.Text.Json.Serialization;

namespace Crucible.Agent.Solving;

/// <summary>One step of a solve run, in the order it happened.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ModelCallEvent), "model_call")]
[JsonDerivedType(typeof(ExecutionEvent), "execution")]
[JsonDerivedType(typeof(DecisionEvent), "decision")]
[JsonDerivedType(typeof(EditEvent), "edit")]
[JsonDerivedType(typeof(TestRunEvent), "test_run")]
public abstract record TraceEvent
{
    /// <summary>Position in the trace (0-based); concurrent steps are numbered as they complete.</summary>
    public int Sequence { get; init; }

    /// <summary>Milliseconds since the run started.</summary>
    public double AtMs { get; init; }

    /// <summary>What the step was for, e.g. <c>sample</c>, <c>refine</c>, <c>codet/tests</c>.</summary>
    public string Purpose { get; init; } = "";
}
