using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Crucible.Sandbox.Zygote;

/// <summary>The libc calls only zygote runs need.</summary>
internal static partial class ZygoteNative
{
    private const uint MFD_CLOEXEC = 1;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, uint flags);

    /// <summary>
    /// The submission's code in an anonymous memory file, handed to the run by descriptor: it never touches a file
    /// system and never passes through the zygote's memory.
    /// </summary>
    public static SafeFileHandle CodeFile(ReadOnlySpan<byte> code)
    {
        var fd = memfd_create("code", MFD_CLOEXEC);
        if (fd < 0) throw new IOException($"memfd_create failed: errno {Marshal.GetLastPInvokeError()}");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            RandomAccess.Write(handle, code, 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return handle;
    }
}
