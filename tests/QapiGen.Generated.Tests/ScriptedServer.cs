using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Generated.Tests;

/// <summary>
/// A QMP server that answers from a script, as a server of another version than the client's schema
/// would: each command gets the return value (raw JSON text) the script gives for its name, and
/// after capabilities negotiation the scripted events (raw JSON lines) are sent in order.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _path;
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(60));
    private readonly Task _run;

    public ScriptedServer(IReadOnlyDictionary<string, string> returns, IReadOnlyList<string>? events = null)
    {
        _path = Path.Combine(Path.GetTempPath(), "qapigen-skew-" + Guid.NewGuid().ToString("N").Substring(0, 12) + ".sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        _listener.Listen(1);
        _run = RunAsync(returns, events ?? [], _cts.Token);
    }

    public string Endpoint => "unix:" + _path;

    /// <summary>The commands received, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Commands { get; } = new();

    private async Task RunAsync(IReadOnlyDictionary<string, string> returns, IReadOnlyList<string> events, CancellationToken ct)
    {
        using Socket socket = await _listener.AcceptAsync(ct);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        async Task Send(string line) => await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), ct);
        await Send("""{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": ""}, "capabilities": []}}""");
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var request = JsonDocument.Parse(line);
            string command = request.RootElement.GetProperty("execute").GetString()!;
            string id = request.RootElement.GetProperty("id").GetRawText();
            Commands.Enqueue(command);
            if (command == "qmp_capabilities")
            {
                await Send($$"""{"return": {}, "id": {{id}}}""");
                foreach (string e in events)
                {
                    await Send(e);
                }
            }
            else if (returns.TryGetValue(command, out string? value))
            {
                await Send($$"""{"return": {{value}}, "id": {{id}}}""");
            }
            else
            {
                await Send($$"""{"error": {"class": "CommandNotFound", "desc": "The command {{command}} has not been found"}, "id": {{id}}}""");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cts.Cancel();
        try
        {
            await _run;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
        }
        _listener.Dispose();
        File.Delete(_path);
        _cts.Dispose();
    }
}
