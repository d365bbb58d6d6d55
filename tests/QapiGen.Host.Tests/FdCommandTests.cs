using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Host.Tests.Support;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Host.Tests;

/// <summary>add-fd / remove-fd / query-fdsets and getfd / closefd over a real unix socket with SCM_RIGHTS.</summary>
[Collection(FdCountingCollection.Name)]
public sealed class FdCommandTests
{
    private static string Desc(JsonElement reply) => reply.GetProperty("error").GetProperty("desc").GetString()!;

    [Fact]
    public async Task AddFdWithoutAnFdFailsWithQemusText()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        Assert.Equal("No file descriptor supplied via SCM_RIGHTS", Desc(await qmp.ExecuteAsync("{\"execute\":\"add-fd\"}")));
        Assert.Equal("No file descriptor supplied via SCM_RIGHTS", Desc(await qmp.ExecuteAsync("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"x\"}}")));
    }

    [Fact]
    public async Task AddFdTakesTheFdOfThatCommandAndQueryListsIt()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        using SafeFileHandle fd = FdTools.DevNull(FileAccess.Read);
        JsonElement added = (await qmp.ExecuteAsync("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":4,\"opaque\":\"disk\"},\"id\":1}", fd)).GetProperty("return");
        Assert.Equal(4, added.GetProperty("fdset-id").GetInt64());
        long number = added.GetProperty("fd").GetInt64();
        Assert.True(FdTools.IsOpen(number));

        JsonElement sets = (await qmp.ExecuteAsync("{\"execute\":\"query-fdsets\"}")).GetProperty("return");
        JsonElement set = Assert.Single(sets.EnumerateArray());
        Assert.Equal(4, set.GetProperty("fdset-id").GetInt64());
        JsonElement entry = Assert.Single(set.GetProperty("fds").EnumerateArray());
        Assert.Equal(number, entry.GetProperty("fd").GetInt64());
        Assert.Equal("disk", entry.GetProperty("opaque").GetString());
    }

    /// <summary>A monitor disconnect does not reap fds that were never duplicated.</summary>
    [Fact]
    public async Task FdsSurviveTheMonitorDisconnecting()
    {
        await using TestHost host = await TestHost.StartAsync();
        long number;
        await using (RawQmp first = await host.ConnectAsync())
        {
            using SafeFileHandle fd = FdTools.DevNull(FileAccess.ReadWrite);
            number = (await first.ExecuteAsync("{\"execute\":\"add-fd\"}", fd)).GetProperty("return").GetProperty("fd").GetInt64();
        }
        await Task.Delay(100);
        await using RawQmp second = await host.ConnectAsync();
        JsonElement sets = (await second.ExecuteAsync("{\"execute\":\"query-fdsets\"}")).GetProperty("return");
        Assert.Equal(number, sets[0].GetProperty("fds")[0].GetProperty("fd").GetInt64());
        Assert.True(FdTools.IsOpen(number));
        // And remove-fd takes effect at once, whatever the run state (the host runs, or not: -S).
        Assert.True((await second.ExecuteAsync("{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":0}}")).TryGetProperty("return", out _));
        Assert.False(FdTools.IsOpen(number));
        Assert.Empty((await second.ExecuteAsync("{\"execute\":\"query-fdsets\"}")).GetProperty("return").EnumerateArray());
    }

    [Fact]
    public async Task AddAndRemoveCyclesLeakNoFd()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        using SafeFileHandle fd = FdTools.DevNull(FileAccess.Read);
        await qmp.ExecuteAsync("{\"execute\":\"add-fd\"}", fd);
        await qmp.ExecuteAsync("{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":0}}");
        int before = FdCount.Now();
        for (int i = 0; i < 300; i++)
        {
            JsonElement added = (await qmp.ExecuteAsync("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":1}}", fd)).GetProperty("return");
            string remove = i % 2 == 0
                ? $"{{\"execute\":\"remove-fd\",\"arguments\":{{\"fdset-id\":1,\"fd\":{added.GetProperty("fd").GetInt64()}}}}}"
                : "{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":1}}";
            Assert.True((await qmp.ExecuteAsync(remove)).TryGetProperty("return", out _));
        }
        FdTools.AssertNoLeak(before);
        Assert.Equal(0, host.Host.FdSets.HeldFdCount);
    }

    [Fact]
    public async Task GetfdReplacesClosefdCloses()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        using SafeFileHandle fd = FdTools.DevNull(FileAccess.Read);
        await qmp.ExecuteAsync("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"warm\"}}", fd);
        await qmp.ExecuteAsync("{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"warm\"}}");
        int before = FdCount.Now();

        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"mig\"}}", fd)).TryGetProperty("return", out _));
        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"mig\"}}", fd)).TryGetProperty("return", out _));
        Assert.Equal(before + 1, FdCount.Now()); // the first one was closed by the replacement
        Assert.Equal("Parameter 'fdname' expects a name not starting with a digit",
            Desc(await qmp.ExecuteAsync("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"1x\"}}", fd)));
        Assert.Equal(before + 1, FdCount.Now()); // refused, and its fd closed
        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"mig\"}}")).TryGetProperty("return", out _));
        Assert.Equal("File descriptor named 'mig' not found", Desc(await qmp.ExecuteAsync("{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"mig\"}}")));
        FdTools.AssertNoLeak(before, slack: 0);
    }

    /// <summary>Named fds belong to their session: a client that leaves takes them with it.</summary>
    [Fact]
    public async Task NamedFdsCloseWithTheirSession()
    {
        await using TestHost host = await TestHost.StartAsync();
        using SafeFileHandle fd = FdTools.DevNull(FileAccess.Read);
        await using (RawQmp warm = await host.ConnectAsync())
        {
            await warm.ExecuteAsync("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"a\"}}", fd);
        }
        await Task.Delay(100);
        int before = FdCount.Now();
        await using (RawQmp qmp = await host.ConnectAsync())
        {
            for (int i = 0; i < 20; i++)
            {
                await qmp.ExecuteAsync($"{{\"execute\":\"getfd\",\"arguments\":{{\"fdname\":\"n{i}\"}}}}", fd);
            }
            Assert.True(FdCount.Now() >= before + 20);
        }
        FdTools.AssertNoLeak(before);

        await using RawQmp next = await host.ConnectAsync();
        Assert.Equal("File descriptor named 'n0' not found", Desc(await next.ExecuteAsync("{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"n0\"}}")));
    }

    /// <summary>
    /// add-fd takes the first fd of its message; the others are closed then (QEMU's
    /// qemu_chr_fe_get_msgfd), so a later add-fd carrying none fails instead of taking a leftover.
    /// </summary>
    [Fact]
    public async Task ExtraFdsOfAnAddFdMessageAreClosedNotReused()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        string path = host.PathOf("file");
        File.WriteAllText(path, "x");
        SafeFileHandle[] fds = Enumerable.Range(0, 16).Select(_ => File.OpenHandle(path, FileMode.Open, FileAccess.Read)).ToArray();
        try
        {
            Assert.Equal(16, FdTools.OpenOn(path));
            JsonElement added = await qmp.ExecuteAsync("{\"execute\":\"add-fd\"}", fds);
            Assert.True(added.TryGetProperty("return", out _), added.ToString());
            Assert.Equal(16 + 1, FdTools.OpenOn(path)); // ours, and the one the fdset holds
        }
        finally
        {
            foreach (SafeFileHandle fd in fds)
            {
                fd.Dispose();
            }
        }
        Assert.Equal(1, FdTools.OpenOn(path));
        Assert.Equal("No file descriptor supplied via SCM_RIGHTS", Desc(await qmp.ExecuteAsync("{\"execute\":\"add-fd\"}")));
        Assert.Equal("No file descriptor supplied via SCM_RIGHTS", Desc(await qmp.ExecuteAsync("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"x\"}}")));
        Assert.Equal(1, host.Host.FdSets.HeldFdCount);
        Assert.Equal(1, FdTools.OpenOn(path));
    }

    /// <summary>--max-held-fds caps fdsets and named fds together; a refused fd is closed, and room comes back as fds go.</summary>
    [Fact]
    public async Task HeldFdsAreCappedAcrossFdsetsAndNamedFds()
    {
        await using TestHost host = await TestHost.StartAsync("--max-held-fds", "3");
        Assert.Equal(3, host.Host.HeldFds.Max);
        await using RawQmp qmp = await host.ConnectAsync();
        string path = host.PathOf("file");
        File.WriteAllText(path, "x");
        using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        const string Capped = "Too many file descriptors held in fdsets and named fds (at most 3); remove-fd or closefd some first";

        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":1}}", file)).TryGetProperty("return", out _));
        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":1}}", file)).TryGetProperty("return", out _));
        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"n\"}}", file)).TryGetProperty("return", out _));
        Assert.Equal(Capped, Desc(await qmp.ExecuteAsync("{\"execute\":\"add-fd\"}", file)));
        Assert.Equal(Capped, Desc(await qmp.ExecuteAsync("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"m\"}}", file)));
        // Replacing a named fd holds no more than before.
        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"n\"}}", file)).TryGetProperty("return", out _));
        Assert.Equal(1 + 3, FdTools.OpenOn(path)); // ours and the three held: refused ones were closed
        Assert.Equal(3, host.Host.HeldFds.Held);

        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"n\"}}")).TryGetProperty("return", out _));
        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"add-fd\"}", file)).TryGetProperty("return", out _));
        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":1}}")).TryGetProperty("return", out _));
        Assert.Equal(1, host.Host.HeldFds.Held);
        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"m\"}}", file)).TryGetProperty("return", out _));
        Assert.Equal(1 + 2, FdTools.OpenOn(path));
    }

    [Fact]
    public async Task TooManyFdsInOneMessageAreRefusedClearly()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        SafeFileHandle[] fds = Enumerable.Range(0, 20).Select(_ => FdTools.DevNull(FileAccess.Read)).ToArray();
        try
        {
            JsonElement reply = await qmp.ExecuteAsync("{\"execute\":\"add-fd\"}", fds);
            Assert.Equal("Too many file descriptors passed with one message (at most 16)", Desc(reply));
            Assert.Empty(host.Host.FdSets.Query());
        }
        finally
        {
            foreach (SafeFileHandle fd in fds)
            {
                fd.Dispose();
            }
        }
    }
}
