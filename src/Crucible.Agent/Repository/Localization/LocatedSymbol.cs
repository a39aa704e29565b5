namespace Crucible.Agent.Repository.Localization;

/// <summary>A class or function chosen by localisation, with its lines.</summary>
public sealed record LocatedSymbol(string Path, string QualifiedName, int Line, int EndLine);
