using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Host.Tests.Support;

/// <summary>
/// A byte-level QMP client for malformed input: sends arbitrary bytes, splits replies on CRLF as
/// bytes (a reply that is not valid UTF-8 is kept as it is, to be reported), and summarises each
/// reply as what a client acts on: return or error, the error's class and text, whether an id
/// came back. Ids' values and timestamps are left out.
/// </summary>
internal sealed partial class ByteQmp : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _chunk = new byte[65536];
    private readonly List<byte> _buffered = new();

    private ByteQmp(Socket socket) => _socket = socket;

    public static async Task<ByteQmp> ConnectAsync(string path)
    {
        Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), Timeouts.Token());
        ByteQmp qmp = new(socket);
        await qmp.ReadLineAsync(Timeouts.Token());
        await qmp.SendAsync("{\"execute\":\"qmp_capabilities\"}\n"u8.ToArray());
        await qmp.ReadLineAsync(Timeouts.Token());
        return qmp;
    }

    public async Task SendAsync(byte[] bytes) => await _socket.SendAsync(bytes, SocketFlags.None, Timeouts.Token());

    /// <summary>
    /// Replies up to the one carrying <paramref name="syncId"/> (not included), summarised; events
    /// are skipped. Null when the sync reply does not come in time.
    /// </summary>
    public async Task<List<string>?> ReadUntilAsync(string syncId, TimeSpan timeout)
    {
        using CancellationTokenSource cts = new(timeout);
        List<string> replies = new();
        while (true)
        {
            byte[]? line;
            try
            {
                line = await ReadLineAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            if (line is null)
            {
                return null;
            }
            string? summary = Summarise(line, syncId, out bool isSync);
            if (isSync)
            {
                return replies;
            }
            if (summary is not null)
            {
                replies.Add(summary);
            }
        }
    }

    private static string? Summarise(byte[] line, string syncId, out bool isSync)
    {
        isSync = false;
        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            return "NOT UTF-8: " + Convert.ToHexString(line);
        }
        string text = System.Text.Encoding.UTF8.GetString(line);
        // QEMU re-serialises ids, so an id of 1e400 comes back as the bare word inf: not JSON.
        text = NonJsonNumber().Replace(text, "\"id\": null");
        JsonElement reply;
        try
        {
            reply = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return "NOT JSON: " + text;
        }
        if (reply.TryGetProperty("event", out _))
        {
            return null;
        }
        bool hasId = reply.TryGetProperty("id", out JsonElement id);
        if (hasId && id.ValueKind == JsonValueKind.String && id.GetString() == syncId)
        {
            isSync = true;
            return null;
        }
        string idMark = hasId ? " (id)" : "";
        if (reply.TryGetProperty("error", out JsonElement error))
        {
            return $"error {error.GetProperty("class").GetString()}: {error.GetProperty("desc").GetString()}{idMark}";
        }
        return reply.TryGetProperty("return", out _) ? "return" + idMark : "OTHER: " + text;
    }

    [GeneratedRegex("\"id\": -?(inf|nan)\\b")]
    private static partial Regex NonJsonNumber();

    private async Task<byte[]?> ReadLineAsync(CancellationToken token)
    {
        while (true)
        {
            for (int i = 0; i + 1 < _buffered.Count; i++)
            {
                if (_buffered[i] == '\r' && _buffered[i + 1] == '\n')
                {
                    byte[] line = _buffered.GetRange(0, i).ToArray();
                    _buffered.RemoveRange(0, i + 2);
                    return line;
                }
            }
            int n = await _socket.ReceiveAsync(_chunk, SocketFlags.None, token);
            if (n == 0)
            {
                return null;
            }
            _buffered.AddRange(new ArraySegment<byte>(_chunk, 0, n));
        }
    }

    public void Dispose() => _socket.Dispose();
}
