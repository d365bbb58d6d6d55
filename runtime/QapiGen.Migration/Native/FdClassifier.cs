using System;
using System.Runtime.InteropServices;

namespace QapiGen.Migration.Native;

/// <summary>
/// Looks at an fd with <c>statx(fd, "", AT_EMPTY_PATH)</c> — the <c>fstat</c> of
/// seed 004's <c>migrate_resolve_fd()</c> — so the host can pick the file or
/// the socket transport before it starts anything.
/// </summary>
public static class FdClassifier
{
    private const ushort S_IFMT = 0xF000;
    private const ushort S_IFSOCK = 0xC000;
    private const ushort S_IFREG = 0x8000;
    private const ushort S_IFBLK = 0x6000;
    private const ushort S_IFDIR = 0x4000;
    private const ushort S_IFCHR = 0x2000;
    private const ushort S_IFIFO = 0x1000;

    /// <summary>Classifies an open fd without changing it.</summary>
    /// <exception cref="System.IO.IOException">The fd is closed or invalid.</exception>
    public static FdKind Classify(SafeHandle fd)
    {
        ArgumentNullException.ThrowIfNull(fd);
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            return Classify((int)fd.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    /// <summary>Classifies a raw fd number (for fds the host holds as integers).</summary>
    public static unsafe FdKind Classify(int fd)
    {
        StatxBuffer buffer = default;
        if (LibC.statx(fd, string.Empty, LibC.AT_EMPTY_PATH, LibC.STATX_TYPE, &buffer) != 0)
        {
            throw LibC.LastError($"Unable to examine fd {fd}");
        }

        return FromMode(buffer.Mode);
    }

    /// <summary>
    /// Classifies what <paramref name="path"/> names (symbolic links followed), or null when it
    /// cannot be examined: used to tell why an open failed without opening again.
    /// </summary>
    public static unsafe FdKind? ClassifyPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        StatxBuffer buffer = default;
        if (LibC.statx(LibC.AT_FDCWD, path, 0, LibC.STATX_TYPE, &buffer) != 0)
        {
            return null;
        }

        return FromMode(buffer.Mode);
    }

    private static FdKind FromMode(ushort mode)
    {
        return (mode & S_IFMT) switch
        {
            S_IFREG => FdKind.RegularFile,
            S_IFSOCK => FdKind.Socket,
            S_IFIFO => FdKind.Pipe,
            S_IFCHR => FdKind.CharacterDevice,
            S_IFBLK => FdKind.BlockDevice,
            S_IFDIR => FdKind.Directory,
            _ => FdKind.Other,
        };
    }
}
