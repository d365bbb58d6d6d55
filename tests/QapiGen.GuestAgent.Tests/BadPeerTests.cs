using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.GuestAgent.Tests.Support;
using QapiGen.Runtime.Client;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Tests.Support;
using QapiGen.Runtime.Transports;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.GuestAgent.Tests;

/// <summary>
/// Agents that misbehave (garbage, silence, wrong shapes, closing in the middle of a transfer) and a
/// client that leaves in the middle of one: every call ends with an exception, none hangs, no fd is
/// left open, and where the channel survives the next call works. (Agents that never answer, answer
/// only old sync ids or close mid-reply outside transfers: QapiGen.Runtime.Tests' GuestAgentTests.)
/// </summary>
[Collection(FdCountingCollection.Name)]
public class BadPeerTests
{
    private static readonly QgaClientOptions Short = new() { Timeout = TimeSpan.FromSeconds(2) };

    private static string Command(JsonElement request) => request.GetProperty("execute").GetString()!;

    private static long Id(JsonElement request) => request.GetProperty("id").GetInt64();

    private static byte[] Garbage(Random random, int length, bool withFF)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        if (!withFF)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == 0xFF)
                {
                    bytes[i] = (byte)'{';
                }
            }
        }
        return bytes;
    }

    [Fact]
    public async Task GarbageBeforeTheSyncDelimiterIsDiscarded()
    {
        Dictionary<string, string> before = FdCount.Snapshot();
        Random random = new(7);
        await using (ScriptedGuestAgent agent = new(async (request, transport, ct) =>
        {
            if (Command(request) == "guest-sync-delimited")
            {
                // Random bytes (0xFF among them, invalid UTF-8, open strings and brackets), then the delimiter.
                await transport.SendAsync(Garbage(random, 64 * 1024, withFF: true), null, ct);
                await ScriptedGuestAgent.SyncReply(request, transport, ct);
            }
            else
            {
                await ScriptedGuestAgent.SendAsync(transport, $"{{\"return\": {{\"n\": {Id(request)}}}, \"id\": {Id(request)}}}\n", ct);
            }
            return true;
        }))
        {
            await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, Short);
            for (int i = 0; i < 3; i++)
            {
                JsonElement reply = await client.ExecuteAsync("guest-ping");
                Assert.True(reply.GetProperty("n").GetInt64() > 0);
                await client.SynchronizeAsync();
            }
        }
        FdCount.AssertNoneOpenedSince(before);
    }

    [Fact]
    public async Task AgentSendingOnlyGarbageTimesOutWithoutLeaks()
    {
        Dictionary<string, string> before = FdCount.Snapshot();
        Random random = new(8);
        await using (ScriptedGuestAgent agent = new(async (request, transport, ct) =>
        {
            await transport.SendAsync(Garbage(random, 256 * 1024, withFF: true), null, ct);
            return true;
        }))
        {
            await Assert.ThrowsAsync<TimeoutException>(() => QgaClient.ConnectAsync(agent.Endpoint, Short));
        }
        FdCount.AssertNoneOpenedSince(before);
    }

    [Fact]
    public async Task GarbageInsteadOfAReplyTimesOutAndTheNextCallResynchronises()
    {
        Dictionary<string, string> before = FdCount.Snapshot();
        Random random = new(9);
        int pings = 0;
        await using (ScriptedGuestAgent agent = new(async (request, transport, ct) =>
        {
            if (Command(request) == "guest-sync-delimited")
            {
                await ScriptedGuestAgent.SyncReply(request, transport, ct);
            }
            else if (++pings == 1)
            {
                await transport.SendAsync(Garbage(random, 10_000, withFF: false), null, ct); // no reply, just noise
            }
            else
            {
                await ScriptedGuestAgent.SendAsync(transport, $"{{\"return\": {{\"ping\": {pings}}}, \"id\": {Id(request)}}}\n", ct);
            }

            return true;
        }))
        {
            await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, Short);
            await Assert.ThrowsAsync<TimeoutException>(() => client.ExecuteAsync("guest-ping"));
            Assert.Equal(2, (await client.ExecuteAsync("guest-ping")).GetProperty("ping").GetInt32());
        }
        FdCount.AssertNoneOpenedSince(before);
    }

    [Fact]
    public async Task ChunkOfTheWrongShapeIsATypedErrorAndTheHandleIsClosed()
    {
        int closes = 0;
        string chunk = "{\"count\": 3, \"buf-b64\": 42, \"eof\": false}";
        await using ScriptedGuestAgent agent = new(async (request, transport, ct) =>
        {
            string reply = Command(request) switch
            {
                "guest-sync-delimited" => "",
                "guest-file-open" => "7",
                "guest-file-read" => chunk,
                "guest-file-close" => "{}",
                _ => "{}",
            };
            if (Command(request) == "guest-file-close")
            {
                Interlocked.Increment(ref closes);
            }

            if (reply == "")
            {
                await ScriptedGuestAgent.SyncReply(request, transport, ct);
            }
            else
            {
                await ScriptedGuestAgent.SendAsync(transport, $"{{\"return\": {reply}, \"id\": {Id(request)}}}\n", ct);
            }

            return true;
        });
        await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, Short);
        QmpReplyException shape = await Assert.ThrowsAsync<QmpReplyException>(() => client.CopyFromGuestAsync("/x", Stream.Null));
        Assert.Equal("guest-file-read", shape.Command);
        Assert.Equal(1, closes);
        // Not base64 at all.
        chunk = "{\"count\": 3, \"buf-b64\": \"*-*-\", \"eof\": false}";
        await Assert.ThrowsAsync<InvalidDataException>(() => client.CopyFromGuestAsync("/x", Stream.Null));
        // More than was asked for.
        chunk = "{\"count\": 8, \"buf-b64\": \"" + Convert.ToBase64String(new byte[8]) + "\", \"eof\": false}";
        await Assert.ThrowsAsync<InvalidDataException>(() => client.CopyFromGuestAsync("/x", Stream.Null, chunkSize: 4));
        Assert.Equal(3, closes);
        Assert.Equal(JsonValueKind.Object, (await client.ExecuteAsync("guest-ping")).ValueKind);
    }

    [Fact]
    public async Task AgentClosingMidChunkFailsTheTransferWithoutHangOrLeak()
    {
        Dictionary<string, string> before = FdCount.Snapshot();
        await using (ScriptedGuestAgent agent = new(async (request, transport, ct) =>
        {
            switch (Command(request))
            {
                case "guest-sync-delimited":
                    await ScriptedGuestAgent.SyncReply(request, transport, ct);
                    return true;
                case "guest-file-open":
                    await ScriptedGuestAgent.SendAsync(transport, $"{{\"return\": 7, \"id\": {Id(request)}}}\n", ct);
                    return true;
                default:
                    // Half of a chunk, then the connection ends.
                    await ScriptedGuestAgent.SendAsync(transport, "{\"return\": {\"count\": 65536, \"buf-b64\": \"AAAAAAAA", ct);
                    return false;
            }
        }))
        {
            await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, new QgaClientOptions { Timeout = TimeSpan.FromSeconds(60) });
            await Assert.ThrowsAsync<IOException>(() => client.CopyFromGuestAsync("/x", Stream.Null));
            await Assert.ThrowsAnyAsync<IOException>(() => client.ExecuteAsync("guest-ping"));
        }
        FdCount.AssertNoneOpenedSince(before);
    }

    [Fact]
    public async Task AgentFallingSilentMidTransferTimesOut()
    {
        Dictionary<string, string> before = FdCount.Snapshot();
        int writes = 0;
        await using (ScriptedGuestAgent agent = new(async (request, transport, ct) =>
        {
            switch (Command(request))
            {
                case "guest-sync-delimited" when writes == 0:
                    await ScriptedGuestAgent.SyncReply(request, transport, ct);
                    break;
                case "guest-file-open":
                    await ScriptedGuestAgent.SendAsync(transport, $"{{\"return\": 7, \"id\": {Id(request)}}}\n", ct);
                    break;
                case "guest-file-write" when ++writes == 1:
                    await ScriptedGuestAgent.SendAsync(transport, $"{{\"return\": {{\"count\": 1000, \"eof\": false}}, \"id\": {Id(request)}}}\n", ct);
                    break;
                // Then nothing more: not the second write, not the resync before the close.
            }
            return true;
        }))
        {
            await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, Short);
            await Assert.ThrowsAsync<TimeoutException>(() => client.CopyToGuestAsync(new MemoryStream(new byte[3000]), "/x", chunkSize: 1000));
            Assert.Equal(2, writes);
            await Assert.ThrowsAsync<TimeoutException>(() => client.ExecuteAsync("guest-ping"));
        }
        FdCount.AssertNoneOpenedSince(before);
    }

    [QemuGaFact]
    public async Task ClientLeavingMidTransferLeavesTheAgentUsable()
    {
        await using QemuGa agent = await QemuGa.StartAsync();
        string directory = Path.GetDirectoryName(agent.SocketPath)!;
        QgaClientOptions generous = new() { Timeout = TimeSpan.FromSeconds(120) };
        // Warm up what a first connection allocates once (thread pool, epoll), so the count compares like with like.
        await (await QgaClient.ConnectAsync(agent.Endpoint, generous)).DisposeAsync();
        Dictionary<string, string> before = FdCount.Snapshot();

        for (int round = 0; round < 3; round++)
        {
            QgaClient leaving = await QgaClient.ConnectAsync(agent.Endpoint, generous);
            TaskCompletionSource halfway = new(TaskCreationOptions.RunContinuationsAsynchronously);
            SignallingStream source = new(new byte[32 * 1024 * 1024], 3 * 1024 * 1024 + round * 700_000, halfway);
            Task transfer = leaving.CopyToGuestAsync(source, Path.Combine(directory, "left.bin"), chunkSize: 1024 * 1024);
            await halfway.Task;
            await leaving.DisposeAsync();
            Exception e = await Assert.ThrowsAnyAsync<Exception>(() => transfer);
            Assert.True(e is IOException or ObjectDisposedException or SocketException or OperationCanceledException, e.ToString());

            // The next client resynchronises past whatever the first left half-sent or unread.
            await using QgaClient next = await QgaClient.ConnectAsync(agent.Endpoint, generous);
            byte[] data = new byte[100_000];
            new Random(round).NextBytes(data);
            string path = Path.Combine(directory, "after.bin");
            Assert.Equal(data.Length, await next.CopyToGuestAsync(new MemoryStream(data), path));
            MemoryStream back = new();
            await next.CopyFromGuestAsync(path, back);
            Assert.True(data.AsSpan().SequenceEqual(back.ToArray()));
        }
        FdCount.AssertNoneOpenedSince(before);
    }

    /// <summary>A memory stream that signals once a given number of bytes has been read from it.</summary>
    private sealed class SignallingStream(byte[] data, int signalAt, TaskCompletionSource signal) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = await base.ReadAsync(buffer, cancellationToken);
            if (Position >= signalAt)
            {
                signal.TrySetResult();
            }

            return n;
        }
    }
}
