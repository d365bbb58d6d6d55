using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Host.Qapi;
using QapiGen.Host.Tests.Support;
using QapiGen.Runtime.Protocol;
using Xunit;

namespace QapiGen.Host.Tests;

/// <summary>The typed client generated from schema/ talks to the host and to QEMU 7.2 alike.</summary>
public sealed class TypedClientTests
{
    private static async Task ExerciseAsync(string socketPath, bool isQemu)
    {
        await using QapiClient client = await QapiClient.ConnectAsync("unix:" + socketPath, null, Timeouts.Token());
        VersionInfo version = await client.QueryVersionAsync(cancellationToken: Timeouts.Token());
        Assert.True(version.Qemu.Major >= 7);
        StatusInfo status = await client.QueryStatusAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(RunState.Prelaunch, status.Status);
        Assert.False(status.Running);

        using SafeFileHandle fd = FdTools.DevNull(FileAccess.Read);
        AddfdInfo added = await client.AddFdAsync(fdsetId: 3, opaque: "typed", fds: [fd], cancellationToken: Timeouts.Token());
        Assert.Equal(3, added.FdsetId);
        FdsetInfo set = Assert.Single(await client.QueryFdsetsAsync(cancellationToken: Timeouts.Token()));
        Assert.Equal("typed", Assert.Single(set.Fds).Opaque);

        QmpException error = await Assert.ThrowsAsync<QmpException>(() => client.RemoveFdAsync(9, cancellationToken: Timeouts.Token()));
        Assert.Equal("File descriptor named 'fdset-id:9' not found", error.Description);

        await client.ChardevAddAsync("n1", new ChardevBackend.Null { Data = new ChardevCommon() }, cancellationToken: Timeouts.Token());
        Assert.Contains(await client.QueryChardevAsync(cancellationToken: Timeouts.Token()), c => c.Label == "n1" && c.Filename == "null");
        await client.ChardevRemoveAsync("n1", cancellationToken: Timeouts.Token());

        IReadOnlyList<CommandInfo> commands = await client.QueryCommandsAsync(cancellationToken: Timeouts.Token());
        Assert.Contains(commands, c => c.Name == "query-fdsets");
        Assert.Equal(!isQemu, commands.Any(c => c.Name == "monitor-add"));
    }

    [Fact]
    public async Task TalksToTheHost()
    {
        await using TestHost host = await TestHost.StartAsync("-S");
        await ExerciseAsync(host.SocketPath, isQemu: false);
    }

    [QemuFact]
    public async Task TalksToQemu()
    {
        await using QemuProcess qemu = await QemuProcess.StartAsync();
        await ExerciseAsync(qemu.SocketPath, isQemu: true);
    }
}
