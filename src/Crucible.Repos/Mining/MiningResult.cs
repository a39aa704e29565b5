using Crucible.Repos.Tasks;

namespace Crucible.Repos.Mining;

/// <summary>A commit examined by the miner: the task it became, or why it was skipped.</summary>
public sealed record MiningResult(string Commit, string Subject, RepositoryTask? Task, string? Skipped);
