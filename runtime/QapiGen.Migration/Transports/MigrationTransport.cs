using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Migration.Transports;

/// <summary>
/// Where a migration goes to or comes from, as the host hands it to the engine:
/// a socket factory, a stream, an exec command or a file handle. The engine
/// takes ownership and releases everything when the job ends.
/// </summary>
public abstract class MigrationTransport : IAsyncDisposable
{
    private readonly List<IDisposable> _attached = new();

    /// <summary>A short name for messages, e.g. <c>unix:/run/mig.sock</c> or <c>exec:cat &gt; f</c>.</summary>
    public abstract string Description { get; }

    /// <summary>The shape of the transport.</summary>
    public abstract TransportKind Kind { get; }

    /// <summary>
    /// The direction this transport was made for, or null if it serves either
    /// (an already-connected socket or a stream).
    /// </summary>
    public abstract MigrationDirection? Direction { get; }

    /// <summary>Whether more than one channel can be opened (the multifd requirement).</summary>
    public abstract bool SupportsMultipleChannels { get; }

    /// <summary>Whether the transport is seekable (the mapped-ram requirement).</summary>
    public bool SupportsSeeking => Kind == TransportKind.File;

    /// <summary>
    /// Opens the next channel: connects, accepts, spawns, or wraps the stream.
    /// Called once, or 1 + multifd-channels times for multifd.
    /// </summary>
    internal abstract ValueTask<MigrationChannel> OpenChannelAsync(MigrationDirection direction, CancellationToken cancellationToken);

    /// <summary>Stops anything in progress (a pending accept, a spawned child).</summary>
    internal virtual void Abort()
    {
    }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// Ties something the host keeps for this transport (e.g. the fdset lease behind a
    /// <c>/dev/fdset/N</c> file) to it: a job releases it right after closing the transport and
    /// before it reports its final status, so a client that sees <c>completed</c> can count on
    /// the fd being free (remove-fd then closes it at once).
    /// </summary>
    public void Attach(IDisposable resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_attached)
        {
            _attached.Add(resource);
        }
    }

    /// <summary>Disposes what was attached, once; the job calls it after <see cref="DisposeAsync"/>.</summary>
    public void ReleaseAttached()
    {
        IDisposable[] resources;
        lock (_attached)
        {
            resources = _attached.ToArray();
            _attached.Clear();
        }

        foreach (IDisposable resource in resources)
        {
            resource.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => Description;
}
