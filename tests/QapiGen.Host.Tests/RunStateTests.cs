using System;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Host.Tests.Support;
using Xunit;

namespace QapiGen.Host.Tests;

/// <summary>query-status / stop / cont with STOP and RESUME, -S, and quit (reply, then SHUTDOWN, then exit).</summary>
public sealed class RunStateTests
{
    private static string Status(JsonElement reply) => reply.GetProperty("return").GetProperty("status").GetString()!;

    [Fact]
    public async Task StopAndContEmitEventsOnlyOnRealTransitions()
    {
        await using TestHost host = await TestHost.StartAsync("-S");
        await using RawQmp qmp = await host.ConnectAsync();
        JsonElement status = await qmp.ExecuteAsync("{\"execute\":\"query-status\"}");
        Assert.Equal("prelaunch", Status(status));
        Assert.False(status.GetProperty("return").GetProperty("running").GetBoolean());

        await qmp.ExecuteAsync("{\"execute\":\"cont\"}");
        Assert.Equal("RESUME", Assert.Single(qmp.Events).GetProperty("event").GetString());
        qmp.Events.Clear();
        await qmp.ExecuteAsync("{\"execute\":\"cont\"}");
        Assert.Empty(qmp.Events);
        Assert.Equal("running", Status(await qmp.ExecuteAsync("{\"execute\":\"query-status\"}")));

        await qmp.ExecuteAsync("{\"execute\":\"stop\"}");
        JsonElement stop = Assert.Single(qmp.Events);
        Assert.Equal("STOP", stop.GetProperty("event").GetString());
        Assert.True(stop.GetProperty("timestamp").GetProperty("seconds").GetInt64() > 0);
        qmp.Events.Clear();
        await qmp.ExecuteAsync("{\"execute\":\"stop\"}");
        Assert.Empty(qmp.Events);
        Assert.Equal("paused", Status(await qmp.ExecuteAsync("{\"execute\":\"query-status\"}")));
    }

    [Fact]
    public async Task WithoutDashSTheHostRuns()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        Assert.Equal("running", Status(await qmp.ExecuteAsync("{\"execute\":\"query-status\"}")));
    }

    [Fact]
    public async Task QuitRepliesThenSendsShutdownThenCloses()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        await qmp.SendAsync("{\"execute\":\"quit\",\"id\":7}");
        string? reply = await qmp.ReadLineAsync();
        Assert.Equal("{\"return\":{},\"id\":7}", reply);
        JsonElement shutdown = JsonDocument.Parse((await qmp.ReadLineAsync())!).RootElement;
        Assert.Equal("SHUTDOWN", shutdown.GetProperty("event").GetString());
        Assert.False(shutdown.GetProperty("data").GetProperty("guest").GetBoolean());
        Assert.Equal("host-qmp-quit", shutdown.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal(ShutdownCause.HostQmpQuit, await host.Host.ShutdownRequested.WaitAsync(Timeouts.Default));
        await host.Host.DisposeAsync();
        Assert.True(await qmp.IsClosedByServerAsync());
        Assert.False(System.IO.File.Exists(host.SocketPath));
    }
}
