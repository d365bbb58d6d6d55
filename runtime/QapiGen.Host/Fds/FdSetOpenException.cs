using System.IO;

namespace QapiGen.Host.Fds;

/// <summary>
/// Opening <c>/dev/fdset/N</c> failed. Carries the errno QEMU's qemu_open() would set (ENOENT:
/// no such fdset, EACCES: no fd with a matching access mode, EINVAL: bad path), so callers can
/// word the error exactly as QEMU does ("Could not open '/dev/fdset/3': Permission denied").
/// </summary>
public sealed class FdSetOpenException : IOException
{
    public FdSetOpenException(string path, int errno, string reason)
        : base($"Could not open '{path}': {reason}", errno)
    {
        Path = path;
        Errno = errno;
        Reason = reason;
    }

    public string Path { get; }

    public int Errno { get; }

    /// <summary>strerror() of <see cref="Errno"/>.</summary>
    public string Reason { get; }
}
