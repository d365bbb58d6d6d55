using System;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Client;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Tests.Support;
using QapiGen.Runtime.Transports;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Runtime.Tests;

/// <summary>The guest-agent dialect: the real qemu-ga, and a fake agent for the guests that never answer.</summary>
[Collection(FdCountingCollection.Name)]
public class GuestAgentTests
{
    [QemuGaFact]
    public async Task UntypedCallsAgainstRealAgent()
    {
        await using QemuGa agent = await QemuGa.StartAsync();
        await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, new QgaClientOptions { Timeout = TimeSpan.FromSeconds(60) });

        JsonElement ping = await client.ExecuteAsync("guest-ping");
        Assert.Equal(JsonValueKind.Object, ping.ValueKind);
        Assert.Empty(ping.EnumerateObject());

        JsonElement info = await client.ExecuteAsync("guest-info");
        Assert.StartsWith("7.", info.GetProperty("version").GetString());
        bool pingListed = false;
        foreach (JsonElement command in info.GetProperty("supported_commands").EnumerateArray())
        {
            pingListed |= command.GetProperty("name").GetString() == "guest-ping" && command.GetProperty("enabled").GetBoolean();
        }
        Assert.True(pingListed);

        JsonElement host = await client.ExecuteAsync("guest-get-host-name");
        Assert.Equal(System.Net.Dns.GetHostName(), host.GetProperty("host-name").GetString());

        // Nanoseconds since the epoch, from the same clock as ours (the agent runs on this machine).
        long agentNanos = (await client.ExecuteAsync("guest-get-time")).GetInt64();
        long ourNanos = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        Assert.InRange(agentNanos, ourNanos - TimeSpan.FromMinutes(10).Ticks * 100, ourNanos + TimeSpan.FromMinutes(10).Ticks * 100);

        QmpException error = await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("no-such-command"));
        Assert.Equal("CommandNotFound", error.ErrorClass);
        // An error reply leaves the channel in sync: the next call works.
        Assert.Equal(JsonValueKind.Object, (await client.ExecuteAsync("guest-ping")).ValueKind);
    }

    [QemuGaFact]
    public async Task StaleRepliesAndHalfMessagesAreDiscardedOnConnect()
    {
        await using QemuGa agent = await QemuGa.StartAsync();
        Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(agent.SocketPath));
        // What an earlier client left behind: requests whose replies it never read (one with
        // an id a fresh client would use, one a sync reply with a plausible id) and half a
        // request the agent is still waiting to finish.
        byte[] stale = Encoding.UTF8.GetBytes(
            """{"execute":"guest-info","id":1}{"execute":"guest-sync-delimited","arguments":{"id":1}}{"execute":"guest-get-host-name","id":1}{"execute":"guest-ping","arg""");
        await socket.SendAsync(stale);
        // Wait until the agent's replies are in our receive buffer, so they really are stale.
        DateTime until = DateTime.UtcNow.AddSeconds(60);
        while (socket.Available == 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }
        Assert.True(socket.Available > 0);

        await using QgaClient client = await QgaClient.CreateAsync(new UnixSocketTransport(socket), new QgaClientOptions { Timeout = TimeSpan.FromSeconds(60) });
        // Had a stale reply been taken, guest-ping would return guest-info's or the host name's object.
        JsonElement ping = await client.ExecuteAsync("guest-ping");
        Assert.Equal(JsonValueKind.Object, ping.ValueKind);
        Assert.Empty(ping.EnumerateObject());
        JsonElement time = await client.ExecuteAsync("guest-get-time");
        Assert.Equal(JsonValueKind.Number, time.ValueKind);
    }

    [QemuGaFact]
    public async Task ExplicitResynchronisationKeepsTheChannelUsable()
    {
        await using QemuGa agent = await QemuGa.StartAsync();
        await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, new QgaClientOptions { Timeout = TimeSpan.FromSeconds(60) });
        for (int i = 0; i < 3; i++)
        {
            await client.SynchronizeAsync();
            Assert.Empty((await client.ExecuteAsync("guest-ping")).EnumerateObject());
        }
    }

    [Fact]
    public async Task CallToSilentGuestTimesOutAndClientRecovers()
    {
        FdSnapshot before = FdSnapshot.Take();
        await using (FakeGuestAgent agent = new(answerSync: true))
        {
            await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, new QgaClientOptions { Timeout = TimeSpan.FromSeconds(2) });
            Assert.Equal(1, agent.Syncs);
            await Assert.ThrowsAsync<TimeoutException>(() => client.ExecuteAsync("guest-ping"));
            // The next call resynchronises first; the late reply to the first ping arrives
            // before the sync reply and is dropped, so this call gets its own answer.
            JsonElement second = await client.ExecuteAsync("guest-ping");
            Assert.Equal(2, second.GetProperty("ping").GetInt32());
            Assert.Equal(2, agent.Syncs);
            // A call that completed cleanly does not resynchronise.
            JsonElement third = await client.ExecuteAsync("guest-ping");
            Assert.Equal(3, third.GetProperty("ping").GetInt32());
            Assert.Equal(2, agent.Syncs);
        }
        await FdSnapshot.AssertNoneNewAsync(before);
    }

    [Fact]
    public async Task CancelledCallResynchronisesBeforeTheNext()
    {
        await using FakeGuestAgent agent = new(answerSync: true);
        await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, new QgaClientOptions { Timeout = TimeSpan.FromSeconds(60) });
        using CancellationTokenSource cancel = new();
        Task<JsonElement> first = client.ExecuteAsync("guest-ping", cancellationToken: cancel.Token);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        JsonElement second = await client.ExecuteAsync("guest-ping");
        Assert.Equal(2, second.GetProperty("ping").GetInt32());
        Assert.Equal(2, agent.Syncs);
    }

    [Fact]
    public async Task ConnectToGuestThatNeverAnswersTimesOutWithoutLeaks()
    {
        FdSnapshot before = FdSnapshot.Take();
        await using (FakeGuestAgent agent = new(answerSync: false))
        {
            await Assert.ThrowsAsync<TimeoutException>(() =>
                QgaClient.ConnectAsync(agent.Endpoint, new QgaClientOptions { Timeout = TimeSpan.FromSeconds(1) }));
        }
        await FdSnapshot.AssertNoneNewAsync(before);
    }
    [Fact]
    public async Task AgentClosingMidReplyFailsCallsWithoutHangOrLeak()
    {
        FdSnapshot before = FdSnapshot.Take();
        await using (FakeGuestAgent agent = new(answerSync: true, closeMidReply: true))
        {
            await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, new QgaClientOptions { Timeout = TimeSpan.FromSeconds(2) });
            await Assert.ThrowsAsync<TimeoutException>(() => client.ExecuteAsync("guest-ping"));
            // Resynchronises, then gets half a reply and the end of the connection.
            await Assert.ThrowsAsync<System.IO.IOException>(() => client.ExecuteAsync("guest-ping"));
            // A closed channel stays closed: the next call fails at once rather than waiting.
            await Assert.ThrowsAnyAsync<System.IO.IOException>(() => client.ExecuteAsync("guest-ping"));
        }
        await FdSnapshot.AssertNoneNewAsync(before);
    }
    [Fact]
    public async Task AgentAnsweringOnlyOldSyncIdsNeverSynchronises()
    {
        FdSnapshot before = FdSnapshot.Take();
        await using (FakeGuestAgent agent = new(answerSync: true, staleSyncIds: true))
        {
            await Assert.ThrowsAsync<TimeoutException>(() =>
                QgaClient.ConnectAsync(agent.Endpoint, new QgaClientOptions { Timeout = TimeSpan.FromSeconds(1) }));
            Assert.Equal(1, agent.Syncs);
        }
        await FdSnapshot.AssertNoneNewAsync(before);
    }

    [Fact]
    public async Task DisposeEndsRunningAndQueuedCalls()
    {
        await using FakeGuestAgent agent = new(answerSync: true);
        QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, new QgaClientOptions { Timeout = TimeSpan.FromMinutes(5) });
        // The first ping is never answered; the second waits behind it for the client.
        Task<JsonElement> running = client.ExecuteAsync("guest-ping");
        Task<JsonElement> queued = client.ExecuteAsync("guest-ping");
        await client.DisposeAsync();
        await Assert.ThrowsAsync<System.IO.IOException>(() => running);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queued);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SynchronizeAsync());
    }
}
