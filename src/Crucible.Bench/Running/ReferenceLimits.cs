namespace Crucible.Bench;

/// <summary>The limits a reference solution runs under while computing expected outputs (recorded in the manifest).</summary>
public sealed record ReferenceLimits(TimeSpan CpuPerInput, long MemoryBytes);
