using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Common;

/// <summary>
/// What an fd is and how it was opened, and its duplication: fdsets match access modes,
/// migration picks the file or the socket transport from what an fd really is, tests compare
/// inodes.
/// </summary>
/// <remarks>
/// Every question about a file's type or identity goes through <c>statx</c>, whose layout is the
/// same on every architecture (<c>struct stat</c>'s is not). Every call on a
/// <see cref="SafeHandle"/>'s fd holds a <see cref="SafeHandleLease"/>.
/// </remarks>
internal static unsafe class UnixFd
{
    private const ushort S_IFMT = 0xF000;
    private const ushort S_IFSOCK = 0xC000;
    private const ushort S_IFREG = 0x8000;
    private const ushort S_IFBLK = 0x6000;
    private const ushort S_IFDIR = 0x4000;
    private const ushort S_IFCHR = 0x2000;
    private const ushort S_IFIFO = 0x1000;

    /// <summary>What the open fd is, without changing it (QEMU's <c>fstat</c> in <c>migrate_resolve_fd()</c>).</summary>
    /// <exception cref="System.IO.IOException">The fd is invalid.</exception>
    public static FdKind Classify(SafeHandle fd)
    {
        ArgumentNullException.ThrowIfNull(fd);
        Libc.StatxBuffer buffer = default;
        using (SafeHandleLease lease = new(fd))
        {
            if (Libc.Statx(lease.Fd, string.Empty, Libc.AT_EMPTY_PATH, Libc.STATX_TYPE, &buffer) != 0)
            {
                throw Errno.LastToException($"Unable to examine fd {lease.Fd}");
            }
        }
        return KindOf(buffer.Mode);
    }

    /// <summary>
    /// What <paramref name="path"/> names, or null when it cannot be examined: used to tell why an
    /// open failed without opening again.
    /// </summary>
    public static FdKind? ClassifyPath(string path, bool followSymlinks = true) =>
        TryClassifyPath(path, followSymlinks, out FdKind kind) == 0 ? kind : null;

    /// <summary>As <see cref="ClassifyPath"/>; returns 0, or the errno of the failed <c>statx</c>.</summary>
    public static int TryClassifyPath(string path, bool followSymlinks, out FdKind kind)
    {
        ArgumentNullException.ThrowIfNull(path);
        Libc.StatxBuffer buffer = default;
        if (Libc.Statx(Libc.AT_FDCWD, path, followSymlinks ? 0 : Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_TYPE, &buffer) != 0)
        {
            kind = FdKind.Other;
            return Errno.Last;
        }
        kind = KindOf(buffer.Mode);
        return 0;
    }

    /// <summary>True when the fd is a socket.</summary>
    public static bool IsSocket(SafeHandle fd) => Classify(fd) == FdKind.Socket;

    /// <summary>True when <paramref name="path"/> exists and is a socket (not following symlinks).</summary>
    public static bool IsSocketPath(string path) => ClassifyPath(path, followSymlinks: false) == FdKind.Socket;

    /// <summary>Device and inode numbers, which identify the open file (the device as <c>st_dev</c> encodes it).</summary>
    public static (ulong Device, ulong Inode) GetFileId(SafeHandle fd)
    {
        ArgumentNullException.ThrowIfNull(fd);
        Libc.StatxBuffer buffer = default;
        using (SafeHandleLease lease = new(fd))
        {
            if (Libc.Statx(lease.Fd, string.Empty, Libc.AT_EMPTY_PATH, Libc.STATX_INO, &buffer) != 0)
            {
                throw Errno.LastToException($"Unable to examine fd {lease.Fd}");
            }
        }
        return (MakeDev(buffer.DeviceMajor, buffer.DeviceMinor), buffer.Inode);
    }

    /// <summary>The O_ACCMODE part of the fd's status flags.</summary>
    public static FdAccessMode GetAccessMode(SafeHandle fd)
    {
        ArgumentNullException.ThrowIfNull(fd);
        using SafeHandleLease lease = new(fd);
        int flags = Libc.Fcntl(lease.Fd, Libc.F_GETFL, 0);
        if (flags < 0)
        {
            throw Errno.LastToException($"Unable to read the access mode of fd {lease.Fd}");
        }
        return (FdAccessMode)(flags & Libc.O_ACCMODE);
    }

    /// <summary>Duplicates the fd (close-on-exec set); the caller owns the copy.</summary>
    public static SafeFileHandle Duplicate(SafeHandle fd)
    {
        ArgumentNullException.ThrowIfNull(fd);
        using SafeHandleLease lease = new(fd);
        int copy = Libc.Fcntl(lease.Fd, Libc.F_DUPFD_CLOEXEC, 0);
        if (copy < 0)
        {
            throw Errno.LastToException($"Unable to duplicate fd {lease.Fd}");
        }
        return new SafeFileHandle(copy, ownsHandle: true);
    }

    /// <summary>Clears O_NONBLOCK (an open or connect that must not wait set it; the fd's user blocks).</summary>
    public static void ClearNonBlocking(SafeHandle fd)
    {
        ArgumentNullException.ThrowIfNull(fd);
        using SafeHandleLease lease = new(fd);
        int errno = TryClearNonBlocking(lease.Fd);
        if (errno != 0)
        {
            throw Errno.ToException(errno, "Unable to clear O_NONBLOCK");
        }
    }

    /// <summary>As <see cref="ClearNonBlocking"/> on a raw fd the caller owns; returns 0 or the errno.</summary>
    public static int TryClearNonBlocking(int fd)
    {
        int flags = Libc.Fcntl(fd, Libc.F_GETFL, 0);
        if (flags < 0 || Libc.Fcntl(fd, Libc.F_SETFL, flags & ~Libc.O_NONBLOCK) < 0)
        {
            return Errno.Last;
        }
        return 0;
    }

    private static FdKind KindOf(ushort mode) => (mode & S_IFMT) switch
    {
        S_IFREG => FdKind.RegularFile,
        S_IFSOCK => FdKind.Socket,
        S_IFIFO => FdKind.Pipe,
        S_IFCHR => FdKind.CharacterDevice,
        S_IFBLK => FdKind.BlockDevice,
        S_IFDIR => FdKind.Directory,
        _ => FdKind.Other,
    };

    /// <summary>glibc's <c>makedev()</c>, so the device reads as <c>st_dev</c> would.</summary>
    private static ulong MakeDev(uint major, uint minor) =>
        ((ulong)(major & 0xFFFFF000) << 32) | ((ulong)(major & 0xFFF) << 8) | ((ulong)(minor & 0xFFFFFF00) << 12) | (minor & 0xFF);
}
