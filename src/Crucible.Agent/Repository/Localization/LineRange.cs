namespace Crucible.Agent.Repository.Localization;

/// <summary>Lines <see cref="From"/>..<see cref="To"/> (1-based, inclusive) of a file.</summary>
public sealed record LineRange(string Path, int From, int To);
