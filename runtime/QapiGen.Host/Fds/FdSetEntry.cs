using Microsoft.Win32.SafeHandles;
using QapiGen.Common;

namespace QapiGen.Host.Fds;

/// <summary>
/// One fd held by an fdset: the fd received with <c>add-fd</c>, its access mode (read once, so
/// matching never needs a syscall), the client's opaque string, the removal mark and how many
/// duplicates handed out from it are still open.
/// </summary>
internal sealed class FdSetEntry
{
    public FdSetEntry(SafeFileHandle handle, FdAccessMode mode, string? opaque)
    {
        Handle = handle;
        Number = (int)handle.DangerousGetHandle();
        Mode = mode;
        Opaque = opaque;
    }

    public SafeFileHandle Handle { get; }

    /// <summary>The fd number in this process, as add-fd and query-fdsets report it.</summary>
    public int Number { get; }

    public FdAccessMode Mode { get; }

    public string? Opaque { get; }

    /// <summary>Set by remove-fd: hidden from query-fdsets, never duplicated again, closed once unused.</summary>
    public bool Removed { get; set; }

    /// <summary>Open duplicates (leases) made from this fd.</summary>
    public int Leases { get; set; }

    /// <summary>Whether this fd may serve an open for <paramref name="wanted"/>; O_RDWR serves any mode.</summary>
    public bool Serves(FdAccessMode wanted) => Mode == wanted || Mode == FdAccessMode.ReadWrite;
}
