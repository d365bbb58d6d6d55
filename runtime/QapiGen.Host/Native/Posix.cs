using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Host.Native;

/// <summary>
/// open(2) with QEMU's flags. .NET's File APIs would do, but they turn errno into exception
/// types and lose the exact strerror() text QEMU's error messages carry ("Could not open
/// 'X': No such file or directory"), which clients and the interop tests compare.
/// </summary>
internal static partial class Posix
{
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int O_TRUNC = 0x200;
    public const int O_APPEND = 0x400;
    public const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenRaw(string path, int flags, int mode);

    /// <summary>Opens <paramref name="path"/>; on failure throws an IOException whose message is strerror(errno).</summary>
    public static SafeFileHandle Open(string path, int flags, int mode = 0x1B6 /* 0666, umask applies */)
    {
        int fd = OpenRaw(path, flags | O_CLOEXEC, mode);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }
}
