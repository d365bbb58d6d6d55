using System.Runtime.InteropServices;

namespace QapiGen.Common;

/// <summary>
/// The raw fd of a <see cref="SafeHandle"/>, kept open for as long as the lease lives:
/// <c>using SafeHandleLease lease = new(handle);</c> then <c>lease.Fd</c>. A handle disposed
/// meanwhile on another thread is closed only when the lease ends, so the number can never
/// name a different file that reused it.
/// </summary>
internal readonly ref struct SafeHandleLease
{
    private readonly SafeHandle? _handle;

    /// <summary>Adds a reference to <paramref name="handle"/>.</summary>
    /// <exception cref="System.ObjectDisposedException">The handle is already closed.</exception>
    public SafeHandleLease(SafeHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        _handle = handle;
        Fd = (int)handle.DangerousGetHandle();
    }

    /// <summary>The fd, valid until <see cref="Dispose"/>.</summary>
    public int Fd { get; }

    /// <summary>Releases the reference.</summary>
    public void Dispose() => _handle?.DangerousRelease();
}
