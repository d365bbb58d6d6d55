using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Host.Qapi;
using QapiGen.Host.Tests.Support;
using QapiGen.Runtime.Protocol;
using Xunit;

namespace QapiGen.Host.Tests.Migration;

/// <summary>
/// Fds passed with SCM_RIGHTS: getfd names for <c>fd:NAME</c> and socket addresses of type
/// <c>fd</c>, add-fd sets for <c>/dev/fdset/N</c>, and the resolution of what the fd is (the transport follows it, not the name).
/// </summary>
public sealed class FdMigrationTests
{
    private static MigrationChannel FdChannel(string name) => new()
    {
        ChannelType = MigrationChannelType.Main,
        Addr = new MigrationAddress.Socket { Value = new SocketAddress.Fd { Str = name } },
    };

    private static MigrationChannel FileChannel(string path) => new()
    {
        ChannelType = MigrationChannelType.Main,
        Addr = new MigrationAddress.File { Filename = path, Offset = 0 },
    };

    [Fact]
    public async Task SocketFdsFromGetfdOnBothSides()
    {
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        (Socket a, Socket b) = SocketPairs.Create();
        using (a)
        using (b)
        {
            await source.Client.GetfdAsync("mig", fds: [a.SafeHandle], cancellationToken: Timeouts.Token());
            await destination.Client.GetfdAsync("mig", fds: [b.SafeHandle], cancellationToken: Timeouts.Token());
        }

        await destination.Client.MigrateIncomingAsync("fd:mig", cancellationToken: Timeouts.Token());
        await source.Client.MigrateAsync(channels: [FdChannel("mig")], cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();
        await destination.WaitForCompletedAsync();
        await destination.WaitForRunStateAsync(RunState.Running);
        destination.AssertRamEqualsImage();

        // The migration took the named fds over, as QEMU's monitor_get_fd() does.
        QmpException gone = await Assert.ThrowsAsync<QmpException>(() => source.Client.ClosefdAsync("mig", cancellationToken: Timeouts.Token()));
        Assert.Equal("File descriptor named 'mig' not found", gone.Description);
    }

    [Fact]
    public async Task SocketFdCannotCarryMultifdOrMappedRam()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        (Socket a, Socket b) = SocketPairs.Create();
        using (a)
        using (b)
        {
            await source.SetCapabilitiesAsync(multifd: true);
            await source.Client.GetfdAsync("s1", fds: [a.SafeHandle], cancellationToken: Timeouts.Token());
            QmpException multifd = await Assert.ThrowsAsync<QmpException>(() => source.Client.MigrateAsync("fd:s1", cancellationToken: Timeouts.Token()));
            Assert.Equal("Migration requires multi-channel URIs (e.g. tcp): capability 'multifd' cannot be used with 'fd 's1' (socket)', which carries a single channel; use a tcp or unix address, or disable 'multifd'", multifd.Description);

            await source.SetCapabilitiesAsync(mappedRam: true);
            await source.Client.GetfdAsync("s2", fds: [a.SafeHandle], cancellationToken: Timeouts.Token());
            QmpException mapped = await Assert.ThrowsAsync<QmpException>(() => source.Client.MigrateAsync("fd:s2", cancellationToken: Timeouts.Token()));
            Assert.StartsWith("Migration requires seekable transport (e.g. file): capability 'mapped-ram' cannot be used with 'fd 's2' (socket)'", mapped.Description);
        }
        Assert.Empty(source.EventNames);
        Assert.Equal(RunState.Running, await source.RunStateAsync());
        Assert.Null((await source.Client.QueryMigrateAsync(cancellationToken: Timeouts.Token())).Status);
    }

    /// <summary>
    /// A plain file given as <c>fd:NAME</c> or as a socket address of type <c>fd</c> is
    /// migrated as a file, so mapped-ram and multifd work with it.
    /// </summary>
    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(true, true, false)]
    [InlineData(true, true, true)]
    [InlineData(false, false, true)]
    public async Task PlainFileFdIsMigratedAsAFile(bool mappedRam, bool multifd, bool channels)
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        using StateFile file = new("vm");
        using (SafeFileHandle output = File.OpenHandle(file, FileMode.Create, FileAccess.Write))
        {
            await source.Client.GetfdAsync("out", fds: [output], cancellationToken: Timeouts.Token());
        }
        await source.SetCapabilitiesAsync(multifd: multifd, mappedRam: mappedRam);
        if (channels)
        {
            await source.Client.MigrateAsync(channels: [FdChannel("out")], cancellationToken: Timeouts.Token());
        }
        else
        {
            await source.Client.MigrateAsync("fd:out", cancellationToken: Timeouts.Token());
        }
        await source.WaitForCompletedAsync();
        Assert.Equal(RunState.Postmigrate, await source.RunStateAsync());

        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await destination.SetCapabilitiesAsync(multifd: multifd, mappedRam: mappedRam);
        using (SafeFileHandle input = File.OpenHandle(file, FileMode.Open, FileAccess.Read))
        {
            await destination.Client.GetfdAsync("in", fds: [input], cancellationToken: Timeouts.Token());
        }
        if (channels)
        {
            await destination.Client.MigrateIncomingAsync(channels: [FdChannel("in")], cancellationToken: Timeouts.Token());
        }
        else
        {
            await destination.Client.MigrateIncomingAsync("fd:in", cancellationToken: Timeouts.Token());
        }
        await destination.WaitForCompletedAsync();
        await destination.WaitForRunStateAsync(RunState.Running);
        destination.AssertRamEqualsImage();
    }

    [Fact]
    public async Task ReadOnlyFileFdCannotTakeAnOutgoingMigration()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        using StateFile file = new("ro");
        File.WriteAllBytes(file, []);
        using (SafeFileHandle readOnly = File.OpenHandle(file, FileMode.Open, FileAccess.Read))
        {
            await source.Client.GetfdAsync("ro", fds: [readOnly], cancellationToken: Timeouts.Token());
        }
        QmpException error = await Assert.ThrowsAsync<QmpException>(() => source.Client.MigrateAsync("fd:ro", cancellationToken: Timeouts.Token()));
        Assert.Equal("fd 'ro' is open read-only; outgoing migration to a file needs an fd opened write-only or read-write", error.Description);
        Assert.Equal(RunState.Running, await source.RunStateAsync());
    }

    [Fact]
    public async Task NamedFdsBelongToTheCallingMonitorSession()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync("-qmp", "unix:{dir}/side.sock,server=on,wait=off");
        await using QapiClient side = await QapiClient.ConnectAsync("unix:" + source.PathOf("side.sock"), null, Timeouts.Token());
        using StateFile file = new("vm");
        using (SafeFileHandle output = File.OpenHandle(file, FileMode.Create, FileAccess.Write))
        {
            await side.GetfdAsync("theirs", fds: [output], cancellationToken: Timeouts.Token());
        }
        QmpException missing = await Assert.ThrowsAsync<QmpException>(() => source.Client.MigrateAsync("fd:theirs", cancellationToken: Timeouts.Token()));
        Assert.Equal("File descriptor named 'theirs' has not been found", missing.Description);
        QmpException number = await Assert.ThrowsAsync<QmpException>(() => source.Client.MigrateAsync("fd:99999", cancellationToken: Timeouts.Token()));
        Assert.Equal("Invalid file descriptor number '99999'", number.Description);

        // The session that received it can use it.
        await side.MigrateAsync("fd:theirs", cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();
    }

    /// <summary>A number names an fd the host process already has (here: the test's own, the host is in-process); it is duplicated, never taken.</summary>
    [Fact]
    public async Task FdNumbersAreBorrowed()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        using StateFile file = new("by-number");
        using SafeFileHandle output = File.OpenHandle(file, FileMode.Create, FileAccess.Write);
        await source.Client.MigrateAsync($"fd:{output.DangerousGetHandle()}", cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();
        Assert.True(FdTools.IsOpen(output.DangerousGetHandle()));

        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("file:" + file);
        await destination.WaitForCompletedAsync();
        destination.AssertRamEqualsImage();
    }

    /// <summary>/dev/fdset/N through add-fd: write-only out, read-only in, with and without mapped-ram and multifd.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task FdSetsForTheFileTransport(bool mappedRam, bool multifd)
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        using StateFile file = new("fdset");
        long outFd;
        using (SafeFileHandle output = File.OpenHandle(file, FileMode.Create, FileAccess.Write))
        {
            outFd = (await source.Client.AddFdAsync(fdsetId: 1, fds: [output], cancellationToken: Timeouts.Token())).Fd;
        }
        await source.SetCapabilitiesAsync(multifd: multifd, mappedRam: mappedRam);
        await source.Client.MigrateAsync("file:/dev/fdset/1", cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();

        // The set keeps its fd (the migration used a duplicate, released by the time it reports
        // completed): remove-fd closes it at once and frees the set. (Checked by query-fdsets, not
        // by fd number: tests running in parallel may reuse the number.)
        Assert.Equal(outFd, Assert.Single(Assert.Single(await source.Client.QueryFdsetsAsync(cancellationToken: Timeouts.Token())).Fds).Fd);
        await source.Client.RemoveFdAsync(1, cancellationToken: Timeouts.Token());
        Assert.Empty(await source.Client.QueryFdsetsAsync(cancellationToken: Timeouts.Token()));

        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await destination.SetCapabilitiesAsync(multifd: multifd, mappedRam: mappedRam);
        using (SafeFileHandle input = File.OpenHandle(file, FileMode.Open, FileAccess.Read))
        {
            await destination.Client.AddFdAsync(fdsetId: 2, fds: [input], cancellationToken: Timeouts.Token());
        }
        await destination.Client.MigrateIncomingAsync(channels: [FileChannel("/dev/fdset/2")], cancellationToken: Timeouts.Token());
        await destination.WaitForCompletedAsync();
        destination.AssertRamEqualsImage();
    }

    [Fact]
    public async Task FdSetAccessModeMustFitTheDirection()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        using StateFile file = new("mode");
        File.WriteAllBytes(file, []);
        using (SafeFileHandle readOnly = File.OpenHandle(file, FileMode.Open, FileAccess.Read))
        {
            await source.Client.AddFdAsync(fdsetId: 3, fds: [readOnly], cancellationToken: Timeouts.Token());
        }
        QmpException error = await Assert.ThrowsAsync<QmpException>(() => source.Client.MigrateAsync("file:/dev/fdset/3", cancellationToken: Timeouts.Token()));
        Assert.Equal("Could not open '/dev/fdset/3': Permission denied", error.Description);
        QmpException missing = await Assert.ThrowsAsync<QmpException>(() => source.Client.MigrateAsync("file:/dev/fdset/9", cancellationToken: Timeouts.Token()));
        Assert.Equal("Could not open '/dev/fdset/9': No such file or directory", missing.Description);

        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        using (SafeFileHandle writeOnly = File.OpenHandle(file, FileMode.Open, FileAccess.Write))
        {
            await destination.Client.AddFdAsync(fdsetId: 4, fds: [writeOnly], cancellationToken: Timeouts.Token());
        }
        QmpException incoming = await Assert.ThrowsAsync<QmpException>(() => destination.Client.MigrateIncomingAsync("file:/dev/fdset/4", cancellationToken: Timeouts.Token()));
        Assert.Equal("Could not open '/dev/fdset/4': Permission denied", incoming.Description);
        // A refused migrate-incoming leaves the destination waiting, and a corrected one may follow.
        Assert.Equal(RunState.Inmigrate, await destination.RunStateAsync());
    }

    /// <summary>The file transport refuses a socket, and says how to pass it instead.</summary>
    [Fact]
    public async Task FileTransportRefusesASocketFd()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        (Socket a, Socket b) = SocketPairs.Create();
        using (a)
        using (b)
        {
            await source.Client.AddFdAsync(fdsetId: 5, fds: [a.SafeHandle], cancellationToken: Timeouts.Token());
        }
        QmpException error = await Assert.ThrowsAsync<QmpException>(() => source.Client.MigrateAsync(channels: [FileChannel("/dev/fdset/5")], cancellationToken: Timeouts.Token()));
        Assert.Equal("The file migration transport needs a plain file, but /dev/fdset/5 is a socket; pass it as a socket address of type 'fd' instead", error.Description);
        Assert.Equal(RunState.Running, await source.RunStateAsync());
    }
}
