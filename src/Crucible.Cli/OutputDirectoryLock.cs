namespace Crucible.Cli;

/// <summary>
/// Keeps a second <c>crucible eval</c> out of an --out directory already in use: both would write results.db and
/// the reports at once. The lock is an exclusive advisory lock on a file inside the directory, held for the run and
/// released by the kernel if the process dies, so a crashed run never leaves the directory locked.
/// </summary>
internal sealed class OutputDirectoryLock : IDisposable
{
    private const string FileName = ".crucible-eval.lock";
    private readonly FileStream _file;

    private OutputDirectoryLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, or returns null with the reason (naming the directory and what to do).</summary>
    public static OutputDirectoryLock? TryAcquire(string directory, out string? error)
    {
        try
        {
            // FileShare.None is an exclusive, non-blocking flock on Unix.
            var file = new FileStream(Path.Combine(directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            error = null;
            return new OutputDirectoryLock(file);
        }
        catch (IOException)
        {
            error = $"--out {directory} is in use by another `crucible eval` (it holds {FileName}); wait for it to finish or choose another --out directory.";
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            error = $"--out {directory} is not writable: {e.Message}";
            return null;
        }
    }

    public void Dispose() => _file.Dispose();
}
