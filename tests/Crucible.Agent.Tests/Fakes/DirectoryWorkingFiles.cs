using Crucible.Agent.Repository.Workspace;

namespace Crucible.Agent.Tests.Fakes;

/// <summary>A plain temporary directory as the editor's working files (unit tests of editing without a sandbox).</summary>
public sealed class DirectoryWorkingFiles : IWorkingFiles, IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("crucible-edit-test-").FullName;

    public string? ReadText(string relativePath) => File.Exists(Path.Combine(Root, relativePath)) ? File.ReadAllText(Path.Combine(Root, relativePath)) : null;

    public void WriteText(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public void Delete(string relativePath) => File.Delete(Path.Combine(Root, relativePath));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
