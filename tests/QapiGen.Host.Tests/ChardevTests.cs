using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Host.Tests.Support;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Host.Tests;

/// <summary>chardev-add / chardev-remove / query-chardev: socket (unix, inet), file (incl. /dev/fdset/N), null.</summary>
[Collection(FdCountingCollection.Name)]
public sealed class ChardevTests
{
    private static string Desc(JsonElement reply) => reply.GetProperty("error").GetProperty("desc").GetString()!;

    private static bool Ok(JsonElement reply) =>
        reply.TryGetProperty("return", out _) ? true : throw new Xunit.Sdk.XunitException("expected a return, got " + reply);

    private static string UnixSocketAdd(string id, string path) =>
        $"{{\"execute\":\"chardev-add\",\"arguments\":{{\"id\":\"{id}\",\"backend\":{{\"type\":\"socket\",\"data\":{{\"addr\":{{\"type\":\"unix\",\"data\":{{\"path\":\"{path}\"}}}},\"server\":true,\"wait\":false}}}}}}}}";

    private static string FileAdd(string id, string path) =>
        $"{{\"execute\":\"chardev-add\",\"arguments\":{{\"id\":\"{id}\",\"backend\":{{\"type\":\"file\",\"data\":{{\"out\":\"{path}\"}}}}}}}}";

    private static string Remove(string id) => $"{{\"execute\":\"chardev-remove\",\"arguments\":{{\"id\":\"{id}\"}}}}";

    [Fact]
    public async Task AddQueryRemoveEachBackend()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        string sock = host.PathOf("c1.sock");
        Assert.True(Ok(await qmp.ExecuteAsync(UnixSocketAdd("c1", sock))));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(sock));
        Assert.True(Ok(await qmp.ExecuteAsync("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"t1\",\"backend\":{\"type\":\"socket\",\"data\":{\"addr\":{\"type\":\"inet\",\"data\":{\"host\":\"127.0.0.1\",\"port\":\"0\"}},\"server\":true,\"wait\":false}}}}")));
        Assert.True(Ok(await qmp.ExecuteAsync(FileAdd("f1", host.PathOf("out.txt")))));
        Assert.True(Ok(await qmp.ExecuteAsync("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"n1\",\"backend\":{\"type\":\"null\",\"data\":{}}}}")));
        Assert.True(File.Exists(host.PathOf("out.txt")));

        JsonElement list = (await qmp.ExecuteAsync("{\"execute\":\"query-chardev\"}")).GetProperty("return");
        var byLabel = list.EnumerateArray().ToDictionary(c => c.GetProperty("label").GetString()!, c => c);
        Assert.Equal($"unix:{host.SocketPath},server=on", byLabel["compat_monitor0"].GetProperty("filename").GetString());
        Assert.True(byLabel["compat_monitor0"].GetProperty("frontend-open").GetBoolean());
        Assert.Equal($"disconnected:unix:{sock},server=on", byLabel["c1"].GetProperty("filename").GetString());
        Assert.StartsWith("disconnected:tcp:127.0.0.1:", byLabel["t1"].GetProperty("filename").GetString());
        Assert.Equal("file", byLabel["f1"].GetProperty("filename").GetString());
        Assert.Equal("null", byLabel["n1"].GetProperty("filename").GetString());
        Assert.False(byLabel["c1"].GetProperty("frontend-open").GetBoolean());

        Assert.Equal("Chardev with id 'c1' already exists", Desc(await qmp.ExecuteAsync(UnixSocketAdd("c1", host.PathOf("other.sock")))));
        foreach (string id in new[] { "c1", "t1", "f1", "n1" })
        {
            Assert.True(Ok(await qmp.ExecuteAsync(Remove(id))));
        }
        Assert.False(File.Exists(sock)); // the socket file goes with its chardev
        Assert.Equal("Chardev 'c1' not found", Desc(await qmp.ExecuteAsync(Remove("c1"))));
        Assert.Equal("Chardev 'compat_monitor0' is busy", Desc(await qmp.ExecuteAsync(Remove("compat_monitor0"))));
    }

    [Fact]
    public async Task ErrorsReadLikeQemus()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        Assert.Equal("Failed to add chardev 'f2': Could not open '/nonexistent/x': No such file or directory", Desc(await qmp.ExecuteAsync(FileAdd("f2", "/nonexistent/x"))));
        Assert.Equal("Failed to add chardev 'f4': Could not open '/dev/fdset/44': No such file or directory", Desc(await qmp.ExecuteAsync(FileAdd("f4", "/dev/fdset/44"))));
        Assert.StartsWith("Failed to add chardev 's9': Failed to bind socket to /nonexistent/u1.sock: ", Desc(await qmp.ExecuteAsync(UnixSocketAdd("s9", "/nonexistent/u1.sock"))));
        Assert.Equal("Chardev 'nope' not found", Desc(await qmp.ExecuteAsync(Remove("nope"))));
    }

    /// <summary>The file backend opens /dev/fdset/N for writing through the fdset machinery and holds the duplicate.</summary>
    [Fact]
    public async Task FileChardevOnAnFdsetUsesTheMatchingFdAndReleasesIt()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        string target = host.PathOf("via-fdset.txt");
        using (SafeFileHandle ro = FdTools.DevNull(FileAccess.Read))
        {
            await qmp.ExecuteAsync("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":3}}", ro);
        }
        Assert.Equal("Failed to add chardev 'f3': Could not open '/dev/fdset/3': Permission denied", Desc(await qmp.ExecuteAsync(FileAdd("f3", "/dev/fdset/3"))));

        long writable;
        using (SafeFileHandle wo = File.OpenHandle(target, FileMode.Create, FileAccess.Write))
        {
            writable = (await qmp.ExecuteAsync("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":3}}", wo)).GetProperty("return").GetProperty("fd").GetInt64();
        }
        int before = FdCount.Now();
        Assert.True(Ok(await qmp.ExecuteAsync(FileAdd("f3", "/dev/fdset/3"))));
        Assert.Equal(before + 1, FdCount.Now()); // the duplicate

        // remove-fd while the chardev uses the duplicate: hidden at once, closed only once released.
        Assert.True(Ok(await qmp.ExecuteAsync("{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":3}}")));
        Assert.True(FdTools.IsOpen(writable));
        Assert.Empty((await qmp.ExecuteAsync("{\"execute\":\"query-fdsets\"}")).GetProperty("return")[0].GetProperty("fds").EnumerateArray());

        Assert.True(Ok(await qmp.ExecuteAsync(Remove("f3"))));
        Assert.False(FdTools.IsOpen(writable));
        Assert.Empty((await qmp.ExecuteAsync("{\"execute\":\"query-fdsets\"}")).GetProperty("return").EnumerateArray());
        FdTools.AssertNoLeak(before - 2, slack: 0); // both fdset fds and the duplicate are gone
    }

    [Fact]
    public async Task ChardevAddRemoveCyclesLeakNoFd()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        async Task Cycle(int i)
        {
            Assert.True(Ok(await qmp.ExecuteAsync(UnixSocketAdd("s", host.PathOf("s.sock")))));
            Assert.True(Ok(await qmp.ExecuteAsync(FileAdd("f", host.PathOf("f.txt")))));
            Assert.True(Ok(await qmp.ExecuteAsync("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"t\",\"backend\":{\"type\":\"socket\",\"data\":{\"addr\":{\"type\":\"inet\",\"data\":{\"host\":\"127.0.0.1\",\"port\":\"0\"}}}}}}")));
            if (i % 5 == 0)
            {
                // A client on the socket chardev (nobody serves it) must not keep anything open either.
                using Socket s = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(host.PathOf("s.sock")));
            }
            foreach (string id in new[] { "s", "f", "t" })
            {
                Assert.True(Ok(await qmp.ExecuteAsync(Remove(id))));
            }
        }
        await Cycle(0);
        int before = FdCount.Now();
        for (int i = 1; i <= 50; i++)
        {
            await Cycle(i);
        }
        FdTools.AssertNoLeak(before);
    }
}
