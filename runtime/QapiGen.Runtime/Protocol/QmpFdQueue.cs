using System;
using System.Collections.Generic;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// File descriptors a client received over SCM_RIGHTS and not yet claimed, oldest first.
/// Unclaimed fds are closed when the connection ends, never leaked. (A server command sees the
/// fds of its own message instead: <see cref="QmpMessageFds"/>.)
/// </summary>
public sealed class QmpFdQueue : IDisposable
{
    private readonly Queue<SafeFileHandle> _fds = new();
    private readonly int _capacity;
    private bool _disposed;

    internal QmpFdQueue(int capacity)
    {
        _capacity = capacity;
    }

    /// <summary>Number of fds waiting to be claimed.</summary>
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

    /// <summary>Claims the oldest fd; the caller owns it from now on (dispose closes it).</summary>
    public bool TryTake(out SafeFileHandle fd)
    {
        lock (_fds)
        {
            return _fds.TryDequeue(out fd!);
        }
    }

    /// <summary>Claims the oldest fd or fails with QEMU's "No file descriptor supplied via SCM_RIGHTS".</summary>
    public SafeFileHandle Take()
    {
        if (!TryTake(out SafeFileHandle fd))
        {
            throw QmpError.NoFileDescriptor.ToException();
        }
        return fd;
    }

    internal void Add(SafeFileHandle fd)
    {
        SafeFileHandle? evicted = null;
        lock (_fds)
        {
            if (_disposed)
            {
                evicted = fd;
            }
            else
            {
                _fds.Enqueue(fd);
                // Bound what a client can park here: the oldest unclaimed fd goes first.
                if (_fds.Count > _capacity)
                {
                    evicted = _fds.Dequeue();
                }
            }
        }
        evicted?.Dispose();
    }

    /// <summary>Closes the fds not taken.</summary>
    public void Dispose()
    {
        List<SafeFileHandle> toClose;
        lock (_fds)
        {
            _disposed = true;
            toClose = new List<SafeFileHandle>(_fds);
            _fds.Clear();
        }
        foreach (SafeFileHandle fd in toClose)
        {
            fd.Dispose();
        }
    }
}
