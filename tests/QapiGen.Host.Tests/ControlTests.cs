using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Host.Hosting;
using QapiGen.Host.Tests.Support;
using QapiGen.Runtime.Protocol;
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
    public async Task TheVersionIsQemusAsSetInOnePlace()
    {
        // The host emulates QEMU 7.2's semantics, so it reports that release (HostVersion), not the runtime's default.
        Assert.Equal((7, 2, 0), (HostVersion.Emulated.Major, HostVersion.Emulated.Minor, HostVersion.Emulated.Micro));
        Assert.StartsWith("QapiGen", HostVersion.Emulated.Package);
        await using TestHost host = await TestHost.StartAsync();
        await using RawQmp qmp = await host.ConnectAsync();
        JsonElement version = JsonDocument.Parse(qmp.Greeting!).RootElement.GetProperty("QMP").GetProperty("version");
        Assert.Equal(HostVersion.Emulated, new QmpVersion(version.GetProperty("qemu").GetProperty("major").GetInt32(),
            version.GetProperty("qemu").GetProperty("minor").GetInt32(), version.GetProperty("qemu").GetProperty("micro").GetInt32(),
            version.GetProperty("package").GetString()!));
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
        // query-qmp-schema is the generator's built-in (the host's schema does not define it), listed as QEMU lists it.
        Assert.Subset(commands, new[] { "qmp_capabilities", "query-version", "query-commands", "query-qmp-schema" }.ToHashSet<string?>());
        Assert.Subset(commands, new[] { "add-fd", "remove-fd", "query-fdsets", "getfd", "closefd", "monitor-add", "monitor-remove", "query-monitors", "chardev-add", "chardev-remove", "query-chardev", "query-status", "stop", "cont", "quit" }.ToHashSet<string?>());
        Assert.Subset(events, new[] { "STOP", "RESUME", "SHUTDOWN" }.ToHashSet<string?>());
    }
}
