using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Host.Tests.Support;
using Xunit;

namespace QapiGen.Host.Tests;

/// <summary>query-version, query-commands, query-qmp-schema and the migration placeholders.</summary>
public sealed class ControlTests
{
    [Fact]
    public async Task VersionMatchesTheGreeting()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        JsonElement greeting = JsonDocument.Parse(qmp.Greeting!).RootElement.GetProperty("QMP");
        JsonElement version = (await qmp.ExecuteAsync("{\"execute\":\"query-version\"}")).GetProperty("return");
        foreach (string part in new[] { "major", "minor", "micro" })
        {
            Assert.Equal(greeting.GetProperty("version").GetProperty("qemu").GetProperty(part).GetInt32(), version.GetProperty("qemu").GetProperty(part).GetInt32());
        }
        Assert.Equal(greeting.GetProperty("version").GetProperty("package").GetString(), version.GetProperty("package").GetString());
        Assert.Equal(["oob"], greeting.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task IntrospectionListsEveryCommandAndEvent()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        JsonElement schema = (await qmp.ExecuteAsync("{\"execute\":\"query-qmp-schema\"}")).GetProperty("return");
        var commands = schema.EnumerateArray().Where(e => e.GetProperty("meta-type").GetString() == "command").Select(e => e.GetProperty("name").GetString()).ToHashSet();
        var events = schema.EnumerateArray().Where(e => e.GetProperty("meta-type").GetString() == "event").Select(e => e.GetProperty("name").GetString()).ToHashSet();
        JsonElement listed = (await qmp.ExecuteAsync("{\"execute\":\"query-commands\"}")).GetProperty("return");
        Assert.Equal(commands.Order(), listed.EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order());
        Assert.Subset(commands, new[] { "add-fd", "remove-fd", "query-fdsets", "getfd", "closefd", "monitor-add", "monitor-remove", "query-monitors", "chardev-add", "chardev-remove", "query-chardev", "query-status", "stop", "cont", "quit" }.ToHashSet<string?>());
        Assert.Subset(events, new[] { "STOP", "RESUME", "SHUTDOWN" }.ToHashSet<string?>());
    }
}
