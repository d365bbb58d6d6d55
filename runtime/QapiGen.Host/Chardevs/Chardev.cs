using System;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;

namespace QapiGen.Host.Chardevs;

/// <summary>
/// A character device backend (QEMU's Chardev): something a frontend (here: a QMP monitor)
/// talks through. At most one frontend is attached at a time; a chardev with a frontend is
/// busy and cannot be removed.
/// </summary>
public abstract class Chardev : IAsyncDisposable
{
    private object? _frontend;

    protected Chardev(string id)
    {
        Id = id;
    }

    /// <summary>The chardev id (query-chardev's "label").</summary>
    public string Id { get; }

    /// <summary>The backend kind as chardev-add names it ("socket", "file", "null", "stdio").</summary>
    public abstract string Kind { get; }

    /// <summary>The attached frontend, if any.</summary>
    public object? Frontend => Volatile.Read(ref _frontend);

    /// <summary>query-chardev's "filename", in QEMU's format; <paramref name="connected"/> is the frontend's current client.</summary>
    public abstract string DescribeFilename(QmpSession? connected);

    /// <summary>Attaches a frontend; false when another one already is (QEMU's "Device 'X' is in use").</summary>
    public bool TryAttach(object frontend) => Interlocked.CompareExchange(ref _frontend, frontend, null) is null;

    /// <summary>Detaches <paramref name="frontend"/> if it is the one attached.</summary>
    public void Detach(object frontend) => Interlocked.CompareExchange(ref _frontend, null, frontend);

    /// <summary>
    /// Where a QMP monitor on this chardev accepts its clients. The chardev keeps owning it, so
    /// removing the monitor leaves the chardev usable by the next one.
    /// </summary>
    /// <exception cref="QmpException">when this kind of backend cannot carry a monitor.</exception>
    public virtual QmpListener GetMonitorListener() =>
        throw QmpError.Generic($"Chardev '{Id}' ({Kind}) cannot carry a QMP monitor").ToException();

    public abstract ValueTask DisposeAsync();
}
