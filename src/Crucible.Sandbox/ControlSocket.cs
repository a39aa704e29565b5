using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Crucible.Sandbox;

/// <summary>
/// Binds a runner's or zygote's control socket under the state root. A Unix socket address holds at most 107
/// bytes, and a state root of ordinary length (a temp dir, a home dir) already pushes runner paths past it; the
/// name is then bound through the directory's descriptor (/proc/self/fd/N/name), which the kernel resolves the same.
/// </summary>
internal static class ControlSocket
{
    private const int MaxAddressBytes = 100;

    public static void Bind(Socket listener, string path)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(path) <= MaxAddressBytes)
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            return;
        }
        var directory = Path.GetDirectoryName(path)!;
        var fd = Libc.OpenDirectoryPath(directory);
        if (fd < 0) throw new IOException($"cannot open {directory} to bind its control socket: errno {-fd}");
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint($"/proc/self/fd/{fd}/{Path.GetFileName(path)}"));
        }
        finally
        {
            Libc.Close(fd);
        }
    }
}
