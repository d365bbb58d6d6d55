using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.GuestAgent.Tests.Support;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Transports;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.GuestAgent.Tests;

/// <summary>
/// The runtime's guest-agent dialect (<see cref="QmpDialect.GuestAgent"/>) on hand-written
/// dispatchers: what the session does by itself, and that QMP sessions are unchanged.
/// </summary>
[Collection(FdCountingCollection.Name)]
public class ServerDialectTests
{
    private const string Ff = "\u00FF";

    /// <summary>A dispatcher with one command, and optionally its own guest-sync-delimited (answering twice the id).</summary>
    private sealed class Dispatcher(bool ownSync) : IQmpDispatcher
    {
        public bool TryGetCommand(string name, out QmpCommandInfo info)
        {
            info = new QmpCommandInfo(name);
            return name == "x-hello" || (ownSync && name == "guest-sync-delimited");
        }

        public ValueTask<QmpReply> DispatchAsync(QmpCommandContext context, ReadOnlyMemory<byte> argumentBytes, CancellationToken cancellationToken)
        {
            if (context.Command.Name == "x-hello")
            {
                return new(QmpReply.FromWriter(0, static (w, _) => w.WriteStringValue("hello")));
            }
            using JsonDocument document = JsonDocument.Parse(argumentBytes);
            JsonElement arguments = document.RootElement;
            if (!arguments.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.Number)
            {
                return new(QmpReply.FromError(QmpError.ParameterMissing("id")));
            }
            return new(QmpReply.FromWriter(id.GetInt64() * 2, static (w, v) => w.WriteNumberValue(v)));
        }
    }

    private static async Task<List<string>> ConverseAsync(QmpSessionOptions options, bool ownSync, params (string Request, int Replies)[] steps)
    {
        string directory = Directory.CreateTempSubdirectory("qga-dialect-").FullName;
        try
        {
            string path = Path.Combine(directory, "s.sock");
            await using QmpMonitor monitor = new("t", new UnixSocketListener(path), new Dispatcher(ownSync), options, ownsListener: true);
            monitor.Start();
            await using RawAgentConnection connection = await RawAgentConnection.ConnectAsync(path);
            List<string> seen = new();
            foreach ((string request, int replies) in steps)
            {
                if (request.Length > 0)
                {
                    await connection.SendAsync(request);
                }
                foreach (RawReply reply in await connection.ReadAsync(replies))
                {
                    seen.Add((reply.Delimited ? "0xFF " : "") + reply.Json.GetRawText());
                }
            }
            return seen;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task SessionAnswersTheSyncCommandsWithoutAGreeting()
    {
        Dictionary<string, string> fdsBefore = FdCount.Snapshot();
        List<string> seen = await ConverseAsync(new QmpSessionOptions { Dialect = QmpDialect.GuestAgent }, ownSync: false,
            // The first bytes the client reads are the reply to its first request: no greeting.
            ("{\"execute\":\"x-hello\",\"id\":1}", 1),
            ("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":123}}", 1),
            ("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":-9},\"id\":\"s\"}", 1),
            ("{\"execute\":\"x-hello\"}", 1),
            ("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":1,\"x\":2}}", 1),
            ("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":\"1\"}}", 1),
            ("{\"execute\":\"guest-sync\"}", 1),
            // 0xFF mid-request: that request is dropped with a parse error, the next one runs.
            ("{\"execute\":\"x-hel" + Ff + "{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":5}}", 2),
            ("{\"execute\":\"qmp_capabilities\"}", 1),
            ("{\"exec-oob\":\"x-hello\"}", 1));
        Assert.Equal(new[]
        {
            "{\"return\":\"hello\",\"id\":1}",
            "{\"return\":123}",
            "0xFF {\"return\":-9,\"id\":\"s\"}",
            "{\"return\":\"hello\"}",
            "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Parameter 'x' is unexpected\"}}",
            "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Invalid parameter type for 'id', expected: integer\"}}",
            "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Parameter 'id' is missing\"}}",
            "{\"error\":{\"class\":\"GenericError\",\"desc\":\"JSON parse error, stray '\\\"x-hel\\uFFFD'\"}}",
            "0xFF {\"return\":5}",
            "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"The command qmp_capabilities has not been found\"}}",
            "{\"error\":{\"class\":\"GenericError\",\"desc\":\"QMP input member 'exec-oob' is unexpected\"}}",
        }, seen);
        FdCount.AssertNoneOpenedSince(fdsBefore);
    }

    [Fact]
    public async Task DispatcherThatDefinesTheSyncCommandAnswersItAndGetsTheDelimiter()
    {
        List<string> seen = await ConverseAsync(new QmpSessionOptions { Dialect = QmpDialect.GuestAgent }, ownSync: true,
            ("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":21}}", 1),
            ("{\"execute\":\"guest-sync-delimited\"}", 1),
            ("{\"execute\":\"x-hello\"}", 1));
        Assert.Equal(new[]
        {
            "0xFF {\"return\":42}",
            // An error reply carries no delimiter (qemu-ga delimits only what the command itself answered).
            "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Parameter 'id' is missing\"}}",
            "{\"return\":\"hello\"}",
        }, seen);
    }

    [Fact]
    public async Task QmpSessionsAreUnchanged()
    {
        List<string> seen = await ConverseAsync(QmpSessionOptions.Default, ownSync: false,
            ("", 1),
            ("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":1}}", 1),
            ("{\"execute\":\"qmp_capabilities\"}", 1),
            ("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":1}}", 1));
        Assert.StartsWith("{\"QMP\":", seen[0]);
        Assert.Equal(new[]
        {
            "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"Expecting capabilities negotiation with 'qmp_capabilities'\"}}",
            "{\"return\":{}}",
            "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"The command guest-sync-delimited has not been found\"}}",
        }, seen[1..]);
    }
}
