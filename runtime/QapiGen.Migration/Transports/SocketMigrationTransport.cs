using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Common;

namespace QapiGen.Migration.Transports;

/// <summary>
/// Stream sockets. Made from an address the engine connects to (outgoing), a
/// listening socket it accepts from (incoming), or sockets already connected
/// (a socket fd passed by the client, or a socketpair in tests).
/// </summary>
public sealed class SocketMigrationTransport : MigrationTransport
{
    private readonly EndPoint? _connectTo;
    private readonly string _peer;
    private readonly Socket? _listener;
    private readonly bool _ownsListener;
    private readonly Queue<Socket> _connected;
    private readonly List<Socket> _opened = new();
    private readonly object _gate = new();

    private SocketMigrationTransport(string description, MigrationDirection? direction, EndPoint? connectTo, Socket? listener, bool ownsListener, IEnumerable<Socket> connected,
        string? peer = null)
    {
        Description = description;
        _peer = peer ?? connectTo switch
        {
            UnixDomainSocketEndPoint unix => unix.ToString(),
            IPEndPoint ip => $"{ip.Address}:{ip.Port}",
            _ => description,
        };
        Direction = direction;
        _connectTo = connectTo;
        _listener = listener;
        _ownsListener = ownsListener;
        _connected = new Queue<Socket>(connected);
        SupportsMultipleChannels = connectTo is not null || listener is not null || _connected.Count > 1;
    }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override TransportKind Kind => TransportKind.Socket;

    /// <inheritdoc />
    public override MigrationDirection? Direction { get; }

    /// <inheritdoc />
    public override bool SupportsMultipleChannels { get; }

    /// <summary>Outgoing: connect to <paramref name="endpoint"/> (one connection per channel).</summary>
    /// <param name="endpoint">Where to connect.</param>
    /// <param name="peer">How a failure names the peer, as QEMU does: the socket's path, or
    /// <c>HOST:PORT</c> as the client wrote them; by default the endpoint's own text.</param>
    public static SocketMigrationTransport Connect(EndPoint endpoint, string? peer = null) =>
        new(Describe(endpoint), MigrationDirection.Outgoing, endpoint, null, false, [], peer);

    /// <summary>Incoming: accept channels from a bound, listening socket.</summary>
    /// <param name="listener">The listening socket.</param>
    /// <param name="ownsListener">Close the listener when the job ends (QEMU closes it after the last channel).</param>
    public static SocketMigrationTransport Listen(Socket listener, bool ownsListener = true)
    {
        ArgumentNullException.ThrowIfNull(listener);
        return new(Describe(listener.LocalEndPoint), MigrationDirection.Incoming, null, listener, ownsListener, []);
    }

    /// <summary>Either direction: one connected socket, e.g. from a passed fd. Single channel.</summary>
    public static SocketMigrationTransport FromConnected(Socket socket, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return new(description ?? "socket", null, null, null, false, [socket]);
    }

    /// <summary>Either direction: several connected sockets, main channel first.</summary>
    public static SocketMigrationTransport FromConnected(IReadOnlyList<Socket> sockets, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(sockets);
        if (sockets.Count == 0)
        {
            throw new ArgumentException("At least one socket is needed", nameof(sockets));
        }

        return new(description ?? "socket", null, null, null, false, sockets);
    }

    internal override async ValueTask<MigrationChannel> OpenChannelAsync(MigrationDirection direction, CancellationToken cancellationToken)
    {
        Socket socket;
        lock (_gate)
        {
            if (_connected.Count > 0)
            {
                socket = _connected.Dequeue();
                _opened.Add(socket);
                return new SocketChannel(socket, Description);
            }
        }

        if (_connectTo is UnixDomainSocketEndPoint unix)
        {
            // The system call itself, so that the failure keeps its errno (QEMU's strerror text).
            int errno = UnixSockets.TryConnect(unix, out Socket? connected);
            if (errno == 0)
            {
                Track(connected!);
                return new SocketChannel(connected!, Description);
            }

            if (errno != Libc.EAGAIN)
            {
                throw new System.IO.IOException($"Failed to connect to '{_peer}': {Errno.Text(errno)}");
            }

            // The listener's queue is full: .NET's connect below waits for room without blocking a thread.
        }

        if (_connectTo is not null)
        {
            socket = new Socket(_connectTo.AddressFamily, SocketType.Stream,
                _connectTo.AddressFamily == AddressFamily.Unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
            Track(socket);
            try
            {
                await socket.ConnectAsync(_connectTo, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new System.IO.IOException($"Failed to connect to '{_peer}': {e.Message}", e);
            }

            if (socket.AddressFamily != AddressFamily.Unix)
            {
                socket.NoDelay = true;
            }

            return new SocketChannel(socket, Description);
        }

        if (_listener is not null)
        {
            socket = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            Track(socket);
            return new SocketChannel(socket, Description);
        }

        throw new InvalidOperationException($"No more connected sockets for {Description}: multifd needs one socket per channel");
    }

    internal override void Abort()
    {
        if (_listener is not null && _ownsListener)
        {
            _listener.Dispose();
        }
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            foreach (Socket socket in _opened)
            {
                socket.Dispose();
            }

            while (_connected.Count > 0)
            {
                _connected.Dequeue().Dispose();
            }
        }

        if (_listener is not null && _ownsListener)
        {
            _listener.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private void Track(Socket socket)
    {
        lock (_gate)
        {
            _opened.Add(socket);
        }
    }

    private static string Describe(EndPoint? endpoint) => endpoint switch
    {
        UnixDomainSocketEndPoint unix => $"unix:{unix}",
        IPEndPoint ip => $"tcp:{ip}",
        DnsEndPoint dns => $"tcp:{dns.Host}:{dns.Port}",
        null => "socket",
        _ => endpoint.ToString() ?? "socket",
    };
}
