using System;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Host.Fds;

/// <summary>
/// A duplicate of an fdset's fd, handed to the code that opened <c>/dev/fdset/N</c> (QEMU's
/// dup_fds). The registry counts it as "in use" until it is disposed: a removed fd is only
/// closed, and an empty set only freed, once no lease on it is open. Dispose the lease (not
/// just <see cref="Handle"/>) when done; disposing twice is harmless.
/// </summary>
public sealed class FdSetLease : IDisposable
{
    private readonly FdSetRegistry _registry;
    private readonly FdSetEntry _source;
    private int _disposed;

    internal FdSetLease(FdSetRegistry registry, long fdSetId, FdSetEntry source, SafeFileHandle handle)
    {
        _registry = registry;
        _source = source;
        FdSetId = fdSetId;
        Handle = handle;
    }

    /// <summary>The duplicate (close-on-exec); owned by the lease.</summary>
    public SafeFileHandle Handle { get; }

    public long FdSetId { get; }

    /// <summary>The fdset fd this was duplicated from.</summary>
    public int SourceFd => _source.Number;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Handle.Dispose();
        _registry.Release(FdSetId, _source);
    }
}
