using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Runtime.Client;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Tests.Support;
using QapiGen.Runtime.Transports;
using Xunit;

namespace QapiGen.Runtime.Tests;

public class ClientTests
{
    [Fact]
    public async Task ReadsGreetingAndNegotiates()
    {
        await using TestServer server = TestServer.Start(new QmpSessionOptions { Version = new QmpVersion(8, 0, 1, "p") });
        await using QmpClient client = await server.ConnectClientAsync(new QmpClientOptions { EnableOob = true });
        Assert.Equal(new QmpVersion(8, 0, 1, "p"), client.ServerVersion);
        Assert.Equal(["oob"], client.ServerCapabilities);
        Assert.True(client.IsOobEnabled);
        Assert.Equal("pong", (await client.ExecuteAsync("ping-oob", 0, null, null, outOfBand: true, Timeouts.Token())).GetString());
    }

    [Fact]
    public async Task PipelinedRequestsAreMatchedById()
    {
        await using TestServer server = TestServer.Start();
        await using QmpClient client = await server.ConnectClientAsync();
        Task<JsonElement>[] calls = Enumerable.Range(0, 200)
            .Select(i => client.ExecuteAsync("echo", i, static (w, n) => { w.WriteStartObject(); w.WriteNumber("n", n); w.WriteEndObject(); }, cancellationToken: Timeouts.Token()))
            .ToArray();
        JsonElement[] results = await Task.WhenAll(calls);
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(i, results[i].GetProperty("n").GetInt32());
        }
    }

    [Fact]
    public async Task ErrorsBecomeQmpExceptions()
    {
        await using TestServer server = TestServer.Start();
        await using QmpClient client = await server.ConnectClientAsync();
        QmpException ex = await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("nope", cancellationToken: Timeouts.Token()));
        Assert.Equal(QmpErrorClass.CommandNotFound, ex.ErrorClass);
        Assert.Equal("The command nope has not been found", ex.Description);
    }

    [Fact]
    public async Task EventsArriveOnTheStream()
    {
        QmpEventHub hub = new();
        await using TestServer server = TestServer.Start(hub: hub);
        await using QmpClient one = await server.ConnectClientAsync();
        using JsonDocument data = JsonDocument.Parse("{\"reason\":\"host-qmp-stop\"}");
        hub.Emit("STOP", data.RootElement);
        await foreach (QmpEvent e in one.ReadEventsAsync(Timeouts.Token()))
        {
            Assert.Equal("STOP", e.Name);
            Assert.Equal("host-qmp-stop", e.Data.GetProperty("reason").GetString());
            Assert.True(Math.Abs((DateTimeOffset.UtcNow - e.Timestamp).TotalMinutes) < 1);
            break;
        }
    }

    [Fact]
    public async Task PendingRequestsFailWhenTheConnectionEnds()
    {
        await using TestServer server = TestServer.Start();
        await using QmpClient client = await server.ConnectClientAsync();
        Task<JsonElement> slow = client.ExecuteAsync("slow", 0, static (w, _) => { w.WriteStartObject(); w.WriteNumber("ms", 5000); w.WriteEndObject(); }, cancellationToken: Timeouts.Token());
        await server.Dispatcher.SlowStarted.Task.WaitAsync(Timeouts.Default);
        server.Monitor.Stop();
        await Assert.ThrowsAsync<System.IO.IOException>(() => slow.WaitAsync(Timeouts.Default));
    }

    [Fact]
    public async Task WorksOverTcp()
    {
        TcpSocketListener listener = new("127.0.0.1", 0);
        await using QmpMonitor monitor = new("tcp", listener, new TestDispatcher(), ownsListener: true);
        monitor.Start();
        await using QmpClient client = await QmpClient.ConnectAsync($"tcp:127.0.0.1:{listener.LocalEndPoint.Port}", null, Timeouts.Token());
        Assert.Equal(7, (await client.ExecuteAsync("query-version", cancellationToken: Timeouts.Token())).GetProperty("qemu").GetProperty("major").GetInt32());
        Assert.False(client.Transport.SupportsFdPassing);
        // TCP and unix connections are separate classes; fds are the unix one's capability.
        Assert.IsType<TcpSocketTransport>(client.Transport);
        using Microsoft.Win32.SafeHandles.SafeFileHandle file = System.IO.File.OpenHandle("/dev/null");
        await Assert.ThrowsAsync<NotSupportedException>(async () => await client.Transport.SendAsync("\n"u8.ToArray(), [file], Timeouts.Token()));
    }

    [Theory]
    [InlineData("unix:/run/q.sock,server=on,wait=off", QmpEndpointKind.Unix, "/run/q.sock", null, 0, true, false)]
    [InlineData("unix:/a,,b.sock,server,nowait", QmpEndpointKind.Unix, "/a,b.sock", null, 0, true, false)]
    [InlineData("tcp:localhost:4444,server=on", QmpEndpointKind.Tcp, null, "localhost", 4444, true, true)]
    [InlineData("tcp:[::1]:5555", QmpEndpointKind.Tcp, null, "::1", 5555, true, true)]
    [InlineData("tcp::6666,server=off", QmpEndpointKind.Tcp, null, "", 6666, false, true)]
    [InlineData("stdio", QmpEndpointKind.Stdio, null, null, 0, true, true)]
    public void EndpointsParseQemuSyntax(string text, QmpEndpointKind kind, string? path, string? host, int port, bool server, bool wait)
    {
        QmpEndpoint e = QmpEndpoint.Parse(text);
        Assert.Equal(kind, e.Kind);
        Assert.Equal(path, e.Path);
        Assert.Equal(host, e.Host);
        Assert.Equal(port, e.Port);
        Assert.Equal(server, e.IsServer);
        Assert.Equal(wait, e.Wait);
    }

    [Fact]
    public void BadEndpointsAreRejected()
    {
        Assert.Throws<FormatException>(() => QmpEndpoint.Parse("udp:1.2.3.4:5"));
        Assert.Throws<FormatException>(() => QmpEndpoint.Parse("tcp:host"));
        Assert.Throws<FormatException>(() => QmpEndpoint.Parse("unix:"));
    }
}
