using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using QapiGen.Migration.Transports;

namespace QapiGen.Migration.Native;

/// <summary>
/// open() of a migration file by path, as QEMU's <c>qio_channel_file_new_path()</c> does it:
/// outgoing write-only, created 0600 (it holds all of the guest's RAM); incoming read-only. Errors
/// carry QEMU's <c>qemu_open()</c> texts, <c>Could not create 'PATH': strerror</c> when creating
/// and <c>Could not open 'PATH': strerror</c> when only opening, so clients see what QEMU says.
/// </summary>
internal static class MigrationFileOpen
{
    /// <summary>The flags of a blocking open for <paramref name="direction"/>; never truncating (see <see cref="PrivateOutputFile"/>).</summary>
    public static int Flags(MigrationDirection direction) => direction == MigrationDirection.Outgoing
        ? LibC.O_WRONLY | LibC.O_CREAT | LibC.O_CLOEXEC
        : LibC.O_RDONLY | LibC.O_CLOEXEC;

    /// <summary>open() retried on EINTR; returns the fd, or -1 with <paramref name="errno"/> set.</summary>
    public static int Open(string path, int flags, out int errno)
    {
        while (true)
        {
            int fd = LibC.open(path, flags, 0b110_000_000);
            if (fd >= 0)
            {
                errno = 0;
                return fd;
            }

            errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                return -1;
            }
        }
    }

    /// <summary>QEMU's text for a failed open of <paramref name="path"/>.</summary>
    public static IOException Error(string path, MigrationDirection direction, int errno) =>
        new($"Could not {(direction == MigrationDirection.Outgoing ? "create" : "open")} '{path}': {LibC.ErrorText(errno)}", errno);

    /// <summary>Clears O_NONBLOCK, which was only there so that the open itself could not wait.</summary>
    public static void MakeBlocking(SafeFileHandle handle)
    {
        int fd = (int)handle.DangerousGetHandle();
        int flags = LibC.fcntl(fd, LibC.F_GETFL);
        if (flags < 0 || LibC.fcntl(fd, LibC.F_SETFL, flags & ~LibC.O_NONBLOCK) < 0)
        {
            throw LibC.LastError("Unable to clear O_NONBLOCK");
        }
    }
}
