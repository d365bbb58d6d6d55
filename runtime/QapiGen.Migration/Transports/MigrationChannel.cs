using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Migration.Transports;

/// <summary>
/// One byte stream of a migration: a socket, a pipe, or a file read or written
/// sequentially. Multifd opens several.
/// </summary>
/// <remarks>
/// <see cref="Abort"/> exists because cancellation must also unblock I/O that
/// is parked in the kernel (a peer that stopped reading); it closes the
/// underlying object so that every pending and later call fails at once.
/// </remarks>
public abstract class MigrationChannel : IAsyncDisposable
{
    /// <summary>A short name for errors, e.g. <c>unix:/run/mig.sock</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Writes several pieces in order (a record head from a buffer and pages from
    /// RAM). Files override this with one <c>pwritev</c>; the default writes each piece.
    /// </summary>
    public virtual async ValueTask WriteGatherAsync(IReadOnlyList<ReadOnlyMemory<byte>> pieces, CancellationToken cancellationToken)
    {
        foreach (ReadOnlyMemory<byte> piece in pieces)
        {
            await WriteAsync(piece, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads at least one byte; returns 0 at end of stream.</summary>
    public abstract ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>
    /// Called after the last write of a successful migration: half-closes a socket,
    /// closes a child's stdin and waits for it, so the peer sees a clean end.
    /// </summary>
    public virtual ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Makes pending and future I/O fail immediately. Safe to call more than once, from any thread.</summary>
    public abstract void Abort();

    /// <summary>Releases the channel's fd (and child process, for exec).</summary>
    public abstract ValueTask DisposeAsync();
}
