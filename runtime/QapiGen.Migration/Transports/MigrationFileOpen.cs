using System.IO;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;

namespace QapiGen.Migration.Transports;

/// <summary>
/// open() of a migration file by path, as QEMU's <c>qio_channel_file_new_path()</c> does it:
/// outgoing write-only, created 0600 (it holds all of the guest's RAM); incoming read-only. Errors
/// carry QEMU's <c>qemu_open()</c> texts, <c>Could not create 'PATH': strerror</c> when creating
/// and <c>Could not open 'PATH': strerror</c> when only opening, so clients see what QEMU says.
/// </summary>
internal static class MigrationFileOpen
{
    /// <summary>0600: the file holds all of the guest's RAM.</summary>
    private const int PrivateMode = 0b110_000_000;

    /// <summary>The flags of a blocking open for <paramref name="direction"/>; never truncating (see <see cref="PrivateOutputFile"/>).</summary>
    public static int Flags(MigrationDirection direction) => direction == MigrationDirection.Outgoing
        ? Libc.O_WRONLY | Libc.O_CREAT | Libc.O_CLOEXEC
        : Libc.O_RDONLY | Libc.O_CLOEXEC;

    /// <summary>open() retried on EINTR; returns the fd, or -1 with <paramref name="errno"/> set.</summary>
    public static int Open(string path, int flags, out int errno) => UnixFile.TryOpen(path, flags, PrivateMode, out errno);

    /// <summary>QEMU's text for a failed open of <paramref name="path"/>.</summary>
    public static IOException Error(string path, MigrationDirection direction, int errno) =>
        Errno.ToException(errno, $"Could not {(direction == MigrationDirection.Outgoing ? "create" : "open")} '{path}'");

    /// <summary>Clears O_NONBLOCK, which was only there so that the open itself could not wait.</summary>
    public static void MakeBlocking(SafeFileHandle handle) => UnixFd.ClearNonBlocking(handle);
}
