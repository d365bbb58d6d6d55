using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Client;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Transports;

namespace QapiGen.Runtime.Tests.Support;

/// <summary>A real monitor on a real unix socket in a private temp directory.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly string _dir;

    private TestServer(string dir, UnixSocketListener listener, QmpMonitor monitor, TestDispatcher dispatcher, QmpEventHub hub)
    {
        _dir = dir;
        Listener = listener;
        Monitor = monitor;
        Dispatcher = dispatcher;
        Hub = hub;
    }

    public UnixSocketListener Listener { get; }
    public QmpMonitor Monitor { get; }
    public TestDispatcher Dispatcher { get; }
    public QmpEventHub Hub { get; }
    public string SocketPath => Listener.Path;

    public static TestServer Start(QmpSessionOptions? options = null, QmpEventHub? hub = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-rt-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        UnixSocketListener listener = new(Path.Combine(dir, "qmp.sock"));
        TestDispatcher dispatcher = new();
        hub ??= new QmpEventHub();
        QmpMonitor monitor = new("mon0", listener, dispatcher, options, hub, ownsListener: true);
        dispatcher.Monitor = monitor;
        monitor.Start();
        return new TestServer(dir, listener, monitor, dispatcher, hub);
    }

    public Task<QmpClient> ConnectClientAsync(QmpClientOptions? options = null) =>
        QmpClient.ConnectAsync("unix:" + SocketPath, options, Timeouts.Token());

    public async Task<RawConnection> ConnectRawAsync()
    {
        Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), Timeouts.Token());
        return new RawConnection(socket);
    }

    public async ValueTask DisposeAsync()
    {
        await Monitor.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Test timeouts: a hang fails the test instead of stalling the run.</summary>
internal static class Timeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    public static CancellationToken Token(TimeSpan? timeout = null) => new CancellationTokenSource(timeout ?? Default).Token;
}

/// <summary>A plain socket speaking lines, to see exactly what the server sends.</summary>
internal sealed class RawConnection : IDisposable
{
    private readonly StringBuilder _buffered = new();
    private readonly byte[] _chunk = new byte[65536];

    public RawConnection(Socket socket)
    {
        Socket = socket;
    }

    public Socket Socket { get; }

    public Task SendAsync(string text) => Socket.SendAsync(Encoding.UTF8.GetBytes(text), SocketFlags.None);

    public Task SendAsync(byte[] bytes) => Socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>Next CRLF-terminated line, without the terminator; null at end of stream.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        CancellationToken token = Timeouts.Token(timeout);
        while (true)
        {
            string text = _buffered.ToString();
            int nl = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (nl >= 0)
            {
                _buffered.Remove(0, nl + 2);
                return text[..nl];
            }
            int n = await Socket.ReceiveAsync(_chunk, SocketFlags.None, token);
            if (n == 0)
            {
                return null;
            }
            _buffered.Append(Encoding.UTF8.GetString(_chunk, 0, n));
        }
    }

    /// <summary>Reads the greeting and negotiates (enabling out-of-band execution when asked); returns the greeting.</summary>
    public async Task<string> NegotiateAsync(bool oob = false)
    {
        string? greeting = await ReadLineAsync();
        await SendAsync(oob
            ? "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}\n"
            : "{\"execute\":\"qmp_capabilities\"}\n");
        string? reply = await ReadLineAsync();
        if (reply != "{\"return\":{}}")
        {
            throw new InvalidOperationException("negotiation failed: " + reply);
        }
        return greeting!;
    }

    public void Dispose() => Socket.Dispose();
}
