using System;
using System.Collections.Generic;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Host.Fds;

/// <summary>
/// The fds one monitor session received with <c>getfd</c>, by name (QEMU's mon->fds). They
/// belong to that session: whatever is still here when it ends is closed.
/// </summary>
internal sealed class NamedFdTable : IDisposable
{
    private readonly Dictionary<string, SafeFileHandle> _fds = new(StringComparer.Ordinal);
    private readonly HeldFdLimit _limit;
    private bool _disposed;

    public NamedFdTable(HeldFdLimit limit)
    {
        _limit = limit;
    }

    public int Count
    {
        get
        {
            lock (_fds)
            {
                return _fds.Count;
            }
        }
    }

    /// <summary>Stores <paramref name="fd"/> under <paramref name="name"/>; an fd already there is closed (getfd replaces).</summary>
    /// <exception cref="QmpException">the cap on held fds is reached (a new name only); the fd is closed then.</exception>
    public void Put(string name, SafeFileHandle fd)
    {
        SafeFileHandle? old;
        lock (_fds)
        {
            if (_disposed)
            {
                old = fd;
            }
            else
            {
                if (!_fds.Remove(name, out old))
                {
                    try
                    {
                        _limit.Acquire();
                    }
                    catch
                    {
                        fd.Dispose();
                        throw;
                    }
                }
                _fds[name] = fd;
            }
        }
        old?.Dispose();
    }

    /// <summary>Removes and returns the fd; the caller owns it.</summary>
    public bool TryTake(string name, out SafeFileHandle fd)
    {
        lock (_fds)
        {
            if (!_fds.Remove(name, out fd!))
            {
                return false;
            }
        }
        _limit.Release(); // the caller owns it now
        return true;
    }

    public void Dispose()
    {
        List<SafeFileHandle> toClose;
        lock (_fds)
        {
            _disposed = true;
            toClose = new List<SafeFileHandle>(_fds.Values);
            _fds.Clear();
        }
        _limit.Release(toClose.Count);
        foreach (SafeFileHandle fd in toClose)
        {
            fd.Dispose();
        }
    }
}
