using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Transports;

namespace QapiGen.Host.Tests.Support;

/// <summary>
/// A line-level QMP client over a unix socket, for seeing exactly what a server (the host or
/// QEMU) answers: sends text with optional fds (SCM_RIGHTS through the runtime's transport),
/// reads CRLF-terminated lines, keeps events apart from replies.
/// </summary>
internal sealed class RawQmp : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly UnixSocketTransport _transport;
    private readonly StringBuilder _buffered = new();
    private readonly byte[] _chunk = new byte[65536];
    private bool _skipOneGreeting;

    private RawQmp(Socket socket)
    {
        _socket = socket;
        _transport = new UnixSocketTransport(socket); // only its sendmsg is used; reads go to the socket
    }

    /// <summary>Events received while waiting for replies, oldest first.</summary>
    public List<JsonElement> Events { get; } = new();

    public string? Greeting { get; private set; }

    /// <summary>
    /// Connects and reads the greeting. <paramref name="repeatedGreeting"/> is for QEMU only: a
    /// client that connects while QEMU is still starting can be greeted twice (the chardev reports
    /// "opened" once when it accepts and again when the monitor attaches), so a second greeting
    /// straight after the first is skipped. The host must never do that, so its tests leave it off.
    /// </summary>
    public static async Task<RawQmp> ConnectAsync(string path, bool negotiate = true, bool repeatedGreeting = false)
    {
        Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), Timeouts.Token());
        RawQmp qmp = new(socket);
        qmp.Greeting = await qmp.ReadLineAsync() ?? throw new InvalidOperationException("no greeting");
        qmp._skipOneGreeting = repeatedGreeting;
        if (negotiate)
        {
            JsonElement reply = await qmp.ExecuteAsync("{\"execute\":\"qmp_capabilities\"}");
            if (!reply.TryGetProperty("return", out _))
            {
                throw new InvalidOperationException("negotiation failed: " + reply);
            }
        }
        return qmp;
    }

    public async Task SendAsync(string text, params SafeHandle[] fds)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text.EndsWith('\n') ? text : text + "\n");
        await _transport.SendAsync(bytes, fds.Length > 0 ? fds : null, Timeouts.Token());
    }

    /// <summary>Sends a request and returns the next line that is not an event.</summary>
    public async Task<JsonElement> ExecuteAsync(string text, params SafeHandle[] fds)
    {
        await SendAsync(text, fds);
        return await ReadReplyAsync();
    }

    public async Task<JsonElement> ReadReplyAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            string line = await ReadLineAsync(timeout) ?? throw new InvalidOperationException("connection closed before the reply");
            JsonElement message = JsonDocument.Parse(line).RootElement;
            if (message.TryGetProperty("event", out _))
            {
                Events.Add(message);
                continue;
            }
            if (_skipOneGreeting && message.TryGetProperty("QMP", out _))
            {
                _skipOneGreeting = false;
                continue;
            }
            _skipOneGreeting = false;
            return message;
        }
    }

    /// <summary>The next event (queued ones first).</summary>
    public async Task<JsonElement> ReadEventAsync(TimeSpan? timeout = null)
    {
        if (Events.Count > 0)
        {
            JsonElement first = Events[0];
            Events.RemoveAt(0);
            return first;
        }
        string line = await ReadLineAsync(timeout) ?? throw new InvalidOperationException("connection closed before the event");
        JsonElement message = JsonDocument.Parse(line).RootElement;
        if (!message.TryGetProperty("event", out _))
        {
            throw new InvalidOperationException("expected an event, got " + line);
        }
        return message;
    }

    /// <summary>Next CRLF-terminated line without the terminator; null at end of stream.</summary>
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
            int n;
            try
            {
                n = await _socket.ReceiveAsync(_chunk, SocketFlags.None, token);
            }
            catch (SocketException)
            {
                return null;
            }
            if (n == 0)
            {
                return null;
            }
            _buffered.Append(Encoding.UTF8.GetString(_chunk, 0, n));
        }
    }

    /// <summary>True when the server closed the connection (reads end of stream).</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan? timeout = null) => await ReadLineAsync(timeout) is null;

    public ValueTask DisposeAsync() => _transport.DisposeAsync();
}
