namespace Crucible.Sandbox;

/// <summary>
/// Reads a long-lived helper's output to its end (so the helper never blocks on a full pipe) and keeps only its last
/// few KiB: when a zygote dies, what it last wrote (a Python traceback) goes into the reason its runs failed.
/// </summary>
internal sealed class StreamTail
{
    private const int Keep = 4096;
    private readonly Lock _lock = new();
    private readonly byte[] _ring = new byte[Keep];
    private long _written;

    private StreamTail(Stream stream) => Completion = PumpAsync(stream);

    /// <summary>Completes at end of stream.</summary>
    public Task Completion { get; }

    public static StreamTail Start(Stream stream) => new(stream);

    /// <summary>The last bytes read, as text (trimmed).</summary>
    public string Text
    {
        get
        {
            lock (_lock)
            {
                var n = (int)Math.Min(_written, Keep);
                var bytes = new byte[n];
                for (var i = 0; i < n; i++) bytes[i] = _ring[(_written - n + i) % Keep];
                return System.Text.Encoding.UTF8.GetString(bytes).Trim();
            }
        }
    }

    private async Task PumpAsync(Stream stream)
    {
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                lock (_lock)
                    for (var i = 0; i < n; i++) _ring[_written++ % Keep] = buffer[i];
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }
}
