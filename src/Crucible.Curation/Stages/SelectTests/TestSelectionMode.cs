namespace Crucible.Curation;

/// <summary>How <see cref="TestSelection"/> picks tests.</summary>
public enum TestSelectionMode
{
    All,
    First,
    Longest,
}
