namespace Crucible.Repos.Mining;

/// <summary>
/// Writes the issue text of a mined task. Repos holds no LLM client: a model-backed writer lives in the layer that
/// has one (the CLI), behind this interface.
/// </summary>
public interface IProblemStatementWriter
{
    Task<string> WriteAsync(MinedCandidate candidate, CancellationToken cancellationToken = default);
}
