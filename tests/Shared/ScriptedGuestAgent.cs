using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Framing;
using QapiGen.Runtime.Transports;

namespace QapiGen.Tests.Shared;

/// <summary>
/// A guest agent on a unix socket whose every answer is written by the test, for what the real
/// qemu-ga will not do on demand: the handler gets each parsed request and the connection to answer
/// on (or not). It serves one client, as a virtio-serial port does. <see cref="SyncReply"/> writes
/// what qemu-ga writes for <c>guest-sync-delimited</c>: 0xFF, then the reply.
/// </summary>
public sealed class ScriptedGuestAgent : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _directory;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serve;
    private readonly Func<JsonElement, UnixSocketTransport, CancellationToken, Task<bool>> _handler;

    /// <param name="handler">Answers one request; returns false to close the connection.</param>
    public ScriptedGuestAgent(Func<JsonElement, UnixSocketTransport, CancellationToken, Task<bool>> handler)
    {
        _handler = handler;
        _directory = Path.Combine(Path.GetTempPath(), "scriptedqga-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(_directory, "qga.sock")));
        _listener.Listen(1);
        _serve = Task.Run(ServeAsync);
    }

    public string Endpoint => "unix:" + Path.Combine(_directory, "qga.sock");

    /// <summary>Requests received so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    private int _requests;

    public static Task SendAsync(UnixSocketTransport transport, string text, CancellationToken cancellationToken) =>
        transport.SendAsync(Encoding.UTF8.GetBytes(text), null, cancellationToken).AsTask();

    /// <summary>qemu-ga's answer to <c>guest-sync-delimited</c>: 0xFF, then the id back.</summary>
    public static async Task SyncReply(JsonElement request, UnixSocketTransport transport, CancellationToken cancellationToken)
    {
        await transport.SendAsync(new byte[] { 0xFF }, null, cancellationToken);
        await SendAsync(transport, $"{{\"return\": {request.GetProperty("arguments").GetProperty("id").GetInt64()}}}\n", cancellationToken);
    }

    private async Task ServeAsync()
    {
        try
        {
            using Socket socket = await _listener.AcceptAsync(_stop.Token);
            await using UnixSocketTransport transport = new(socket);
            using JsonMessageReader reader = new(transport.Input, JsonFramingOptions.Default with { MaxMessageSize = 64 * 1024 * 1024 });
            while (await reader.ReadAsync(_stop.Token) is { } frame)
            {
                using (frame)
                {
                    if (frame.IsError)
                    {
                        continue; // the client's 0xFF
                    }

                    Interlocked.Increment(ref _requests);
                    using JsonDocument request = JsonDocument.Parse(frame.Json);
                    if (!await _handler(request.RootElement, transport, _stop.Token))
                    {
                        return;
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
