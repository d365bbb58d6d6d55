using System;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Runtime.Transports;

/// <summary>
/// Something clients connect to (the server side of a socket chardev, or stdio). A monitor
/// accepts from it one client at a time; a <see cref="Server.QmpServer"/> runs several monitors on
/// one listener, so <see cref="AcceptAsync"/> may be called concurrently.
/// </summary>
public abstract class QmpListener : IAsyncDisposable
{
    /// <summary>Waits for the next client.</summary>
    public abstract ValueTask<QmpTransport> AcceptAsync(CancellationToken cancellationToken);

    /// <summary>Where the listener listens, for messages.</summary>
    public abstract string Description { get; }

    /// <summary>Stops listening.</summary>
    public abstract ValueTask DisposeAsync();

    /// <summary>Creates and starts listening on <paramref name="endpoint"/>.</summary>
    public static QmpListener Create(QmpEndpoint endpoint, int maxFdsPerMessage = UnixSocketTransport.DefaultMaxFdsPerMessage)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsServer)
        {
            throw new NotSupportedException($"{endpoint}: only server=on endpoints can be listened on");
        }
        return endpoint.Kind switch
        {
            QmpEndpointKind.Unix => new UnixSocketListener(endpoint.Path!, maxFdsPerMessage),
            QmpEndpointKind.Tcp => new TcpSocketListener(endpoint.Host!, endpoint.Port),
            _ => new StdioListener(),
        };
    }

    /// <summary>A listener for an address in QEMU's syntax (see <see cref="QmpEndpoint.Parse"/>).</summary>
    public static QmpListener Create(string endpoint) => Create(QmpEndpoint.Parse(endpoint));
}
