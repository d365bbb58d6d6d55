using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Framing;
using QapiGen.Runtime.Transports;

namespace QapiGen.Runtime.Tests.Support;

/// <summary>
/// A misbehaving guest agent on a unix socket, for what the real one will not do on demand:
/// it answers <c>guest-sync-delimited</c> as qemu-ga does (0xFF, then the reply) unless told to
/// stay silent, never answers the first <c>guest-ping</c>, and sends that ping's reply late,
/// just before the next sync reply, as a guest that was only slow would. Before each sync
/// reply's 0xFF it also sends half a message, which only that 0xFF can end. With
/// <c>closeMidReply</c> it answers the second ping with half a reply and closes; with
/// <c>staleSyncIds</c> it answers every sync with an id other than the one asked for.
/// </summary>
public sealed class FakeGuestAgent : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _directory;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serve;
    private readonly bool _answerSync;
    private readonly bool _closeMidReply;
    private readonly bool _staleSyncIds;

    public FakeGuestAgent(bool answerSync, bool closeMidReply = false, bool staleSyncIds = false)
    {
        _staleSyncIds = staleSyncIds;
        _answerSync = answerSync;
        _closeMidReply = closeMidReply;
        _directory = Path.Combine(Path.GetTempPath(), "fakeqga-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(_directory, "qga.sock")));
        _listener.Listen(1);
        _serve = Task.Run(ServeAsync);
    }

    public string Endpoint => "unix:" + Path.Combine(_directory, "qga.sock");

    /// <summary>Syncs seen so far (each resynchronisation sends one).</summary>
    public int Syncs => Volatile.Read(ref _syncs);

    private int _syncs;

    private async Task ServeAsync()
    {
        try
        {
            using Socket socket = await _listener.AcceptAsync(_stop.Token);
            await using UnixSocketTransport transport = new(socket);
            using JsonMessageReader reader = new(transport.Input);
            long? unanswered = null;
            int pings = 0;
            while (await reader.ReadAsync(_stop.Token) is { } frame)
            {
                using (frame)
                {
                    if (frame.IsError)
                    {
                        continue; // the client's 0xFF
                    }
                    using JsonDocument request = JsonDocument.Parse(frame.Json);
                    JsonElement root = request.RootElement;
                    string command = root.GetProperty("execute").GetString()!;
                    if (command == "guest-sync-delimited")
                    {
                        Interlocked.Increment(ref _syncs);
                        if (!_answerSync)
                        {
                            continue;
                        }
                        StringBuilder reply = new();
                        if (unanswered is long late)
                        {
                            reply.Append($"{{\"return\": {{\"late\": true}}, \"id\": {late}}}\n");
                            unanswered = null;
                        }
                        reply.Append("{\"return\": {\"half\": \"a string the 0xFF cuts ");
                        await transport.SendAsync(Encoding.UTF8.GetBytes(reply.ToString()), null, _stop.Token);
                        await transport.SendAsync(new byte[] { 0xFF }, null, _stop.Token);
                        long id = root.GetProperty("arguments").GetProperty("id").GetInt64();
                        if (_staleSyncIds)
                        {
                            id--;
                        }
                        await transport.SendAsync(Encoding.UTF8.GetBytes($"{{\"return\": {id}}}\n"), null, _stop.Token);
                    }
                    else if (command == "guest-ping")
                    {
                        long id = root.GetProperty("id").GetInt64();
                        if (++pings == 1)
                        {
                            unanswered = id;
                            continue;
                        }
                        if (_closeMidReply)
                        {
                            await transport.SendAsync(Encoding.UTF8.GetBytes($"{{\"return\": {{\"ping\": {pings}"), null, _stop.Token);
                            return;
                        }
                        await transport.SendAsync(Encoding.UTF8.GetBytes($"{{\"return\": {{\"ping\": {pings}}}, \"id\": {id}}}\n"), null, _stop.Token);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _serve;
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
