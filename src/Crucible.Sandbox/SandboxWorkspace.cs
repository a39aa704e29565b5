namespace Crucible.Sandbox;

/// <summary>
/// A writable directory tree that sandboxed commands work in, for tasks that are a whole repository rather than one
/// program: a size-capped tmpfs (as root) owned by this workspace's own sandbox uid, bound read-write at <c>/work</c>
/// for every <see cref="RunAsync"/>. Nothing else of the host is writable by those commands, and no other sandbox sees it.
/// <para>
/// The host fills <see cref="HostPath"/> before the first run (e.g. checking out a tree into it). After a run has
/// happened the tree holds whatever the sandboxed code left, symlinks included: host code must then only use
/// <see cref="ReadFile"/>, <see cref="WriteFile"/> and <see cref="Delete"/>, which refuse to pass through symlinks, and
/// do every other change (git, patch) through <see cref="RunAsync"/>. Dispose removes the tree and releases the uid.
/// </para>
/// </summary>
public sealed class SandboxWorkspace : IAsyncDisposable
{
    private readonly SandboxPool _pool;
    private readonly SessionWorkDir _dir;
    private readonly uint _uid;
    private readonly string _emptyBox;
    private readonly Action _release;
    private int _disposed;

    internal SandboxWorkspace(SandboxPool pool, SessionWorkDir dir, uint uid, string emptyBox, Action release)
    {
        _pool = pool;
        _dir = dir;
        _uid = uid;
        _emptyBox = emptyBox;
        _release = release;
    }

    /// <summary>The directory on the host; inside the sandbox it is <c>/work</c>.</summary>
    public string HostPath => _dir.Path;

    /// <summary>Path of the workspace as sandboxed commands see it.</summary>
    public const string MountPath = "/work";

    /// <summary>
    /// Runs one command in the workspace. Everything in the tree is first handed to the workspace uid (files the host
    /// wrote belong to root), so the command can change any of it and nothing outside it.
    /// </summary>
    public Task<RunResult> RunAsync(WorkspaceCommand command, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Argv.Count == 0) throw new ArgumentException("WorkspaceCommand.Argv is empty.", nameof(command));
        var limits = command.Limits ?? _pool.Options.RunLimits;
        limits.Validate();
        if (Libc.IsRoot) GiveTreeToUid(_dir.Path);
        return _pool.ExecuteAsync(new SandboxCommand
        {
            Argv = command.Argv,
            Uid = _uid,
            Limits = limits,
            BoxDirectory = _emptyBox,
            WorkDirectory = _dir.Path,
            ExtraReadOnlyPaths = command.ReadOnlyPaths,
            Environment = command.Environment,
            Stdin = command.Stdin,
        }, cancellationToken);
    }

    /// <summary>Reads a file (relative to the workspace), or null when absent, too large or reached through a symlink.</summary>
    public byte[]? ReadFile(string relativePath, long maxBytes = 64L << 20) => _dir.ReadFile(relativePath, maxBytes);

    /// <summary>Writes a file, replacing any symlink on the way rather than following it.</summary>
    public void WriteFile(string relativePath, ReadOnlySpan<byte> content) => _dir.WriteFile(relativePath, content);

    /// <summary>Deletes a file or directory tree; a symlink is removed, never followed.</summary>
    public void Delete(string relativePath) => _dir.Delete(relativePath);

    // lchown never follows a link, and linked directories are not descended: a planted link cannot reach host files.
    private void GiveTreeToUid(string root)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.TryPop(out var dir))
        {
            Libc.lchown(dir, _uid, _uid);
            foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo d && d.LinkTarget is null) pending.Push(d.FullName);
                else Libc.lchown(entry.FullName, _uid, _uid);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        _dir.Dispose();
        _release();
        return ValueTask.CompletedTask;
    }
}
