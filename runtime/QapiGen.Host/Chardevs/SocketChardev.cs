using System.Net;
using System.Threading.Tasks;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;

namespace QapiGen.Host.Chardevs;

/// <summary>
/// A listening socket backend (unix or TCP, <c>server=on</c>). It owns the listener; the
/// monitor attached to it accepts one client at a time, later clients wait in the backlog
/// (QEMU's chardev semantics). Unix sockets are created with mode 0600 and their file is
/// removed when the chardev goes away.
/// </summary>
public sealed class SocketChardev : Chardev
{
    private readonly QmpListener _listener;
    private readonly string _address;

    public SocketChardev(SocketChardevSpec spec, int maxFdsPerMessage)
        : base(spec.Id)
    {
        Endpoint = spec.Endpoint;
        _listener = QmpListener.Create(spec.Endpoint, maxFdsPerMessage);
        _address = _listener switch
        {
            // Port 0 means "any free port": report the one actually bound.
            TcpSocketListener tcp => $"tcp:{FormatHost(spec.Endpoint.Host!)}:{tcp.LocalEndPoint.Port}",
            _ => $"unix:{spec.Endpoint.Path}",
        };
    }

    public QmpEndpoint Endpoint { get; }

    /// <summary>Where clients connect, e.g. <c>unix:./qmp.sock</c> or <c>tcp:127.0.0.1:4444</c>.</summary>
    public string Address => _address;

    /// <summary>The bound TCP port (0 for unix sockets).</summary>
    public int TcpPort => _listener is TcpSocketListener tcp ? tcp.LocalEndPoint.Port : 0;

    public override string Kind => "socket";

    public override QmpListener GetMonitorListener() => _listener;

    /// <summary>QEMU 7.2's format: "disconnected:unix:P,server=on", "unix:P,server=on", "tcp:H:P,server=on &lt;-&gt; PEER".</summary>
    public override string DescribeFilename(QmpSession? connected)
    {
        if (connected is null)
        {
            return $"disconnected:{_address},server=on";
        }
        if (connected.Transport is TcpSocketTransport { Socket.RemoteEndPoint: IPEndPoint peer })
        {
            return $"{_address},server=on <-> {peer.Address}:{peer.Port}";
        }
        return $"{_address},server=on";
    }

    private static string FormatHost(string host) => host.Contains(':') ? $"[{host}]" : host;

    public override ValueTask DisposeAsync() => _listener.DisposeAsync();
}
