using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Runtime.Client;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Tests.Support;
using QapiGen.Runtime.Transports;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Runtime.Tests;

[Collection(FdCountingCollection.Name)]
public class RobustnessTests
{
    [Fact]
    public async Task SocketFileIsCreatedWithMode0600()
    {
        await using TestServer server = TestServer.Start();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(server.SocketPath));
    }

    /// <summary>
    /// Clients that send a command and disconnect before reading the reply must never
    /// wedge the monitor. 2000 of them (some leaving mid-command), then a normal client must be
    /// answered promptly; the timeout fails the test.
    /// </summary>
    [Fact]
    public async Task ThousandsOfClientsLeavingWithoutReadingNeverBlockTheMonitor()
    {
        await using TestServer server = TestServer.Start();
        byte[] quick = Encoding.ASCII.GetBytes("{\"execute\":\"qmp_capabilities\"}{\"execute\":\"query-version\",\"id\":1}\n");
        byte[] slow = Encoding.ASCII.GetBytes("{\"execute\":\"qmp_capabilities\"}{\"execute\":\"slow\",\"arguments\":{\"ms\":20}}\n");
        // Warm up (the runtime opens some files lazily: assemblies, symbols), then count.
        await RunLeavingClientsAsync(server, quick, slow, 200);
        await ConnectAndQueryAsync(server);
        int before = FdCount.Now();

        await RunLeavingClientsAsync(server, quick, slow, 2000);
        await ConnectAndQueryAsync(server);
        int after = FdCount.Now();
        Assert.True(after <= before + 2, $"sessions leaked fds: {before} -> {after}");
    }

    private static async Task RunLeavingClientsAsync(TestServer server, byte[] quick, byte[] slow, int clients)
    {
        const int Parallel = 8;
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async worker =>
        {
            for (int i = worker; i < clients; i += Parallel)
            {
                using Socket s = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(server.SocketPath));
                await s.SendAsync(i % 100 == 0 ? slow : quick, SocketFlags.None);
                // Leave without reading anything, not even the greeting.
            }
        })).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task ConnectAndQueryAsync(TestServer server)
    {
        // Served promptly although thousands of clients left replies unread: the timeouts fail the test.
        await using QmpClient client = await QmpClient.ConnectAsync("unix:" + server.SocketPath, null, Timeouts.Token(TimeSpan.FromSeconds(20)));
        JsonElement version = await client.ExecuteAsync("query-version", cancellationToken: Timeouts.Token(TimeSpan.FromSeconds(5)));
        Assert.Equal(7, version.GetProperty("qemu").GetProperty("major").GetInt32());
        await client.DisposeAsync();
        while (server.Monitor.CurrentSession is { } session)
        {
            await session.Completion.WaitAsync(Timeouts.Default);
        }
    }

    /// <summary>
    /// Out of fds, accept fails (EMFILE) and a connection's receive thread may not start (.NET
    /// needs fds to start a thread): neither may stop the monitor. The next client is served.
    /// </summary>
    [Fact]
    public async Task MonitorKeepsAcceptingAfterFailedAcceptsAndASessionThatCouldNotStart()
    {
        string dir = Directory.CreateTempSubdirectory("qapigen-rt-").FullName;
        UnixSocketListener inner = new(Path.Combine(dir, "qmp.sock"));
        FlakyListener listener = new(inner);
        await using QmpMonitor monitor = new("mon0", listener, new TestDispatcher(), ownsListener: true);
        monitor.Start();
        await using QmpClient client = await QmpClient.ConnectAsync("unix:" + inner.Path, null, Timeouts.Token(TimeSpan.FromSeconds(20)));
        Assert.Equal(7, (await client.ExecuteAsync("query-version", cancellationToken: Timeouts.Token())).GetProperty("qemu").GetProperty("major").GetInt32());
        Assert.Equal(4, listener.Accepts);
        Assert.False(monitor.Completion.IsCompleted);
    }

    /// <summary>
    /// Stopping a monitor closes its listener as it cancels the accept: the pending accept may then end
    /// with a socket error ("operation aborted") instead of a cancellation. That is the stop, not a fault:
    /// the monitor's completion must not carry it (a host stopping after a failed start reported it in
    /// place of the start's own error).
    /// </summary>
    [Fact]
    public async Task AnAcceptAbortedByTheStopEndsTheMonitorCleanly()
    {
        AbortedOnStopListener listener = new();
        await using QmpMonitor monitor = new("mon0", listener, new TestDispatcher(), ownsListener: true);
        monitor.Start();
        await listener.Pending.Task.WaitAsync(Timeouts.Default);
        monitor.Stop();
        await monitor.Completion.WaitAsync(Timeouts.Default);
        Assert.True(monitor.Completion.IsCompletedSuccessfully, monitor.Completion.Exception?.ToString());
    }

    /// <summary>An accept that waits for its token and then fails as a closed listening socket's pending accept does.</summary>
    private sealed class AbortedOnStopListener : QmpListener
    {
        public readonly TaskCompletionSource Pending = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override string Description => "aborted on stop";

        public override async ValueTask<QmpTransport> AcceptAsync(System.Threading.CancellationToken cancellationToken)
        {
            Pending.TrySetResult();
            await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            throw new SocketException((int)SocketError.OperationAborted);
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Fails twice as an exhausted fd table makes accept fail, then hands out a transport whose receive thread cannot start, then accepts for real.</summary>
    private sealed class FlakyListener(UnixSocketListener inner) : QmpListener
    {
        public int Accepts;

        public override string Description => inner.Description;

        public override ValueTask<QmpTransport> AcceptAsync(System.Threading.CancellationToken cancellationToken)
        {
            int n = System.Threading.Interlocked.Increment(ref Accepts);
            return n switch
            {
                1 or 2 => throw new SocketException((int)SocketError.TooManyOpenSockets),
                3 => new ValueTask<QmpTransport>(new ThreadlessTransport()),
                _ => inner.AcceptAsync(cancellationToken),
            };
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>A transport whose receive pump cannot start, as Thread.Start fails when no fd is left.</summary>
    private sealed class ThreadlessTransport : QmpTransport
    {
        public override string Description => "threadless";

        public override ValueTask SendAsync(ReadOnlyMemory<byte> data, IReadOnlyList<SafeHandle>? fds, System.Threading.CancellationToken cancellationToken) => ValueTask.CompletedTask;

        private protected override ValueTask<ReceiveResult> ReceiveAsync(Memory<byte> buffer, List<SafeFileHandle> fds, System.Threading.CancellationToken cancellationToken) => new(new ReceiveResult(0));

        private protected override Task StartPump() => throw new OutOfMemoryException("Thread failed to start.");

        private protected override void CloseCore()
        {
        }
    }

    [Fact]
    public async Task AClientThatLeavesCancelsItsCommandAndTheNextClientIsGreetedAtOnce()
    {
        await using TestServer server = TestServer.Start();
        RawConnection first = await server.ConnectRawAsync();
        await first.NegotiateAsync();
        await first.SendAsync("{\"execute\":\"slow\",\"arguments\":{\"ms\":600000}}\n");
        await server.Dispatcher.SlowStarted.Task.WaitAsync(Timeouts.Default);
        using RawConnection second = await server.ConnectRawAsync();
        long left = Stopwatch.GetTimestamp();
        first.Dispose();
        // Before, the token fired only when the session ended, after the command: ten minutes here.
        long cancelled = await server.Dispatcher.SlowCancelled.Task.WaitAsync(Timeouts.Default);
        TimeSpan toCancel = Stopwatch.GetElapsedTime(left, cancelled);
        Assert.StartsWith("{\"QMP\":", await second.ReadLineAsync());
        TimeSpan toGreeting = Stopwatch.GetElapsedTime(left);
        // Typically a millisecond or two; the bounds only allow for a loaded machine.
        Console.WriteLine($"token fired {toCancel.TotalMilliseconds:0.0} ms, next client greeted {toGreeting.TotalMilliseconds:0.0} ms after the client left");
        Assert.True(toCancel < TimeSpan.FromSeconds(5), $"token fired {toCancel.TotalMilliseconds:0} ms after the client left");
        Assert.True(toGreeting < TimeSpan.FromSeconds(5), $"next client greeted {toGreeting.TotalMilliseconds:0} ms after the first left");
        await second.SendAsync("{\"execute\":\"qmp_capabilities\"}\n");
        Assert.Equal("{\"return\":{}}", await second.ReadLineAsync());
    }

    [Fact]
    public async Task AClientThatOnlyStopsSendingStillGetsItsReply()
    {
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        await c.SendAsync("{\"execute\":\"slow\",\"arguments\":{\"ms\":1000},\"id\":1}\n");
        await server.Dispatcher.SlowStarted.Task.WaitAsync(Timeouts.Default);
        c.Socket.Shutdown(SocketShutdown.Send);
        Assert.Equal("{\"return\":1000,\"id\":1}", await c.ReadLineAsync());
        Assert.False(server.Dispatcher.SlowCancelled.Task.IsCompleted);
    }

    [Fact]
    public async Task MonitorServesOneClientAtATime()
    {
        await using TestServer server = TestServer.Start();
        QmpClient first = await server.ConnectClientAsync();
        using RawConnection second = await server.ConnectRawAsync();
        Task<string?> greeting = second.ReadLineAsync();
        await first.ExecuteAsync("echo", cancellationToken: Timeouts.Token());
        await first.ExecuteAsync("echo", cancellationToken: Timeouts.Token());
        Assert.False(greeting.IsCompleted, "the second client was served while the first was connected");
        await first.DisposeAsync();
        Assert.StartsWith("{\"QMP\":", await greeting);
        await second.SendAsync("{\"execute\":\"qmp_capabilities\"}");
        Assert.Equal("{\"return\":{}}", await second.ReadLineAsync());
    }

    [Fact]
    public async Task ClientThatStopsReadingIsBackPressuredNotBuffered()
    {
        Protocol.QmpSessionOptions options = new() { OutputHighWatermark = 64 * 1024 };
        await using TestServer server = TestServer.Start(options);
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        string big = "{\"execute\":\"echo\",\"arguments\":{\"s\":\"" + new string('x', 60_000) + "\"}}";
        // Send far more than fits in socket buffers plus the watermark without reading.
        Task sending = Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                await c.SendAsync(big);
            }
        });
        await Task.WhenAny(sending, Task.Delay(500));
        Assert.False(sending.IsCompleted, "the server kept reading although the client reads nothing");
        // Once the client reads, everything flows again.
        for (int i = 0; i < 200; i++)
        {
            Assert.StartsWith("{\"return\":{\"s\":\"xxx", await c.ReadLineAsync());
        }
        await sending.WaitAsync(Timeouts.Default);
    }

    /// <summary>
    /// exec-oob replies obey the same bounds as in-band ones: a client that writes out-of-band
    /// requests (allowed and refused ones) and never reads is back-pressured near the watermark,
    /// not buffered; once events pile up past the hard limit it is disconnected, and what was
    /// queued for it is released.
    /// </summary>
    [Fact]
    public async Task ClientWritingExecOobWithoutReadingIsBoundedThenCutAtTheHardLimit()
    {
        const int Watermark = 64 * 1024;
        const int HardLimit = 512 * 1024;
        Protocol.QmpSessionOptions options = new() { OutputHighWatermark = Watermark, OutputHardLimit = HardLimit };
        await using TestServer server = TestServer.Start(options);
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync(oob: true);
        Protocol.QmpSession session = server.Monitor.CurrentSession!;
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        StringBuilder batch = new();
        for (int i = 0; i < 1000; i++)
        {
            batch.Append(i % 2 == 0 ? "{\"exec-oob\":\"ping-oob\",\"id\":" : "{\"exec-oob\":\"query-version\",\"id\":").Append(i).Append('}');
        }
        byte[] requests = Encoding.ASCII.GetBytes(batch.ToString());
        using System.Threading.CancellationTokenSource stop = new();
        long sent = 0;
        Task sending = Task.Run(async () =>
        {
            // 400,000 requests (about 14 MB of input, 25 MB of replies) unless the server stops taking them.
            for (int i = 0; i < 400 && !stop.IsCancellationRequested; i++)
            {
                await c.Socket.SendAsync(requests, SocketFlags.None, stop.Token);
                System.Threading.Interlocked.Add(ref sent, requests.Length);
            }
        });
        long maxPending = 0;
        long previousSent = -1;
        // Watch until the sender has been stuck for a while (the server stopped reading) or finished.
        for (int quiet = 0; quiet < 50 && !sending.IsCompleted;)
        {
            await Task.Delay(20);
            maxPending = Math.Max(maxPending, session.PendingOutputBytes);
            long now = System.Threading.Interlocked.Read(ref sent);
            quiet = now == previousSent ? quiet + 1 : 0;
            previousSent = now;
        }
        maxPending = Math.Max(maxPending, session.PendingOutputBytes);
        Assert.False(sending.IsCompleted, "the server kept reading exec-oob requests although the client reads nothing");
        Assert.True(maxPending <= Watermark + 1024, $"{maxPending} bytes queued for a client that reads nothing (watermark {Watermark})");
        Assert.True(maxPending > Watermark / 2, $"only {maxPending} bytes were queued: the test did not reach the watermark");

        // Events still arrive for the stalled client; past the hard limit it is cut off.
        string filler = new('e', 4000);
        for (int i = 0; i < 10_000 && !session.Completion.IsCompleted; i++)
        {
            server.Hub.Emit("TEST_EVENT", filler, static (w, f) => { w.WriteStartObject(); w.WriteString("f", f); w.WriteEndObject(); });
            Assert.True(session.PendingOutputBytes <= HardLimit + 8 * 1024, $"{session.PendingOutputBytes} bytes queued past the hard limit");
        }
        await session.Completion.WaitAsync(Timeouts.Default);
        Assert.Equal(0, session.PendingOutputBytes);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<Exception>(() => sending.WaitAsync(Timeouts.Default));
        long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(memoryAfter < memoryBefore + 4 * 1024 * 1024, $"managed heap {memoryBefore} -> {memoryAfter} bytes after the client was cut off");
    }

    /// <summary>
    /// The unix transport leaves answered bytes in the socket for a while, and they count against
    /// the client's send buffer. A client with the smallest buffer Linux allows, writing one byte
    /// per send(), fills it with a few bytes we hold and waits for room while the server waits for
    /// more bytes: the held bytes must still be taken out, or both wait for ever.
    /// </summary>
    [Fact]
    public async Task ClientWithATinySendBufferWritingByteByByteIsServed()
    {
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        c.Socket.SendBufferSize = 1; // the kernel raises it to its minimum, a few KiB
        await c.NegotiateAsync();
        string payload = new('y', 300);
        byte[] request = Encoding.ASCII.GetBytes("{\"execute\":\"echo\",\"arguments\":{\"s\":\"" + payload + "\"}}\n");
        Task sending = Task.Run(async () =>
        {
            for (int i = 0; i < request.Length; i++)
            {
                await c.Socket.SendAsync(request.AsMemory(i, 1), SocketFlags.None, Timeouts.Token());
            }
        });
        Assert.Equal("{\"return\":{\"s\":\"" + payload + "\"}}", await c.ReadLineAsync());
        await sending.WaitAsync(Timeouts.Default);
    }

    /// <summary>
    /// Seeded random bytes, rich in JSON's punctuation, quotes, escapes, control characters and
    /// invalid UTF-8, in chunks of random size: every line the server sends back is a well-formed
    /// reply or error, a control character brings the parser back (the spec's way), the next
    /// command is answered, and no fd is left open. The letters cannot spell a test command that
    /// closes or stalls the session.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task RandomBytesNeverCrashWedgeOrLeak(int seed)
    {
        await using TestServer server = TestServer.Start();
        await ConnectAndQueryAsync(server); // warm up, then count
        int before = FdCount.Now();
        byte[] alphabet = [.. "{}[]:,\"'\\ \t\r\n0123456789-+.eEexcutidrfalsn"u8, 0x00, 0x01, 0x1b, 0x7f, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0xff];
        Random random = new(seed);
        for (int round = 0; round < 10; round++)
        {
            using RawConnection c = await server.ConnectRawAsync();
            await c.NegotiateAsync();
            for (int chunk = 0; chunk < 20; chunk++)
            {
                byte[] junk = new byte[random.Next(1, 200)];
                for (int i = 0; i < junk.Length; i++)
                {
                    junk[i] = alphabet[random.Next(alphabet.Length)];
                }
                await c.SendAsync(junk);
            }
            string end = $"end-{seed}-{round}";
            await c.SendAsync($"\u0001\n{{\"execute\":\"echo\",\"id\":\"{end}\"}}\n");
            while (true)
            {
                string? line = await c.ReadLineAsync();
                Assert.NotNull(line);
                using JsonDocument reply = JsonDocument.Parse(line);
                if (reply.RootElement.TryGetProperty("error", out JsonElement error))
                {
                    Assert.False(string.IsNullOrEmpty(error.GetProperty("class").GetString()), line);
                    Assert.False(string.IsNullOrEmpty(error.GetProperty("desc").GetString()), line);
                    continue;
                }
                Assert.True(reply.RootElement.TryGetProperty("return", out _), line);
                if (reply.RootElement.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String && id.GetString() == end)
                {
                    break;
                }
            }
        }
        while (server.Monitor.CurrentSession is { } session)
        {
            await session.Completion.WaitAsync(Timeouts.Default);
        }
        int after = FdCount.Now();
        Assert.True(after <= before + 2, $"sessions leaked fds: {before} -> {after}");
    }
}
