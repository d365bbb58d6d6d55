using System.IO;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Common;

/// <summary>
/// Opens a file that will receive guest memory: created 0600 (it holds all of
/// the guest's RAM), emptied when it already has contents, as QEMU's
/// <c>O_CREAT | O_TRUNC</c> does.
/// </summary>
/// <remarks>
/// <c>FileMode.Create</c> would do the same, but .NET implements it as
/// <c>ftruncate(fd, 0)</c> even on a file it has just created. On ext4 any
/// truncate to zero arms the "replace via truncate" heuristic (auto_da_alloc):
/// closing the file then starts writeback of everything written, and the close
/// of a 1 GiB stream takes about a second. Truncating only a non-empty file
/// keeps QEMU's semantics and leaves a fresh file to the normal writeback.
/// </remarks>
[SupportedOSPlatform("linux")] // the runtime assembly, which compiles it too, is not Linux-only as a whole
internal static class PrivateOutputFile
{
    /// <summary>Opens <paramref name="path"/> write-only, creating it 0600 or emptying it.</summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    /// <exception cref="System.UnauthorizedAccessException">Permission denied.</exception>
    public static SafeFileHandle Open(string path)
    {
        bool existed = File.Exists(path);
        SafeFileHandle handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
        try
        {
            if (!existed)
            {
                File.SetUnixFileMode(handle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            if (RandomAccess.GetLength(handle) > 0)
            {
                RandomAccess.SetLength(handle, 0);
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
