using System.IO;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Common;

/// <summary>
/// open(2) with QEMU's flags. .NET's File APIs would do, but they turn errno into exception
/// types and lose the exact strerror() text QEMU's error messages carry ("Could not open
/// 'X': No such file or directory"), which clients and the interop tests compare.
/// </summary>
internal static class UnixFile
{
    /// <summary>0666: what a created file gets before the umask, as QEMU's opens do.</summary>
    public const int DefaultMode = 0x1B6;

    /// <summary>
    /// open() with O_CLOEXEC added, retried on EINTR (a FIFO's open waits, and a signal may end
    /// the wait). Returns the fd, or -1 with <paramref name="errno"/> set.
    /// </summary>
    public static int TryOpen(string path, int flags, int mode, out int errno)
    {
        while (true)
        {
            int fd = Libc.Open(path, flags | Libc.O_CLOEXEC, mode);
            if (fd >= 0)
            {
                errno = 0;
                return fd;
            }

            errno = Errno.Last;
            if (errno != Libc.EINTR)
            {
                return -1;
            }
        }
    }

    /// <summary>Opens <paramref name="path"/>; on failure throws an <see cref="IOException"/> whose message is strerror(errno).</summary>
    public static SafeFileHandle Open(string path, int flags, int mode = DefaultMode)
    {
        int fd = TryOpen(path, flags, mode, out int errno);
        if (fd < 0)
        {
            throw Errno.ToException(errno);
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }
}
