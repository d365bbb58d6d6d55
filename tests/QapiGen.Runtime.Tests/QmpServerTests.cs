using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Tests.Support;
using QapiGen.Runtime.Transports;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Runtime.Tests;

/// <summary>
/// <see cref="QmpServer"/> on real unix sockets: several clients at once (and QEMU's one at a
/// time when asked), graceful and bounded stops, and nothing left open afterwards.
/// </summary>
[Collection(FdCountingCollection.Name)]
public sealed class QmpServerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "qapigen-srv-" + Guid.NewGuid().ToString("N")[..12]);

    public QmpServerTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SocketPath => Path.Combine(_dir, "api.sock");

    [Fact]
    public async Task SeveralClientsAreGreetedAndServedAtOnceByDefault()
    {
        await using QmpServer server = new(new TestDispatcher(), new QmpServerOptions().Listen("unix:" + SocketPath));
        await server.StartAsync();
        List<RawConnection> clients = new();
        try
        {
            // With a QEMU monitor the second client would not even be greeted while the first is connected.
            for (int i = 0; i < 5; i++)
            {
                RawConnection client = await ConnectAsync();
                clients.Add(client);
                await client.NegotiateAsync();
            }
            for (int i = 0; i < clients.Count; i++)
            {
                await clients[i].SendAsync($"{{\"execute\":\"echo\",\"arguments\":{{\"n\":{i}}},\"id\":{i}}}\n");
            }
            for (int i = 0; i < clients.Count; i++)
            {
                Assert.Equal($"{{\"return\":{{\"n\":{i}}},\"id\":{i}}}", await clients[i].ReadLineAsync());
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task OneClientPerEndpointIsQemusMonitorTheNextWaitsInTheBacklog()
    {
        QmpServerOptions options = new QmpServerOptions { MaxClientsPerEndpoint = 1 }.Listen("unix:" + SocketPath);
        await using QmpServer server = new(new TestDispatcher(), options);
        await server.StartAsync();
        using RawConnection first = await ConnectAsync();
        await first.NegotiateAsync();
        using RawConnection second = await ConnectAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.ReadLineAsync(TimeSpan.FromMilliseconds(500)));
        first.Dispose();
        string? greeting = await second.ReadLineAsync();
        Assert.StartsWith("{\"QMP\":", greeting);
    }

    [Fact]
    public async Task StopRefusesNewClientsAndFlushesTheReplyOfTheRunningCommand()
    {
        GatedDispatcher dispatcher = new();
        await using QmpServer server = new(dispatcher, new QmpServerOptions().Listen("unix:" + SocketPath));
        await server.StartAsync();
        using RawConnection client = await ConnectAsync();
        await client.NegotiateAsync();
        await client.SendAsync("{\"execute\":\"wait\",\"id\":7}\n");
        await dispatcher.Started.Task.WaitAsync(Timeouts.Default);

        Task stop = server.StopAsync(Timeouts.Token(TimeSpan.FromMinutes(1)));
        Assert.False(File.Exists(SocketPath)); // the listener closed at once: new clients are refused
        await Assert.ThrowsAnyAsync<SocketException>(ConnectAsync);
        Assert.False(stop.IsCompleted); // it waits for the command, which cannot finish yet

        dispatcher.Release.TrySetResult();
        await stop.WaitAsync(Timeouts.Default);
        Assert.Equal("{\"return\":\"done\",\"id\":7}", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync()); // then the session closed
        Assert.False(dispatcher.TokenFired);
        await server.Completion.WaitAsync(Timeouts.Default);
    }

    [Fact]
    public async Task AStopThatRunsOutOfTimeClosesTheSessionsAndCancelsTheirCommands()
    {
        GatedDispatcher dispatcher = new();
        await using QmpServer server = new(dispatcher, new QmpServerOptions().Listen("unix:" + SocketPath));
        await server.StartAsync();
        using RawConnection client = await ConnectAsync();
        await client.NegotiateAsync();
        await client.SendAsync("{\"execute\":\"wait\",\"id\":7}\n");
        await dispatcher.Started.Task.WaitAsync(Timeouts.Default);

        using CancellationTokenSource timeout = new();
        Task stop = server.StopAsync(timeout.Token);
        timeout.Cancel();
        await stop.WaitAsync(Timeouts.Default);
        Assert.Null(await client.ReadLineAsync()); // no reply: the connection was closed
        await server.Completion.WaitAsync(Timeouts.Default);
        Assert.True(dispatcher.TokenFired);
    }

    [Fact]
    public async Task AStopFromACommandOfItsOwnSessionRepliesThenCloses()
    {
        StoppingDispatcher dispatcher = new();
        await using QmpServer server = new(dispatcher, new QmpServerOptions().Listen("unix:" + SocketPath));
        dispatcher.Server = server;
        await server.StartAsync();
        using RawConnection client = await ConnectAsync();
        await client.NegotiateAsync();
        await client.SendAsync("{\"execute\":\"quit\",\"id\":1}\n");
        Assert.Equal("{\"return\":{},\"id\":1}", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
        await server.Completion.WaitAsync(Timeouts.Default);
        Assert.False(File.Exists(SocketPath));
    }

    [Fact]
    public async Task AFailedStartClosesTheListenersItMadeAndWasGiven()
    {
        string given = Path.Combine(_dir, "given.sock");
        int before = FdCount.Now();
        QmpServerOptions options = new QmpServerOptions()
            .Listen("unix:" + SocketPath)
            .Listen("unix:" + Path.Combine(_dir, "missing", "api.sock")) // cannot bind: no such directory
            .Listen(new UnixSocketListener(given));
        await using QmpServer server = new(new TestDispatcher(), options);
        await Assert.ThrowsAnyAsync<Exception>(() => server.StartAsync());
        Assert.False(File.Exists(SocketPath));
        Assert.False(File.Exists(given));
        Assert.True(FdCount.Now() <= before, "a listener was left open");
    }

    [Fact]
    public async Task StoppingReleasesEverySessionListenerAndFd()
    {
        // Warm up (the runtime opens some files lazily), then count.
        await ServeAndStopAsync(clients: 2);
        int before = FdCount.Now();
        (int started, int ended) = await ServeAndStopAsync(clients: 12);
        int after = FdCount.Now();
        Assert.Equal(12, started);
        Assert.Equal(started, ended);
        Assert.True(after <= before + 2, $"the server leaked fds: {before} -> {after}");
        Assert.False(File.Exists(SocketPath));
    }

    private async Task<(int Started, int Ended)> ServeAndStopAsync(int clients)
    {
        int started = 0;
        int ended = 0;
        QmpServerOptions options = new QmpServerOptions
        {
            MaxClientsPerEndpoint = 4,
            SessionStarted = _ => Interlocked.Increment(ref started),
            SessionEnded = _ => Interlocked.Increment(ref ended),
        }.Listen("unix:" + SocketPath).Listen("tcp:127.0.0.1:0");
        await using (QmpServer server = new(new TestDispatcher(), options))
        {
            await server.StartAsync();
            List<RawConnection> open = new();
            // Some leave on their own (a slot then serves the next client), four stay connected until the stop.
            for (int i = 0; i < clients; i++)
            {
                RawConnection client = await ConnectAsync();
                await client.NegotiateAsync();
                await client.SendAsync("{\"execute\":\"query-version\"}\n");
                Assert.NotNull(await client.ReadLineAsync());
                if (i < clients - 4)
                {
                    client.Dispose();
                }
                else
                {
                    open.Add(client);
                }
            }
            await server.StopAsync(Timeouts.Token());
            foreach (RawConnection client in open)
            {
                Assert.Null(await client.ReadLineAsync());
                client.Dispose();
            }
            await server.Completion.WaitAsync(Timeouts.Default);
        }
        return (Volatile.Read(ref started), Volatile.Read(ref ended));
    }

    private async Task<RawConnection> ConnectAsync()
    {
        Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), Timeouts.Token());
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RawConnection(socket);
    }

    /// <summary>One command, <c>quit</c>, that stops the server serving it, as QEMU's quit does.</summary>
    private sealed class StoppingDispatcher : IQmpDispatcher
    {
        public QmpServer? Server { get; set; }

        public bool TryGetCommand(string name, out QmpCommandInfo info)
        {
            info = new QmpCommandInfo(name);
            return name == "quit";
        }

        public async ValueTask<QmpReply> DispatchAsync(QmpCommandContext context, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
        {
            await Server!.StopAsync(cancellationToken);
            return QmpReply.Empty;
        }
    }

    /// <summary>One command, <c>wait</c>, that runs until the test releases it.</summary>
    private sealed class GatedDispatcher : IQmpDispatcher
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool TokenFired { get; private set; }

        public bool TryGetCommand(string name, out QmpCommandInfo info)
        {
            info = new QmpCommandInfo(name);
            return name == "wait";
        }

        public async ValueTask<QmpReply> DispatchAsync(QmpCommandContext context, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            try
            {
                await Release.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                TokenFired = true;
                throw;
            }
            return QmpReply.FromJson(JsonDocument.Parse("\"done\"").RootElement);
        }
    }
}
