using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.GuestAgent.Tests.Support;

/// <summary>One raw reply line of a guest agent: its JSON, and whether a 0xFF byte came right before it.</summary>
public readonly record struct RawReply(bool Delimited, JsonElement Json);

/// <summary>
/// A client at the byte level, to hold the same conversation with two agents: sends exactly the
/// bytes given (a U+00FF character in a request stands for the raw byte 0xFF), reads reply lines.
/// </summary>
public sealed class RawAgentConnection : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);

    private readonly Socket _socket;
    private readonly List<byte> _pending = new();

    private RawAgentConnection(Socket socket) => _socket = socket;

    public static async Task<RawAgentConnection> ConnectAsync(string socketPath)
    {
        Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RawAgentConnection(socket);
    }

    /// <summary>The request's bytes: UTF-8, except that U+00FF is the byte 0xFF.</summary>
    public static byte[] Encode(string request)
    {
        // Every part is followed by a 0xFF byte, and the last one added is taken back.
        List<byte> bytes = new();
        foreach (string part in request.Split('\u00FF'))
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(part));
            bytes.Add(0xFF);
        }
        bytes.RemoveAt(bytes.Count - 1);
        return bytes.ToArray();
    }

    public async Task SendAsync(string request) => await _socket.SendAsync(Encode(request), SocketFlags.None);

    /// <summary>Reads <paramref name="count"/> reply lines (a line is JSON ended by LF; CR is whitespace).</summary>
    public async Task<List<RawReply>> ReadAsync(int count)
    {
        using CancellationTokenSource timeout = new(ReplyTimeout);
        List<RawReply> replies = new();
        byte[] buffer = new byte[64 * 1024];
        while (replies.Count < count)
        {
            int newline = _pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                byte[] line = _pending.GetRange(0, newline).ToArray();
                _pending.RemoveRange(0, newline + 1);
                bool delimited = line.Length > 0 && line[0] == 0xFF;
                ReadOnlySpan<byte> json = delimited ? line.AsSpan(1) : line;
                replies.Add(new RawReply(delimited, JsonDocument.Parse(json.ToArray()).RootElement.Clone()));
                continue;
            }
            int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                throw new InvalidOperationException($"the agent closed the connection after {replies.Count} of {count} replies");
            }
            _pending.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        return replies;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return default;
    }
}
