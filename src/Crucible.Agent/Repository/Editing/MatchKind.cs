namespace Crucible.Agent.Repository.Editing;

/// <summary>Which step of the matching cascade found the SEARCH text (recorded in traces: how sloppy the model was).</summary>
public enum MatchKind
{
    Exact,
    /// <summary>The lines match once leading whitespace is ignored; the replacement is re-indented by the same offset.</summary>
    LeadingWhitespace,
    /// <summary>The search had blank lines at its ends, or blank lines the file does not have (or lacked ones it has).</summary>
    BlankLines,
    /// <summary>The search elided unchanged lines with a <c>...</c> line; each piece matched in order.</summary>
    Elision,
}
