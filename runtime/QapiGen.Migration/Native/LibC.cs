using System;
using System.Runtime.InteropServices;

namespace QapiGen.Migration.Native;

/// <summary>
/// The few Linux system calls the engine needs that .NET does not expose:
/// anonymous and memfd mappings for guest RAM, <c>statx</c> to tell a plain file
/// from a socket before a transport is chosen, and <c>pagemap</c>-free hints.
/// Everything here is Linux-only; the engine is a Linux QMP host.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    public const int PROT_READ = 0x1;
    public const int PROT_WRITE = 0x2;
    public const int MAP_SHARED = 0x01;
    public const int MAP_PRIVATE = 0x02;
    public const int MAP_ANONYMOUS = 0x20;
    public const int MAP_NORESERVE = 0x4000;
    public const int MADV_DONTNEED = 4;
    public const int MADV_HUGEPAGE = 14;
    public const int FALLOC_FL_KEEP_SIZE = 0x01;
    public const int FALLOC_FL_PUNCH_HOLE = 0x02;
    public const uint MFD_CLOEXEC = 0x0001;
    public const int AT_EMPTY_PATH = 0x1000;
    public const uint STATX_TYPE = 0x0001;
    public const uint STATX_MODE = 0x0002;
    public const uint STATX_SIZE = 0x0200;

    public const int EINTR = 4;

    public static readonly nint MapFailed = -1;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int munmap(nint addr, nuint length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int madvise(nint addr, nuint length, int advice);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int memfd_create(string name, uint flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ftruncate(int fd, long length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fallocate(int fd, int mode, long offset, long length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int dup(int fd);

    public const int F_GETFL = 3;
    public const int O_ACCMODE = 3;
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;

    public const int F_SETPIPE_SZ = 1031;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fcntl(int fd, int command);

    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    public const int F_SETFL = 4;
    public const int O_CREAT = 0x40;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const int AT_FDCWD = -100;
    public const int ENXIO = 6;
    public const int EAGAIN = 11;
    public const int EINPROGRESS = 115;

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, int mode);

    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int ENOENT = 2;

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlink(string path);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int connect(int fd, byte* address, int length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int bind(int fd, byte* address, int length);

    /// <summary>strerror(errno), the text QEMU puts after its prefixes.</summary>
    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(int dirfd, string path, int flags, uint mask, StatxBuffer* buffer);

    /// <summary>Throws an <see cref="System.IO.IOException"/> carrying errno's text.</summary>
    public static Exception LastError(string what)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new System.IO.IOException($"{what}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }
}

/// <summary>
/// <c>struct statx</c>: unlike <c>struct stat</c> its layout is the same on every
/// architecture, which is why it is used instead of <c>fstat</c>.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    [FieldOffset(0)] public uint Mask;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(40)] public ulong Size;
}
