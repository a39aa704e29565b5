namespace Crucible.Sandbox;

/// <summary>
/// Control files of a long-lived cgroup (a zygote slot) kept open: each run reads or writes about a dozen of them, and
/// on this path an open (a walk of a long cgroupfs path) cost more than the read itself. Files are opened on first use.
/// </summary>
internal sealed class OpenCgroupFiles : IDisposable
{
    private readonly Dictionary<(string, bool), int> _fds = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    public string ReadText(string path) => CgroupFs.ReadText(Descriptor(path, write: false), path);

    public void WriteText(string path, string text) => CgroupFs.WriteText(Descriptor(path, write: true), path, text);

    private int Descriptor(string path, bool write)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_fds.TryGetValue((path, write), out var fd)) return fd;
            fd = CgroupFs.Open(path, write);
            _fds[(path, write)] = fd;
            return fd;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var fd in _fds.Values) Libc.Close(fd);
            _fds.Clear();
        }
    }
}
