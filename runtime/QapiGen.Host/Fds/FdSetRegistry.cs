using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Host.Fds;

/// <summary>
/// The host's fdsets (QEMU's mon_fdsets), shared by every monitor: <c>add-fd</c> puts fds
/// received over SCM_RIGHTS into numbered sets, host code opens <c>/dev/fdset/N</c> through
/// <see cref="Open"/> and gets a tracked duplicate, <c>remove-fd</c> marks fds for removal.
/// </summary>
/// <remarks>
/// <para>Lifetime rules:</para>
/// <list type="bullet">
/// <item>a removed fd is closed as soon as no duplicate made from it is open (at once if none);</item>
/// <item>a set with no fd left is freed;</item>
/// <item>nothing else closes an fd: a monitor's disconnect does not reap fds that were never
/// duplicated (QEMU 9.0 behaviour), so a management layer that reconnects finds its fds
/// where it left them, and remove-fd takes effect whatever the run state.</item>
/// </list>
/// <para>All state is behind one lock; the operations are short and never block on I/O.</para>
/// </remarks>
public sealed class FdSetRegistry : IDisposable
{
    /// <summary>The path prefix that names an fdset, as in QEMU.</summary>
    public const string PathPrefix = "/dev/fdset/";

    private const int ENOENT = 2;
    private const int EACCES = 13;
    private const int EINVAL = 22;

    private readonly object _lock = new();
    private readonly SortedDictionary<long, FdSet> _sets = new();
    private readonly HeldFdLimit _limit;
    private bool _disposed;

    /// <param name="limit">The cap shared with named fds; none when null.</param>
    public FdSetRegistry(HeldFdLimit? limit = null)
    {
        _limit = limit ?? HeldFdLimit.Unlimited;
    }

    /// <summary>What add-fd answers: the set the fd went into and its number in this process.</summary>
    public readonly record struct AddedFd(long FdSetId, int Fd);

    /// <summary>
    /// Adds <paramref name="fd"/> (ownership passes to the registry) to set
    /// <paramref name="fdSetId"/>, created if needed, or to a new set with the lowest free id.
    /// </summary>
    /// <exception cref="QmpException">QEMU's error for a negative id, or the cap on held fds; the fd is closed then.</exception>
    public AddedFd Add(SafeFileHandle fd, long? fdSetId, string? opaque)
    {
        ArgumentNullException.ThrowIfNull(fd);
        if (fdSetId < 0)
        {
            fd.Dispose();
            throw QmpError.InvalidParameterValue("fdset-id", "a non-negative value").ToException();
        }
        FdAccessMode mode;
        try
        {
            mode = UnixFd.GetAccessMode(fd);
        }
        catch (IOException ex)
        {
            fd.Dispose();
            throw QmpError.Generic($"Cannot use the file descriptor: {ex.Message}").ToException();
        }
        try
        {
            _limit.Acquire();
        }
        catch
        {
            fd.Dispose();
            throw;
        }
        FdSetEntry entry = new(fd, mode, opaque);
        lock (_lock)
        {
            if (_disposed)
            {
                _limit.Release();
                fd.Dispose();
                throw new ObjectDisposedException(nameof(FdSetRegistry));
            }
            long id = fdSetId ?? FirstFreeId();
            if (!_sets.TryGetValue(id, out FdSet? set))
            {
                set = new FdSet(id);
                _sets.Add(id, set);
            }
            set.Entries.Add(entry);
            return new AddedFd(id, entry.Number);
        }
    }

    /// <summary>
    /// remove-fd: marks fd <paramref name="fd"/> of the set (every fd of it when null) for
    /// removal; unused ones close at once and an emptied set is freed.
    /// </summary>
    /// <exception cref="QmpException">"File descriptor named 'fdset-id:N[, fd:M]' not found".</exception>
    public void Remove(long fdSetId, long? fd)
    {
        List<SafeFileHandle> toClose = new();
        lock (_lock)
        {
            bool found = false;
            if (_sets.TryGetValue(fdSetId, out FdSet? set))
            {
                foreach (FdSetEntry entry in set.Entries)
                {
                    if (fd is null || entry.Number == fd)
                    {
                        entry.Removed = true;
                        found = true;
                    }
                }
                if (found)
                {
                    Cleanup(set, toClose);
                }
            }
            if (!found)
            {
                string name = fd is null
                    ? $"fdset-id:{fdSetId}"
                    : $"fdset-id:{fdSetId}, fd:{fd}";
                throw QmpError.Generic($"File descriptor named '{name}' not found").ToException();
            }
        }
        CloseAll(toClose);
    }

    /// <summary>
    /// query-fdsets: every set with its fds not marked for removal, in QEMU's order (sets by
    /// descending id, fds in the order they were added).
    /// </summary>
    public IReadOnlyList<FdSetInfo> Query()
    {
        lock (_lock)
        {
            List<FdSetInfo> result = new(_sets.Count);
            foreach (FdSet set in _sets.Values)
            {
                List<FdSetFdInfo> fds = new(set.Entries.Count);
                foreach (FdSetEntry entry in set.Entries)
                {
                    if (!entry.Removed)
                    {
                        fds.Add(new FdSetFdInfo(entry.Number, entry.Opaque));
                    }
                }
                result.Add(new FdSetInfo(set.Id, fds));
            }
            result.Reverse();
            return result;
        }
    }

    /// <summary>True when <paramref name="path"/> names an fdset (<c>/dev/fdset/…</c>).</summary>
    public static bool IsFdSetPath(string path) => path.StartsWith(PathPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Opens <c>/dev/fdset/N</c> for <paramref name="access"/>: duplicates the set's first fd
    /// not marked for removal whose access mode matches (an O_RDWR fd serves any access) and
    /// tracks the duplicate until the lease is disposed.
    /// </summary>
    /// <exception cref="FdSetOpenException">ENOENT (no such set), EACCES (no matching fd), EINVAL (bad path).</exception>
    public FdSetLease Open(string path, FileAccess access)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!IsFdSetPath(path) ||
            !long.TryParse(path.AsSpan(PathPrefix.Length), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long id))
        {
            throw new FdSetOpenException(path, EINVAL, "Invalid argument");
        }
        FdAccessMode wanted = access switch
        {
            FileAccess.Read => FdAccessMode.ReadOnly,
            FileAccess.Write => FdAccessMode.WriteOnly,
            _ => FdAccessMode.ReadWrite,
        };
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_sets.TryGetValue(id, out FdSet? set))
            {
                throw new FdSetOpenException(path, ENOENT, "No such file or directory");
            }
            foreach (FdSetEntry entry in set.Entries)
            {
                if (entry.Removed || !entry.Serves(wanted))
                {
                    continue;
                }
                SafeFileHandle duplicate;
                try
                {
                    duplicate = UnixFd.Duplicate(entry.Handle);
                }
                catch (IOException ex)
                {
                    throw new FdSetOpenException(path, ex.HResult, ex.Message);
                }
                entry.Leases++;
                return new FdSetLease(this, id, entry, duplicate);
            }
            throw new FdSetOpenException(path, EACCES, "Permission denied");
        }
    }

    /// <summary>Fds held by all sets, removed-but-in-use ones included (diagnostics and tests).</summary>
    public int HeldFdCount
    {
        get
        {
            lock (_lock)
            {
                int count = 0;
                foreach (FdSet set in _sets.Values)
                {
                    count += set.Entries.Count;
                }
                return count;
            }
        }
    }

    /// <summary>A lease was disposed: its source fd may now be closable, its set freeable.</summary>
    internal void Release(long fdSetId, FdSetEntry source)
    {
        List<SafeFileHandle> toClose = new();
        lock (_lock)
        {
            source.Leases--;
            if (!_disposed && _sets.TryGetValue(fdSetId, out FdSet? set))
            {
                Cleanup(set, toClose);
            }
        }
        CloseAll(toClose);
    }

    /// <summary>Drops removed fds that no lease uses, and the set itself once empty. Under the lock.</summary>
    private void Cleanup(FdSet set, List<SafeFileHandle> toClose)
    {
        set.Entries.RemoveAll(entry =>
        {
            if (entry.Removed && entry.Leases == 0)
            {
                toClose.Add(entry.Handle);
                return true;
            }
            return false;
        });
        if (set.IsEmpty)
        {
            _sets.Remove(set.Id);
        }
    }

    /// <summary>QEMU's rule for add-fd without an id: the lowest id no set uses.</summary>
    private long FirstFreeId()
    {
        long candidate = 0;
        foreach (long used in _sets.Keys)
        {
            if (used != candidate)
            {
                break;
            }
            candidate++;
        }
        return candidate;
    }

    private void CloseAll(List<SafeFileHandle> handles)
    {
        _limit.Release(handles.Count);
        // Outside the lock: close(2) can take a while (e.g. the last reference to a file on NFS).
        foreach (SafeFileHandle handle in handles)
        {
            handle.Dispose();
        }
    }

    /// <summary>Closes every fd held (leases keep their own duplicates until disposed).</summary>
    public void Dispose()
    {
        List<SafeFileHandle> toClose = new();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (FdSet set in _sets.Values)
            {
                foreach (FdSetEntry entry in set.Entries)
                {
                    toClose.Add(entry.Handle);
                }
            }
            _sets.Clear();
        }
        CloseAll(toClose);
    }
}
