using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Runtime.Native;

/// <summary>
/// Keeps part of the process's fd table free for the process's own work. When the table is
/// full, .NET cannot start a thread (each start needs a pipe) and the runtime aborts the whole
/// process; an accept, an open or a migration fails too. So fds a peer passes are admitted only
/// while at least <see cref="Reserve"/> slots stay free after them, and a new connection only
/// while half of that does; a peer that fills the rest gets an error, not a dead server.
/// </summary>
/// <remarks>
/// Counting the open fds (<c>/proc/self/fd</c>) costs a directory read, so it is done only when
/// the slots left over the reserve, as last counted, may have been used up: each count grants
/// half of them for admissions without counting again; the other half covers fds the process
/// opens on its own meanwhile. That budget is the process's: a server built on the runtime asks
/// this class (never a copy of it) before opening something on a client's request.
/// </remarks>
public static class FdHeadroom
{
    private static readonly object Gate = new();
    private static long _uncountedBudget;

    /// <summary>The process's fd limit (RLIMIT_NOFILE, soft).</summary>
    public static unsafe int Limit
    {
        get
        {
            Libc.RLimit limit;
            if (Libc.GetRLimit(Libc.RLIMIT_NOFILE, &limit) != 0)
            {
                return 1024;
            }
            return (int)Math.Min(limit.Current, int.MaxValue);
        }
    }

    /// <summary>Slots kept free: a quarter of the limit, at least 48 and at most 1024.</summary>
    public static int Reserve => ReserveFor(Limit);

    internal static int ReserveFor(int limit) => Math.Clamp(limit / 4, 48, 1024);

    /// <summary>Open fds of this process, or null when even that cannot be read (no slot left to open the directory).</summary>
    internal static int? OpenFdCount()
    {
        try
        {
            int count = 0;
            foreach (string _ in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                count++;
            }
            return Math.Max(0, count - 1); // the directory's own fd, open while listing
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// For fds a peer passed, already installed by the kernel: true when at least
    /// <see cref="Reserve"/> slots are still free with them in the table.
    /// </summary>
    internal static bool TryAdmit(IReadOnlyList<SafeFileHandle> fds)
    {
        ArgumentNullException.ThrowIfNull(fds);
        if (fds.Count == 0)
        {
            return true;
        }
        int limit = Limit;
        int reserve = ReserveFor(limit);
        // The kernel hands out the lowest free numbers, so a high one means every lower slot is taken.
        int highest = -1;
        foreach (SafeFileHandle fd in fds)
        {
            highest = Math.Max(highest, (int)fd.DangerousGetHandle());
        }
        bool high = highest >= limit - reserve;
        if (!high && Interlocked.Add(ref _uncountedBudget, -fds.Count) >= 0)
        {
            return true;
        }
        return Recount(limit, reserve, reserve);
    }

    /// <summary>For a connection just accepted (its socket already open): true while half the reserve is free.</summary>
    internal static bool HasRoomForConnection() => HasRoomToOpen();

    /// <summary>
    /// Before the process opens something on a client's request (a file, a listening socket):
    /// true while half the reserve is free, so such requests fail with an error well before the
    /// table is full.
    /// </summary>
    public static bool HasRoomToOpen()
    {
        int limit = Limit;
        int reserve = ReserveFor(limit);
        if (Interlocked.Add(ref _uncountedBudget, -1) >= 0)
        {
            return true;
        }
        return Recount(limit, reserve, reserve / 2);
    }

    private static bool Recount(int limit, int reserve, int needed)
    {
        lock (Gate)
        {
            int? open = OpenFdCount();
            int free = open is { } n ? limit - n : 0;
            Volatile.Write(ref _uncountedBudget, Math.Max(0, (free - reserve) / 2));
            return free >= needed;
        }
    }
}
