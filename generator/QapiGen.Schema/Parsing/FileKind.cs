using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// Whether a path names a regular file, asked before the file is opened: opening a FIFO blocks
/// until a writer comes, and a character device such as /dev/zero reads forever. On Linux the
/// answer comes from <c>statx(2)</c>, whose result layout is the same on every architecture; on
/// Windows from the file attributes. Where neither applies the kind is unknown and the file is
/// read, still bounded by <see cref="SchemaFileSystem.MaxFileSize"/>.
/// </summary>
internal static class FileKind
{
    public enum Kind
    {
        /// <summary>Missing, or not known: opening it reports what is wrong.</summary>
        Unknown,
        Regular,
        Directory,
        /// <summary>A device, FIFO, socket: never read as a schema.</summary>
        Other,
    }

    public static Kind Of(string path)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return OfLinux(path);
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return OfWindows(path);
        }

        return Kind.Unknown;
    }

    private static Kind OfWindows(string path)
    {
        try
        {
            FileAttributes attributes = File.GetAttributes(path);
            if ((attributes & FileAttributes.Directory) != 0)
            {
                return Kind.Directory;
            }

            return (attributes & FileAttributes.Device) != 0 ? Kind.Other : Kind.Regular;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Kind.Unknown;
        }
    }

    private static bool _noStatx;

    private static Kind OfLinux(string path)
    {
        if (_noStatx)
        {
            return Kind.Unknown;
        }

        byte[] buffer = new byte[StatxSize];
        try
        {
            if (Statx(AtFdCwd, NulTerminatedUtf8(path), 0, StatxType, buffer) != 0)
            {
                return Kind.Unknown;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library without statx (glibc before 2.28): the kind stays unknown.
            _noStatx = true;
            return Kind.Unknown;
        }
        int mode = BitConverter.ToUInt16(buffer, StxModeOffset) & SIfMt;
        return mode switch
        {
            SIfReg => Kind.Regular,
            SIfDir => Kind.Directory,
            _ => Kind.Other,
        };
    }

    private static byte[] NulTerminatedUtf8(string path)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
        return bytes;
    }

    // struct statx (linux/stat.h): 256 bytes; stx_mode is the u16 at offset 28.
    private const int StatxSize = 256;
    private const int StxModeOffset = 28;
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int SIfMt = 0xF000;
    private const int SIfReg = 0x8000;
    private const int SIfDir = 0x4000;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirFd, byte[] path, int flags, uint mask, byte[] buffer);
}
