namespace Crucible.Repos.Patching;

/// <summary>One file's section of a unified diff: its paths before and after, and the section's text.</summary>
public sealed record PatchedFile(string? OldPath, string? NewPath, string Text)
{
    /// <summary>The file the section leaves behind (the old path when it deletes the file).</summary>
    public string Path => NewPath ?? OldPath ?? "";

    public bool IsNew => OldPath is null;
    public bool IsDeleted => NewPath is null;

    /// <summary>True when the section creates or changes a symbolic link (git mode 120000).</summary>
    public bool IsSymlink { get; init; }

    public bool IsBinary { get; init; }

    /// <summary>Every path the section names (both sides of a rename or copy).</summary>
    public IEnumerable<string> Paths => new[] { OldPath, NewPath }.OfType<string>().Distinct(StringComparer.Ordinal);
}
