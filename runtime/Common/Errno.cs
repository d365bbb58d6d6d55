using System.IO;
using System.Runtime.InteropServices;

namespace QapiGen.Common;

/// <summary>
/// errno and its text. QMP clients compare error messages with QEMU's, which end in
/// <c>strerror(errno)</c>; so a failed call becomes an <see cref="IOException"/> whose message is
/// <c>WHAT: strerror(errno)</c> (or the bare text) and whose <see cref="System.Exception.HResult"/>
/// is the errno, never a .NET exception type chosen from it.
/// </summary>
internal static class Errno
{
    /// <summary>The errno of the last <see cref="Libc"/> call on this thread.</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    /// <summary>strerror(<paramref name="errno"/>).</summary>
    public static string Text(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>An exception for <paramref name="errno"/>: <c>WHAT: strerror</c>, or the text alone without <paramref name="what"/>.</summary>
    public static IOException ToException(int errno, string? what = null) =>
        new(what is null ? Text(errno) : $"{what}: {Text(errno)}", errno);

    /// <summary><see cref="ToException"/> of <see cref="Last"/>.</summary>
    public static IOException LastToException(string? what = null) => ToException(Last, what);
}
