#if HAVE_QGA_SCHEMA
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using QapiGen.GuestAgent.Tests.Qga;
using QapiGen.Runtime.Client;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Tests.Support;
#else
using QapiGen.Tests.Shared;
#endif
using Xunit;

namespace QapiGen.GuestAgent.Tests;

#if HAVE_QGA_SCHEMA
/// <summary>
/// The client generated from QEMU 8.2's guest-agent schema (../shared) against Debian's qemu-ga 7.2:
/// the schema makes it a guest-agent client (on QgaClient), and its tolerant readers take the older
/// agent's replies.
/// </summary>
public class TypedClientTests
{
    internal static readonly QgaClientOptions Generous = new() { Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public void SchemaWithGuestSyncDelimitedGetsAGuestAgentClient()
    {
        Assert.True(typeof(QgaClient).IsAssignableFrom(typeof(QapiClient)));
        Assert.False(typeof(QmpClient).IsAssignableFrom(typeof(QapiClient)));
        // No fd parameters: the agent's channel carries bytes only.
        Assert.DoesNotContain(typeof(QapiClient).GetMethod(nameof(QapiClient.GuestFileOpenAsync))!.GetParameters(), p => p.Name == "fds");
    }

    [QemuGaFact]
    public async Task TypedCallsAgainstQemuGa72()
    {
        await using QemuGa agent = await QemuGa.StartAsync();
        await using QapiClient client = await QapiClient.ConnectAsync(agent.Endpoint, Generous);

        await client.GuestPingAsync();

        GuestAgentInfo info = await client.GuestInfoAsync();
        Assert.StartsWith("7.2.", info.Version);
        Assert.Contains(info.SupportedCommands, c => c.Name == "guest-exec" && c.Enabled);

        GuestOSInfo os = await client.GuestGetOsinfoAsync();
        Assert.Equal("x86_64", os.Machine);
        Assert.False(string.IsNullOrEmpty(os.KernelRelease));
        string osRelease = File.Exists("/etc/os-release") ? File.ReadAllText("/etc/os-release") : "";
        if (os.Id != null)
        {
            Assert.Contains("ID=" + os.Id, osRelease);
        }

        GuestHostName host = await client.GuestGetHostNameAsync();
        Assert.Equal(System.Net.Dns.GetHostName(), host.HostName);

        long nanos = await client.GuestGetTimeAsync();
        long ours = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        Assert.InRange(nanos, ours - TimeSpan.FromMinutes(10).Ticks * 100, ours + TimeSpan.FromMinutes(10).Ticks * 100);

        // Whoever is logged in (often nobody in a container); each entry typed.
        IReadOnlyList<GuestUser> users = await client.GuestGetUsersAsync();
        Assert.All(users, u => Assert.False(string.IsNullOrEmpty(u.User)));

        // The agent reads the mount table itself; the root file system is among what it reports.
        IReadOnlyList<GuestFilesystemInfo> filesystems = await client.GuestGetFsinfoAsync();
        Assert.All(filesystems, f => Assert.StartsWith("/", f.Mountpoint));
        Assert.Contains(filesystems, f => f.Mountpoint == "/");

        // What 7.2 disables on Linux (a Windows-only command) is refused with a typed error, and the
        // channel stays in sync.
        QmpException refused = await Assert.ThrowsAsync<QmpException>(() => client.GuestGetDevicesAsync());
        Assert.Equal("CommandNotFound", refused.ErrorClass);
        Assert.Contains(info.SupportedCommands, c => c.Name == "guest-get-devices" && !c.Enabled);
        await client.GuestPingAsync();

        // The typed sync: the agent answers with the id it was given.
        Assert.Equal(123456789L, await client.GuestSyncAsync(123456789));
        Assert.Equal(987654321L, await client.GuestSyncDelimitedAsync(987654321));
        await client.GuestPingAsync();
    }
}
#else
public class TypedClientTests
{
    [SharedFact("qemu-schemas/v8.2.0-qga")]
    public void TypedClientNeedsTheSharedSchema() => Assert.Fail("built without ../shared/qemu-schemas/v8.2.0-qga, yet it is present now: rebuild");
}
#endif
