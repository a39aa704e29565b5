namespace Crucible.Sandbox;

// Repository workspaces (SandboxWorkspace) share the pool's session slots and uids with program sessions.
public sealed partial class SandboxPool
{
    /// <summary>
    /// Opens a writable workspace of at most <paramref name="sizeBytes"/> (a tmpfs cap as root), owned by a uid of
    /// its own for as long as it is open. Waits for a session slot like <see cref="OpenSessionAsync"/>.
    /// </summary>
    public async Task<SandboxWorkspace> OpenWorkspaceAsync(long sizeBytes = 1L << 30, CancellationToken cancellationToken = default)
    {
        if (sizeBytes < 1L << 20) throw new ArgumentOutOfRangeException(nameof(sizeBytes), sizeBytes, "a workspace needs at least 1 MiB");
        await _sessionSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        uint uid = 0;
        try
        {
            if (!_freeUids.TryTake(out uid)) throw new InvalidOperationException("uid pool exhausted despite a free session slot");
            var emptyBox = Path.Combine(_options.StateRoot, "empty-box");
            Directory.CreateDirectory(emptyBox);
            var dir = new SessionWorkDir(Path.Combine(_sessionsRoot, $"{Environment.ProcessId}-{Guid.NewGuid():N}"), uid, sizeBytes);
            Interlocked.Increment(ref _openSessions);
            var taken = uid;
            return new SandboxWorkspace(this, dir, uid, emptyBox, () =>
            {
                Interlocked.Decrement(ref _openSessions);
                _freeUids.Add(taken);
                _sessionSlots.Release();
            });
        }
        catch
        {
            if (uid != 0) _freeUids.Add(uid);
            _sessionSlots.Release();
            throw;
        }
    }
}
