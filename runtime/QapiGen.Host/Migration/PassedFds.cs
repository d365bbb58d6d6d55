using System.Globalization;
using System.IO;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;
using QapiGen.Host.Fds;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Host.Migration;

/// <summary>
/// The first step of QEMU's migrate_resolve_fd(): fetch the fd named in <c>fd:NAME</c> or a
/// socket address of type <c>fd</c> before anything looks at what it is. A name is a getfd fd of
/// the calling monitor's session, handed over (the name is gone afterwards, as in QEMU); a number
/// is an fd the process already has (e.g. inherited), as QEMU's monitor_fd_param() allows.
/// </summary>
internal static class PassedFds
{
    /// <summary>Takes the fd; the caller owns the returned handle.</summary>
    /// <param name="session">The calling session; null for <c>-incoming</c> on the command line (numbers only).</param>
    /// <exception cref="QmpException">no such name, or not an open fd number (QEMU's texts).</exception>
    public static SafeFileHandle Take(NamedFds named, QmpSession? session, string name)
    {
        if (session is not null && name.Length > 0 && !char.IsAsciiDigit(name[0]))
        {
            return named.Take(session, name);
        }
        if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            throw QmpError.Generic($"Invalid file descriptor number '{name}'").ToException();
        }
        // A number is borrowed, not taken: the host duplicates it and never closes the original,
        // which may belong to the runtime (the QMP socket, epoll) rather than to the client.
        using SafeFileHandle borrowed = new(number, ownsHandle: false);
        try
        {
            return UnixFd.Duplicate(borrowed);
        }
        catch (IOException)
        {
            throw QmpError.Generic($"Invalid file descriptor number '{name}'").ToException();
        }
    }
}
