using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Migration.Transports;

namespace QapiGen.Host.Migration;

/// <summary>
/// A transport ready to hand to the engine, with what the host must keep alive next to it: the
/// fdset lease behind a <c>/dev/fdset/N</c> file (released only when the job has ended, so
/// remove-fd cannot close the fd under it) and, incoming, the address it listens on.
/// </summary>
internal sealed class PreparedTransport
{
    private readonly IDisposable? _lease;

    public PreparedTransport(MigrationTransport transport, IDisposable? lease = null, IReadOnlyList<SocketAddress>? listening = null)
    {
        Transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _lease = lease;
        Listening = listening;
    }

    public MigrationTransport Transport { get; }

    /// <summary>For query-migrate's socket-address: where an incoming migration listens.</summary>
    public IReadOnlyList<SocketAddress>? Listening { get; }

    /// <summary>The job never started: close the transport (the engine did not take it) and release the lease.</summary>
    public async ValueTask DiscardAsync()
    {
        try
        {
            await Transport.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _lease?.Dispose();
        }
    }

    /// <summary>The job ended (it closed the transport itself): release what the host kept for it.</summary>
    public void ReleaseAfterJob() => _lease?.Dispose();
}
