using System;
using Microsoft.Win32.SafeHandles;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Host.Fds;

/// <summary>
/// getfd / closefd and their consumers (migration's <c>fd:NAME</c>): named fds kept per monitor
/// session. A session's table is created on its first getfd and closed with the session, so
/// a client that disconnects never leaves fds behind.
/// </summary>
public sealed class NamedFds
{
    private const string ItemKey = "qapigen.host.named-fds";

    private readonly HeldFdLimit _limit;

    /// <param name="limit">The cap shared with fdsets; none when null.</param>
    public NamedFds(HeldFdLimit? limit = null)
    {
        _limit = limit ?? HeldFdLimit.Unlimited;
    }

    /// <summary>getfd: stores <paramref name="fd"/> (ownership passes) under <paramref name="name"/> for <paramref name="session"/>.</summary>
    /// <exception cref="QmpException">QEMU's error for a name starting with a digit, or the cap on held fds; the fd is closed then.</exception>
    public void Put(QmpSession session, string name, SafeFileHandle fd)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(fd);
        if (name.Length > 0 && char.IsAsciiDigit(name[0]))
        {
            // Names that look like numbers would be ambiguous where "fd:N" also accepts a number.
            fd.Dispose();
            throw QmpError.InvalidParameterValue("fdname", "a name not starting with a digit").ToException();
        }
        TableOf(session).Put(name, fd);
    }

    /// <summary>closefd: closes the named fd.</summary>
    /// <exception cref="QmpException">"File descriptor named 'NAME' not found".</exception>
    public void Close(QmpSession session, string name)
    {
        if (!TryTake(session, name, out SafeFileHandle fd))
        {
            throw QmpError.Generic($"File descriptor named '{name}' not found").ToException();
        }
        fd.Dispose();
    }

    /// <summary>
    /// Hands the named fd over to the caller, who then owns it (QEMU's monitor_get_fd(): the
    /// name is gone afterwards).
    /// </summary>
    /// <exception cref="QmpException">"File descriptor named 'NAME' has not been found".</exception>
    public SafeFileHandle Take(QmpSession session, string name)
    {
        if (!TryTake(session, name, out SafeFileHandle fd))
        {
            throw QmpError.Generic($"File descriptor named '{name}' has not been found").ToException();
        }
        return fd;
    }

    public bool TryTake(QmpSession session, string name, out SafeFileHandle fd)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Items.TryGetValue(ItemKey, out object? table) && table is NamedFdTable named)
        {
            return named.TryTake(name, out fd);
        }
        fd = null!;
        return false;
    }

    /// <summary>Named fds <paramref name="session"/> holds (tests, diagnostics).</summary>
    public int Count(QmpSession session) =>
        session.Items.TryGetValue(ItemKey, out object? table) && table is NamedFdTable named ? named.Count : 0;

    private NamedFdTable TableOf(QmpSession session)
    {
        if (session.Items.TryGetValue(ItemKey, out object? existing) && existing is NamedFdTable table)
        {
            return table;
        }
        NamedFdTable created = new(_limit);
        if (!session.Items.TryAdd(ItemKey, created))
        {
            return (NamedFdTable)session.Items[ItemKey]!;
        }
        // If the session already ended, OnClosed runs the callback at once and the table closes.
        session.OnClosed(static s =>
        {
            if (s.Items.TryRemove(ItemKey, out object? t) && t is NamedFdTable named)
            {
                named.Dispose();
            }
        });
        return created;
    }
}
