using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Migration.Transports;

namespace QapiGen.Host.Migration;

/// <summary>
/// A transport ready to hand to the engine, with what the host keeps next to it: the fdset
/// lease behind a <c>/dev/fdset/N</c> file, attached to the transport so that the job releases
/// it as it ends (before reporting its final status: remove-fd cannot close the fd under it, and
/// a client that sees the end finds the fd free), and, incoming, the address it listens on.
/// </summary>
internal sealed class PreparedTransport
{
    public PreparedTransport(MigrationTransport transport, IDisposable? lease = null, IReadOnlyList<SocketAddress>? listening = null)
    {
        Transport = transport ?? throw new ArgumentNullException(nameof(transport));
        if (lease is not null)
        {
            transport.Attach(lease);
        }
        Listening = listening;
    }

    public MigrationTransport Transport { get; }

    /// <summary>For query-migrate's socket-address: where an incoming migration listens.</summary>
    public IReadOnlyList<SocketAddress>? Listening { get; }

    /// <summary>The job never started (the engine did not take the transport): close it and release the lease.</summary>
    public async ValueTask DiscardAsync()
    {
        try
        {
            await Transport.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            Transport.ReleaseAttached();
        }
    }
}
