using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Host.Tests.Support;
using Xunit;

namespace QapiGen.Host.Tests;

/// <summary>monitor-add / monitor-remove / query-monitors (monitors added and removed at run time), and chardevs serving one client at a time.</summary>
public sealed class MonitorTests
{
    private static string Desc(JsonElement reply) => reply.GetProperty("error").GetProperty("desc").GetString()!;

    private static bool Ok(JsonElement reply) => reply.TryGetProperty("return", out _);

    private static string SocketChardev(string id) => $"socket,id={id},path={{dir}}/{id}.sock,server=on,wait=off";

    [Fact]
    public async Task MonitorAddOnAnExistingChardevServesANewSession()
    {
        await using TestHost host = await TestHost.StartAsync("-chardev", SocketChardev("extra"));
        await using RawQmp qmp = await host.ConnectAsync();
        Assert.True(Ok(await qmp.ExecuteAsync("{\"execute\":\"monitor-add\",\"arguments\":{\"id\":\"extra-qmp\",\"chardev\":\"extra\"}}")));

        JsonElement monitors = (await qmp.ExecuteAsync("{\"execute\":\"query-monitors\"}")).GetProperty("return");
        Assert.Equal(["mon0:compat_monitor0", "extra-qmp:extra"],
            monitors.EnumerateArray().Select(m => $"{m.GetProperty("id").GetString()}:{m.GetProperty("chardev").GetString()}"));
        Assert.All(monitors.EnumerateArray(), m => Assert.Equal("control", m.GetProperty("mode").GetString()));

        // The new monitor starts in negotiation mode, like any QMP monitor.
        await using RawQmp extra = await RawQmp.ConnectAsync(host.PathOf("extra.sock"), negotiate: false);
        Assert.Contains("\"QMP\"", extra.Greeting);
        Assert.Equal("Expecting capabilities negotiation with 'qmp_capabilities'", Desc(await extra.ExecuteAsync("{\"execute\":\"query-status\"}")));
        Assert.True(Ok(await extra.ExecuteAsync("{\"execute\":\"qmp_capabilities\"}")));
        Assert.True(Ok(await extra.ExecuteAsync("{\"execute\":\"query-status\"}")));
    }

    [Fact]
    public async Task ErrorsReadLikeTheSeed()
    {
        await using TestHost host = await TestHost.StartAsync("-chardev", SocketChardev("c"), "-chardev", "file,id=f,path={dir}/f.txt");
        await using RawQmp qmp = await host.ConnectAsync();
        Assert.Equal("monitor 'mon0' already exists", Desc(await qmp.ExecuteAsync("{\"execute\":\"monitor-add\",\"arguments\":{\"id\":\"mon0\",\"chardev\":\"c\"}}")));
        Assert.Equal("chardev 'nope' not found", Desc(await qmp.ExecuteAsync("{\"execute\":\"monitor-add\",\"arguments\":{\"id\":\"m\",\"chardev\":\"nope\"}}")));
        Assert.Equal("monitor 'nope' not found", Desc(await qmp.ExecuteAsync("{\"execute\":\"monitor-remove\",\"arguments\":{\"id\":\"nope\"}}")));
        Assert.Equal("Device 'compat_monitor0' is in use", Desc(await qmp.ExecuteAsync("{\"execute\":\"monitor-add\",\"arguments\":{\"id\":\"m\",\"chardev\":\"compat_monitor0\"}}")));
        Assert.Equal("Chardev 'f' (file) cannot carry a QMP monitor", Desc(await qmp.ExecuteAsync("{\"execute\":\"monitor-add\",\"arguments\":{\"id\":\"m\",\"chardev\":\"f\"}}")));
        // A failed monitor-add leaves nothing behind.
        Assert.Single((await qmp.ExecuteAsync("{\"execute\":\"query-monitors\"}")).GetProperty("return").EnumerateArray());
    }

    [Fact]
    public async Task RemovingAnotherMonitorDropsItsClientAndFreesTheChardev()
    {
        await using TestHost host = await TestHost.StartAsync("-chardev", SocketChardev("c"), "-mon", "chardev=c,mode=control,id=side");
        await using RawQmp main = await host.ConnectAsync();
        await using RawQmp side = await RawQmp.ConnectAsync(host.PathOf("c.sock"));
        Assert.Equal("Chardev 'c' is busy", Desc(await main.ExecuteAsync("{\"execute\":\"chardev-remove\",\"arguments\":{\"id\":\"c\"}}")));

        Assert.True(Ok(await main.ExecuteAsync("{\"execute\":\"monitor-remove\",\"arguments\":{\"id\":\"side\"}}")));
        Assert.True(await side.IsClosedByServerAsync());
        // The chardev stays, free for another frontend, or removable now.
        Assert.True(Ok(await main.ExecuteAsync("{\"execute\":\"monitor-add\",\"arguments\":{\"id\":\"again\",\"chardev\":\"c\"}}")));
        await using (RawQmp again = await RawQmp.ConnectAsync(host.PathOf("c.sock")))
        {
            Assert.True(Ok(await again.ExecuteAsync("{\"execute\":\"query-version\"}")));
        }
        Assert.True(Ok(await main.ExecuteAsync("{\"execute\":\"monitor-remove\",\"arguments\":{\"id\":\"again\"}}")));
        Assert.True(Ok(await main.ExecuteAsync("{\"execute\":\"chardev-remove\",\"arguments\":{\"id\":\"c\"}}")));
    }

    /// <summary>A monitor removes itself and still gets its reply, then the connection closes.</summary>
    [Fact]
    public async Task AMonitorCanRemoveItselfWithItsReplyDelivered()
    {
        await using TestHost host = await TestHost.StartAsync("-chardev", SocketChardev("c"), "-mon", "chardev=c,mode=control,id=self");
        await using RawQmp self = await RawQmp.ConnectAsync(host.PathOf("c.sock"));
        JsonElement reply = await self.ExecuteAsync("{\"execute\":\"monitor-remove\",\"arguments\":{\"id\":\"self\"},\"id\":\"bye\"}");
        Assert.True(Ok(reply));
        Assert.Equal("bye", reply.GetProperty("id").GetString());
        Assert.True(await self.IsClosedByServerAsync());

        await using RawQmp main = await host.ConnectAsync();
        JsonElement monitors = (await main.ExecuteAsync("{\"execute\":\"query-monitors\"}")).GetProperty("return");
        Assert.Equal(["mon0"], monitors.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    /// <summary>A chardev serves one client at a time: the second waits and is greeted when the first leaves.</summary>
    [Fact]
    public async Task OneClientAtATimeOnAChardev()
    {
        await using TestHost host = await TestHost.StartAsync();
        RawQmp first = await host.ConnectAsync();
        using System.Net.Sockets.Socket waiting = new(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await waiting.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(host.SocketPath));
        byte[] buffer = new byte[4096];
        Task<int> greeting = waiting.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None);
        await Task.Delay(200);
        Assert.False(greeting.IsCompleted);
        Assert.True(Ok(await first.ExecuteAsync("{\"execute\":\"query-status\"}")));
        await first.DisposeAsync();
        int n = await greeting.WaitAsync(Timeouts.Default);
        Assert.Contains("\"QMP\"", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Fact]
    public async Task PrettyMonitorsIndentTheirOutput()
    {
        await using TestHost host = await TestHost.StartAsync("-chardev", SocketChardev("p"), "-mon", "chardev=p,mode=control,pretty=on");
        await using RawQmp pretty = await RawQmp.ConnectAsync(host.PathOf("p.sock"), negotiate: false);
        // Indented JSON spans several lines; the message still ends with CRLF.
        Assert.StartsWith("{\n  \"QMP\": {", pretty.Greeting);
        JsonElement reply = await pretty.ExecuteAsync("{\"execute\":\"qmp_capabilities\"}");
        Assert.True(Ok(reply));
    }

    [Fact]
    public async Task EventsReachEveryNegotiatedMonitor()
    {
        await using TestHost host = await TestHost.StartAsync("-chardev", SocketChardev("c"), "-mon", "chardev=c,mode=control");
        await using RawQmp main = await host.ConnectAsync();
        await using RawQmp side = await RawQmp.ConnectAsync(host.PathOf("c.sock"));
        Assert.True(Ok(await main.ExecuteAsync("{\"execute\":\"stop\"}")));
        Assert.Equal("STOP", (await side.ReadEventAsync()).GetProperty("event").GetString());
        Assert.Equal("STOP", (await main.ReadEventAsync()).GetProperty("event").GetString());
    }
}
