namespace Crucible.Agent.Repository.Workspace;

/// <summary>
/// Files of a working tree as the editor sees them: read, write, delete by repository-relative path. Implementations
/// never follow symbolic links (a sandbox workspace writes through the sandbox's own safe file calls).
/// </summary>
public interface IWorkingFiles
{
    /// <summary>The tree's directory on the host (read-only use: the repository map reads it).</summary>
    string Root { get; }

    /// <summary>The file's text, or null when it does not exist.</summary>
    string? ReadText(string relativePath);

    void WriteText(string relativePath, string content);

    void Delete(string relativePath);
}
