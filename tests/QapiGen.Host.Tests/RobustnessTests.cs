using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Host.Tests.Support;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Host.Tests;

/// <summary>Clients that leave without reading their replies, and the input limits, against the whole host.</summary>
[Collection(FdCountingCollection.Name)]
public sealed class RobustnessTests
{
    private static string Desc(JsonElement reply) => reply.GetProperty("error").GetProperty("desc").GetString()!;

    /// <summary>
    /// 2000 clients that negotiate, send query-status and leave before reading the
    /// reply (some before even reading the greeting) never wedge the monitor: a normal client
    /// is answered at once afterwards, and nothing leaks.
    /// </summary>
    [Fact]
    public async Task ThousandsOfClientsLeavingBeforeTheirReplyNeverBlockTheMonitor()
    {
        await using TestHost host = await TestHost.StartAsync("-S");
        byte[] request = Encoding.ASCII.GetBytes("{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-status\"}\n{\"execute\":\"cont\"}\n{\"execute\":\"stop\"}\n");
        await LeaveAsync(host.SocketPath, request, 100);
        await AskAsync(host);
        int before = FdCount.Now();

        await LeaveAsync(host.SocketPath, request, 2000);
        DateTime start = DateTime.UtcNow;
        await AskAsync(host);
        Assert.True(DateTime.UtcNow - start < TimeSpan.FromSeconds(5), "the monitor answered late");
        FdTools.AssertNoLeak(before, slack: 4);
    }

    private static async Task LeaveAsync(string path, byte[] request, int clients)
    {
        // One client at a time is served, so clients queue in the backlog: connect, write, leave.
        const int Parallel = 4;
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async worker =>
        {
            for (int i = worker; i < clients; i += Parallel)
            {
                using Socket s = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(path));
                await s.SendAsync(request, SocketFlags.None);
                if (i % 3 == 0)
                {
                    // Some also read the greeting first; none reads a reply.
                    await s.ReceiveAsync(new byte[512], SocketFlags.None);
                }
            }
        })).WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static async Task AskAsync(TestHost host)
    {
        await using RawQmp qmp = await RawQmp.ConnectAsync(host.SocketPath).WaitAsync(TimeSpan.FromSeconds(30));
        JsonElement reply = await qmp.ExecuteAsync("{\"execute\":\"query-status\"}");
        Assert.True(reply.TryGetProperty("return", out _));
    }

    [Fact]
    public async Task OversizedAndTooDeepMessagesGetClearErrorsAndTheSessionGoesOn()
    {
        await using TestHost host = await TestHost.StartAsync(o => o with { Framing = o.Framing with { MaxMessageSize = 4096, MaxDepth = 16 } });
        await using RawQmp qmp = await host.ConnectAsync();
        string big = "{\"execute\":\"query-status\",\"id\":\"" + new string('x', 8000) + "\"}";
        Assert.Equal("JSON token size limit exceeded", Desc(await qmp.ExecuteAsync(big)));
        string deep = "{\"execute\":\"query-status\",\"id\":" + new string('[', 40) + new string(']', 40) + "}";
        Assert.Equal("JSON nesting depth limit exceeded", Desc(await qmp.ExecuteAsync(deep)));
        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"query-status\"}")).TryGetProperty("return", out _));
    }

    [Fact]
    public async Task MonitorSocketsAreCreated0600()
    {
        await using TestHost host = await TestHost.StartAsync("-chardev", "socket,id=c,path={dir}/c.sock,server=on,wait=off");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(host.SocketPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(host.PathOf("c.sock")));
    }

    /// <summary>
    /// Seeded random arguments, built from the host's own introspected member names and enum
    /// values, for every command that neither ends the host nor creates files, sockets or
    /// processes: each gets a reply or a QEMU-style error, never an internal error, the session
    /// goes on, and no fd is left behind.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task RandomArgumentsGetAReplyOrAnErrorNeverAnInternalOne(int seed)
    {
        string[] excluded = ["quit", "qmp_capabilities", "chardev-add", "monitor-add", "migrate", "migrate-incoming"];
        await using TestHost host = await TestHost.StartAsync("-S", "-chardev", "null,id=spare");
        await using RawQmp qmp = await host.ConnectAsync();
        int before = FdCount.Now();
        List<string> names = new(), values = new();
        foreach (JsonElement entry in (await qmp.ExecuteAsync("{\"execute\":\"query-qmp-schema\"}")).GetProperty("return").EnumerateArray())
        {
            if (entry.TryGetProperty("members", out JsonElement members) && entry.GetProperty("meta-type").GetString() == "object")
            {
                names.AddRange(members.EnumerateArray().Select(m => m.GetProperty("name").GetString()!));
            }
            if (entry.TryGetProperty("values", out JsonElement enumValues))
            {
                values.AddRange(enumValues.EnumerateArray().Select(v => v.GetString()!));
            }
        }
        string[] commands = [.. (await qmp.ExecuteAsync("{\"execute\":\"query-commands\"}")).GetProperty("return").EnumerateArray()
            .Select(c => c.GetProperty("name").GetString()!).Except(excluded)];
        Assert.Contains("add-fd", commands);
        Assert.Contains("fdset-id", names);

        RandomJson random = new(seed, names, values);
        int returned = 0, refused = 0;
        for (int call = 0; call < 1000; call++)
        {
            string command = random.Pick(commands);
            string request = $"{{\"execute\":\"{command}\",\"arguments\":{random.Object()}}}";
            JsonElement reply = await qmp.ExecuteAsync(request);
            if (reply.TryGetProperty("error", out _))
            {
                Assert.False(Desc(reply).StartsWith("Internal error", StringComparison.Ordinal), request + " -> " + reply);
                refused++;
            }
            else
            {
                Assert.True(reply.TryGetProperty("return", out _), request + " -> " + reply);
                returned++;
            }
        }
        Assert.True(returned > 20 && refused > 20, $"{returned} returned, {refused} refused");
        FdTools.AssertNoLeak(before, slack: 4);
    }
}
