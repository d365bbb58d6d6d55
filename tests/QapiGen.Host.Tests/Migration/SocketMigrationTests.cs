using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Host.Tests.Support;
using Xunit;

namespace QapiGen.Host.Tests.Migration;

/// <summary>Host to host over unix and TCP sockets, legacy URI and channels API, with and without multifd.</summary>
public sealed class SocketMigrationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnixSocketMovesRamDevicesAndRunState(bool multifd)
    {
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        string socket = destination.PathOf("mig.sock");
        await destination.SetCapabilitiesAsync(multifd: multifd, events: true);
        await source.SetCapabilitiesAsync(multifd: multifd, events: true);
        Assert.Equal(RunState.Inmigrate, await destination.RunStateAsync());
        await destination.Client.MigrateIncomingAsync("unix:" + socket, cancellationToken: Timeouts.Token());

        await source.Client.MigrateAsync("unix:" + socket, cancellationToken: Timeouts.Token());
        MigrationInfo sent = await source.WaitForCompletedAsync();
        MigrationInfo received = await destination.WaitForCompletedAsync();

        Assert.NotNull(sent.Ram);
        Assert.Equal(RamImage.Size, sent.Ram!.Total);
        Assert.True(sent.Ram.Normal > 0 && sent.Ram.Duplicate > 0, $"normal {sent.Ram.Normal}, duplicate {sent.Ram.Duplicate}");
        Assert.Equal(RamImage.Size / 4096, sent.Ram.Normal + sent.Ram.Duplicate);
        Assert.Equal(multifd ? (ulong)sent.Ram.Transferred : 0, sent.Ram.MultifdBytes);
        Assert.NotNull(sent.TotalTime);
        Assert.NotNull(sent.Downtime);
        Assert.Null(sent.ErrorDesc);
        Assert.Equal(MigrationStatus.Completed, received.Status);
        // A destination reports its times, not RAM counters (QEMU reports its status alone).
        Assert.Null(received.Ram);
        Assert.NotNull(received.TotalTime);
        Assert.Equal("unix", QapiJson.ToWire(Assert.Single(received.SocketAddress!).Type));

        // The source stopped for the switchover and stays there; the destination runs (no -S).
        Assert.Equal(RunState.Postmigrate, await source.RunStateAsync());
        await destination.WaitForRunStateAsync(RunState.Running);
        destination.AssertRamEqualsImage();
        source.AssertRamEqualsImage();
        destination.AssertDevicesEqual(source);

        // A running source: one pass while it runs, then STOP and the final pass of what was dirtied.
        Assert.Equal(["MIGRATION:setup", "MIGRATION:active", "MIGRATION_PASS:1", "STOP", "MIGRATION_PASS:2", "MIGRATION:completed"], source.EventNames);
        Assert.Contains("MIGRATION:completed", destination.EventNames);
        Assert.Contains("RESUME", destination.EventNames);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TcpWithThePortTheSystemPicked(bool multifd)
    {
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("tcp:127.0.0.1:0");
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        await source.SetCapabilitiesAsync(multifd: multifd);
        MigrationInfo listening = await destination.Client.QueryMigrateAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(MigrationStatus.Setup, listening.Status);
        SocketAddress.Inet bound = Assert.IsType<SocketAddress.Inet>(Assert.Single(listening.SocketAddress!));
        Assert.Equal("127.0.0.1", bound.Host);
        Assert.NotEqual("0", bound.Port);

        await source.Client.MigrateAsync($"tcp:127.0.0.1:{bound.Port}", cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();
        await destination.WaitForCompletedAsync();
        await destination.WaitForRunStateAsync(RunState.Running);
        destination.AssertRamEqualsImage();
    }

    [Fact]
    public async Task ChannelsApiWithInetAndUnixAddresses()
    {
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        await destination.Client.MigrateIncomingAsync(channels:
        [
            new MigrationChannel
            {
                ChannelType = MigrationChannelType.Main,
                Addr = new MigrationAddress.Socket { Value = new SocketAddress.Inet { Host = "127.0.0.1", Port = "0" } },
            },
        ], cancellationToken: Timeouts.Token());
        SocketAddress.Inet bound = Assert.IsType<SocketAddress.Inet>(Assert.Single((await destination.Client.QueryMigrateAsync(cancellationToken: Timeouts.Token())).SocketAddress!));

        await source.Client.MigrateAsync(channels:
        [
            new MigrationChannel
            {
                ChannelType = MigrationChannelType.Main,
                Addr = new MigrationAddress.Socket { Value = new SocketAddress.Inet { Host = "localhost", Port = bound.Port, Ipv4 = true } },
            },
        ], cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();
        await destination.WaitForCompletedAsync();
        destination.AssertRamEqualsImage();

        // The destination, now running, migrates on over a unix socket given as a channel.
        await using MigrationHost third = await MigrationHost.StartDestinationAsync("defer");
        string path = third.PathOf("next.sock");
        MigrationChannel unix = new()
        {
            ChannelType = MigrationChannelType.Main,
            Addr = new MigrationAddress.Socket { Value = new SocketAddress.Unix { Path = path } },
        };
        await third.Client.MigrateIncomingAsync(channels: [unix], cancellationToken: Timeouts.Token());
        await destination.Client.MigrateAsync(channels: [unix], cancellationToken: Timeouts.Token());
        await destination.WaitForCompletedAsync();
        await third.WaitForCompletedAsync();
        third.AssertRamEqualsImage();
        Assert.False(System.IO.File.Exists(path), "the listening socket file is removed once the migration is over");
    }
}
