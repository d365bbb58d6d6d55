using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Runtime.Transports;

/// <summary>A listening TCP socket (no fd passing). Port 0 picks a free port; see <see cref="LocalEndPoint"/>.</summary>
public sealed class TcpSocketListener : QmpListener
{
    private readonly Socket _socket;

    /// <summary>Listens on <paramref name="host"/>:<paramref name="port"/> (port 0: a free one; see <see cref="LocalEndPoint"/>).</summary>
    public TcpSocketListener(string host, int port)
    {
        IPAddress address = host is "" or "0.0.0.0" ? IPAddress.Any
            : host == "::" ? IPAddress.IPv6Any
            : host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out IPAddress? parsed) ? parsed
            : Dns.GetHostAddresses(host)[0];
        _socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _socket.Bind(new IPEndPoint(address, port));
            _socket.Listen();
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    /// <summary>The address actually bound.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <inheritdoc/>
    public override string Description => $"tcp:{LocalEndPoint},server=on";

    /// <inheritdoc/>
    public override async ValueTask<QmpTransport> AcceptAsync(CancellationToken cancellationToken)
    {
        Socket client = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return new TcpSocketTransport(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
