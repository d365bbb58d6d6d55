using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Runtime.Native;

/// <summary>Open-mode of an fd as fcntl(F_GETFL) reports it (O_ACCMODE bits).</summary>
internal enum FdAccessMode
{
    ReadOnly = 0,
    WriteOnly = 1,
    ReadWrite = 2,
}

/// <summary>
/// Inspection and duplication of raw fds, as fdsets (access-mode matching), migration
/// (is it a socket or a file?) and tests (same inode?) need them.
/// </summary>
internal static unsafe class UnixFd
{
    private const int S_IFMT = 0xF000;
    private const int S_IFSOCK = 0xC000;

    /// <summary>The O_ACCMODE part of the fd's status flags.</summary>
    public static FdAccessMode GetAccessMode(SafeHandle fd)
    {
        int flags = WithFd(fd, static raw => Libc.Fcntl(raw, Libc.F_GETFL, 0));
        if (flags < 0)
        {
            throw LastError("fcntl(F_GETFL)");
        }
        return (FdAccessMode)(flags & 3);
    }

    /// <summary>Duplicates the fd (close-on-exec set); the caller owns the copy.</summary>
    public static SafeFileHandle Duplicate(SafeHandle fd)
    {
        int copy = WithFd(fd, static raw => Libc.Fcntl(raw, Libc.F_DUPFD_CLOEXEC, 0));
        if (copy < 0)
        {
            throw LastError("fcntl(F_DUPFD_CLOEXEC)");
        }
        return new SafeFileHandle(copy, ownsHandle: true);
    }

    /// <summary>True when the fd is a socket (S_ISSOCK).</summary>
    public static bool IsSocket(SafeHandle fd) => (Stat(fd).Mode & S_IFMT) == S_IFSOCK;

    /// <summary>True when <paramref name="path"/> exists and is a socket (not following symlinks).</summary>
    public static bool IsSocketPath(string path)
    {
        byte* buffer = stackalloc byte[256];
        if (Libc.LStat(path, buffer) < 0)
        {
            return false;
        }
        return (ModeOf(buffer) & S_IFMT) == S_IFSOCK;
    }

    private static uint ModeOf(byte* statBuffer) =>
        // x86-64 puts st_nlink (8 bytes) before st_mode; the generic layout (arm64, riscv64)
        // puts st_mode right after st_ino.
        RuntimeInformation.ProcessArchitecture == Architecture.X64 ? *(uint*)(statBuffer + 24) : *(uint*)(statBuffer + 16);

    /// <summary>Device and inode numbers, which identify the open file.</summary>
    public static (ulong Device, ulong Inode) GetFileId(SafeHandle fd)
    {
        FileStat st = Stat(fd);
        return (st.Device, st.Inode);
    }

    private readonly record struct FileStat(ulong Device, ulong Inode, uint Mode);

    private static FileStat Stat(SafeHandle fd)
    {
        byte* buffer = stackalloc byte[256]; // struct stat is 144 bytes on x86-64, 128 on arm64
        int rc;
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            rc = Libc.FStat((int)fd.DangerousGetHandle(), buffer);
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
        if (rc < 0)
        {
            throw LastError("fstat");
        }
        ulong device = *(ulong*)buffer;
        ulong inode = *(ulong*)(buffer + 8);
        uint mode = ModeOf(buffer);
        return new FileStat(device, inode, mode);
    }

    private static int WithFd(SafeHandle fd, Func<int, int> call)
    {
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            return call((int)fd.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    private static IOException LastError(string call)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }
}
