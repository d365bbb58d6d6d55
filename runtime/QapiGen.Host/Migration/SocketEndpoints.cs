using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Common;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Protocol;
using SocketAddress = QapiGen.Host.Qapi.SocketAddress;

namespace QapiGen.Host.Migration;

/// <summary>
/// Socket addresses (<c>inet</c>, <c>unix</c>) turned into what the engine needs: an endpoint to
/// connect to (outgoing) or a bound, listening socket (incoming), with QEMU-like errors.
/// </summary>
internal static class SocketEndpoints
{
    /// <summary>Enough for the main channel plus every multifd channel connecting at once.</summary>
    private const int Backlog = 256;

    /// <summary>Where an outgoing migration connects.</summary>
    /// <exception cref="QmpException">an unresolvable host or a port that is not a number.</exception>
    public static async ValueTask<EndPoint> ResolveAsync(SocketAddress address, CancellationToken cancellationToken)
    {
        switch (address)
        {
            case SocketAddress.Inet inet:
            {
                int port = ParsePort(inet.Port);
                if (inet.Host.Length == 0)
                {
                    throw QmpError.Generic("address resolution failed for :" + inet.Port + ": a host is needed to connect").ToException();
                }
                IPAddress ip = await ResolveHostAsync(inet, cancellationToken).ConfigureAwait(false);
                return new IPEndPoint(ip, port);
            }
            case SocketAddress.Unix unix:
                return UnixEndPoint(unix);
            default:
                throw new ArgumentException("only inet and unix addresses have endpoints", nameof(address));
        }
    }

    /// <summary>
    /// Binds and listens for an incoming migration; returns the socket and the address it really
    /// listens on (the port the system chose for port 0), which query-migrate reports.
    /// </summary>
    /// <exception cref="QmpException">the address cannot be bound (QEMU's "Failed to bind socket").</exception>
    public static async ValueTask<(Socket Listener, SocketAddress Bound)> ListenAsync(SocketAddress address, CancellationToken cancellationToken)
    {
        switch (address)
        {
            case SocketAddress.Inet inet:
            {
                int port = ParsePort(inet.Port);
                int last = inet.To is { } to ? Math.Max(port, (int)to) : port;
                IPAddress ip = inet.Host.Length == 0 || inet.Host is "::" or "[::]"
                    ? (inet.Ipv4 == true ? IPAddress.Any : IPAddress.IPv6Any)
                    : await ResolveHostAsync(inet, cancellationToken).ConfigureAwait(false);
                SocketException? failure = null;
                // "to": try each port up to it, the first free one wins (QEMU's inet_listen_saddr()).
                for (int candidate = port; candidate <= last; candidate++)
                {
                    Socket socket = new(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                    try
                    {
                        if (ip.Equals(IPAddress.IPv6Any))
                        {
                            socket.DualMode = true;
                        }
                        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                        socket.Bind(new IPEndPoint(ip, candidate));
                        socket.Listen(Backlog);
                        IPEndPoint bound = (IPEndPoint)socket.LocalEndPoint!;
                        return (socket, new SocketAddress.Inet
                        {
                            Host = bound.Address.ToString(),
                            Port = bound.Port.ToString(CultureInfo.InvariantCulture),
                        });
                    }
                    catch (SocketException ex)
                    {
                        socket.Dispose();
                        failure = ex;
                    }
                }
                // QEMU's inet_listen_saddr() text, whatever the port range.
                throw QmpError.Generic($"Failed to find an available port: {failure?.Message}").ToException();
            }
            case SocketAddress.Unix unix:
            {
                UnixDomainSocketEndPoint endpoint = UnixEndPoint(unix);
                // QEMU unlinks the path before binding, so a stale socket from an earlier run does not
                // block the next one; only sockets are removed, never a regular file by mistake.
                if (unix.Abstract != true && UnixSockets.RemoveStaleSocket(unix.Path) is int unlinkError and not 0)
                {
                    throw QmpError.Generic($"Failed to unlink socket {unix.Path}: {Errno.Text(unlinkError)}").ToException();
                }
                // bind() itself, so that a failure keeps its errno (QEMU's strerror text).
                int bindError = UnixSockets.TryBind(endpoint, out Socket? bound);
                if (bindError != 0)
                {
                    throw QmpError.Generic($"Failed to bind socket to {unix.Path}: {Errno.Text(bindError)}").ToException();
                }
                Socket socket = bound!;
                try
                {
                    socket.Listen(Backlog);
                }
                catch (SocketException ex)
                {
                    socket.Dispose();
                    throw QmpError.Generic($"Failed to listen on socket: {ex.Message}").ToException();
                }
                return (socket, new SocketAddress.Unix { Path = unix.Path, Abstract = unix.Abstract });
            }
            default:
                throw new ArgumentException("only inet and unix addresses can listen", nameof(address));
        }
    }

    private static UnixDomainSocketEndPoint UnixEndPoint(SocketAddress.Unix unix)
    {
        // sun_path holds 108 bytes. QEMU takes a path of exactly 108 (no NUL) too; .NET's endpoint
        // cannot express it, so it is refused with the same text as a longer one.
        if (Encoding.UTF8.GetByteCount(unix.Path) > MaxUnixPathBytes)
        {
            throw QmpError.Generic($"UNIX socket path '{unix.Path}' is too long").ToException();
        }
        // A leading NUL puts the name in Linux's abstract namespace; .NET uses the exact length,
        // which is QEMU's default "tight" form.
        return new(unix.Abstract == true ? "\0" + unix.Path : unix.Path);
    }

    /// <summary>The longest path (abstract name) a unix endpoint takes: sun_path less the NUL (less the leading NUL).</summary>
    private const int MaxUnixPathBytes = 107;

    /// <summary>How QEMU names a socket address in "Failed to connect to '…'": the path, or HOST:PORT as written.</summary>
    public static string PeerName(SocketAddress address) => address switch
    {
        SocketAddress.Unix unix => unix.Path,
        SocketAddress.Inet inet => $"{inet.Host}:{inet.Port}",
        _ => address.ToString() ?? "socket",
    };

    private static int ParsePort(string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            throw QmpError.Generic($"Port '{text}' is not a port number (service names are not looked up)").ToException();
        }
        return port;
    }

    private static async ValueTask<IPAddress> ResolveHostAsync(SocketAddress.Inet inet, CancellationToken cancellationToken)
    {
        string host = inet.Host.Trim('[', ']');
        if (IPAddress.TryParse(host, out IPAddress? literal))
        {
            return literal;
        }
        if (inet.Numeric == true)
        {
            throw QmpError.Generic($"address resolution failed for {inet.Host}:{inet.Port}: not a numeric address").ToException();
        }
        IPAddress[] found;
        try
        {
            found = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw QmpError.Generic($"address resolution failed for {inet.Host}:{inet.Port}: {ex.Message}").ToException();
        }
        // ipv4=on alone or ipv6=on alone restricts the family; otherwise the resolver's order wins.
        bool only4 = inet.Ipv4 == true && inet.Ipv6 != true;
        bool only6 = inet.Ipv6 == true && inet.Ipv4 != true;
        IPAddress? pick = found.FirstOrDefault(a =>
            (!only4 || a.AddressFamily == AddressFamily.InterNetwork) &&
            (!only6 || a.AddressFamily == AddressFamily.InterNetworkV6));
        return pick ?? throw QmpError.Generic($"address resolution failed for {inet.Host}:{inet.Port}: no address of the requested family").ToException();
    }
}
