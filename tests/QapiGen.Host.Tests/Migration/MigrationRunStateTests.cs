using System.IO;
using System.Linq;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Host.Tests.Support;
using Xunit;

namespace QapiGen.Host.Tests.Migration;

/// <summary>
/// The one run state, driven by commands and by migration alike, with QEMU's autostart rules:
/// a destination runs after loading if the source ran and neither -S nor stop said otherwise; a
/// source that was stopped leaves its destination stopped in the same state.
/// </summary>
public sealed class MigrationRunStateTests
{
    private static async Task MigrateAsync(MigrationHost source, MigrationHost destination)
    {
        string socket = destination.PathOf("mig.sock");
        await destination.Client.MigrateIncomingAsync("unix:" + socket, cancellationToken: Timeouts.Token());
        await source.Client.MigrateAsync("unix:" + socket, cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();
        await destination.WaitForCompletedAsync();
    }

    [Fact]
    public async Task APausedSourceGivesAPausedDestination()
    {
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        await source.Client.StopAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(["STOP"], source.EventNames);

        await MigrateAsync(source, destination);
        Assert.Equal(RunState.Postmigrate, await source.RunStateAsync());
        await destination.WaitForRunStateAsync(RunState.Paused);
        // No STOP for a guest that was not running, no RESUME for one that stays stopped.
        Assert.Equal(["STOP"], source.EventNames);
        Assert.Empty(destination.EventNames);
        destination.AssertRamEqualsImage();

        // cont on the source after a completed migration takes the guest back (QEMU allows it).
        await source.Client.ContAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(RunState.Running, await source.RunStateAsync());
        Assert.Equal("RESUME", source.EventNames[^1]);
    }

    [Fact]
    public async Task APrelaunchSourceGivesAPrelaunchDestination()
    {
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await using MigrationHost source = await MigrationHost.StartSourceAsync("-S");
        Assert.Equal(RunState.Prelaunch, await source.RunStateAsync());
        await MigrateAsync(source, destination);
        await destination.WaitForRunStateAsync(RunState.Prelaunch);
        await destination.Client.ContAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(RunState.Running, await destination.RunStateAsync());
    }

    [Fact]
    public async Task DashSKeepsTheDestinationPausedUntilCont()
    {
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer", "-S");
        StatusInfo waiting = await destination.Client.QueryStatusAsync(cancellationToken: Timeouts.Token());
        Assert.Equal((RunState.Inmigrate, false), (waiting.Status, waiting.Running));
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        await MigrateAsync(source, destination);
        await destination.WaitForRunStateAsync(RunState.Paused);
        Assert.Empty(destination.EventNames);
        await destination.Client.ContAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(["RESUME"], destination.EventNames);
        Assert.Equal(RunState.Running, await destination.RunStateAsync());
    }

    [Fact]
    public async Task StopAndContWhileWaitingDecideHowTheDestinationEnds()
    {
        // stop in inmigrate: stays paused after the load, though the source ran and there is no -S.
        await using (MigrationHost destination = await MigrationHost.StartDestinationAsync("defer"))
        await using (MigrationHost source = await MigrationHost.StartSourceAsync())
        {
            await destination.Client.StopAsync(cancellationToken: Timeouts.Token());
            Assert.Equal(RunState.Inmigrate, await destination.RunStateAsync());
            await MigrateAsync(source, destination);
            await destination.WaitForRunStateAsync(RunState.Paused);
        }
        // cont in inmigrate overrides -S: runs after the load.
        await using (MigrationHost destination = await MigrationHost.StartDestinationAsync("defer", "-S"))
        await using (MigrationHost source = await MigrationHost.StartSourceAsync())
        {
            await destination.Client.ContAsync(cancellationToken: Timeouts.Token());
            await MigrateAsync(source, destination);
            await destination.WaitForRunStateAsync(RunState.Running);
            Assert.Equal(["RESUME"], destination.EventNames);
        }
    }

    /// <summary>The virtual clock section: guest time stops with the source and goes on from there on the destination.</summary>
    [Fact]
    public async Task GuestTimeTravelsWithTheMachine()
    {
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer", "-S");
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        await Task.Delay(200);
        await MigrateAsync(source, destination);
        long atStop = source.Host.Machine.Clock.Nanoseconds;
        Assert.True(atStop >= 200_000_000, $"source ran {atStop} ns");
        await Task.Delay(50);
        Assert.Equal(atStop, source.Host.Machine.Clock.Nanoseconds);
        await destination.WaitForRunStateAsync(RunState.Paused);
        Assert.Equal(atStop, destination.Host.Machine.Clock.Nanoseconds);
        await destination.Client.ContAsync(cancellationToken: Timeouts.Token());
        await Task.Delay(50);
        Assert.True(destination.Host.Machine.Clock.Nanoseconds > atStop);
        destination.AssertDevicesEqual(source);
    }

    [Fact]
    public async Task WithoutTheEventsCapabilityOnlyRunStateEvents()
    {
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        await MigrateAsync(source, destination);
        await destination.WaitForRunStateAsync(RunState.Running);
        Assert.Equal(["STOP"], source.EventNames);
        Assert.Equal(["RESUME"], destination.EventNames);
    }

    [Fact]
    public async Task QuitDuringAMigrationCancelsItAndShutsDownCleanly()
    {
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        await source.Client.MigrateSetParametersAsync(new MigrateSetParameters { MaxBandwidth = 4 << 20 }, cancellationToken: Timeouts.Token());
        string socket = destination.PathOf("mig.sock");
        await destination.Client.MigrateIncomingAsync("unix:" + socket, exitOnError: false, cancellationToken: Timeouts.Token());
        await source.Client.MigrateAsync("unix:" + socket, cancellationToken: Timeouts.Token());
        await source.WaitForTransferAsync();
        await source.Client.QuitAsync(cancellationToken: Timeouts.Token());
        await source.Host.ShutdownRequested.WaitAsync(Timeouts.Default);
        await source.Host.DisposeAsync();
        Assert.Equal(0, source.Host.ExitCode);
        Assert.Equal(MigrationStatus.Cancelled, source.Host.Migration.Query().Status);
        Assert.Equal(MigrationStatus.Failed, (await destination.WaitForEndAsync()).Status);
        Assert.Contains(source.EventNames, e => e == "SHUTDOWN");
    }

    /// <summary>
    /// After a completed migration the source is in postmigrate and its guest belongs to the
    /// destination: a second migrate is refused with QEMU 7.2's text (else two destinations could
    /// both run the guest), stop does not change that, and cont takes the guest back so that it may
    /// migrate again.
    /// </summary>
    [Fact]
    public async Task PostmigrateRefusesASecondMigrationUntilCont()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        using StateFile first = new("first");
        await source.Client.MigrateAsync("file:" + first, cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();
        Assert.Equal(RunState.Postmigrate, await source.RunStateAsync());

        using StateFile second = new("second");
        Assert.Equal("Can't migrate the vm that was paused due to previous migration",
            (await Assert.ThrowsAsync<QapiGen.Runtime.Protocol.QmpException>(() =>
                source.Client.MigrateAsync("file:" + second, cancellationToken: Timeouts.Token()))).Description);
        Assert.False(File.Exists(second.Path), "a refused migrate must not open its destination");
        await source.Client.StopAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(RunState.Postmigrate, await source.RunStateAsync());
        await Assert.ThrowsAsync<QapiGen.Runtime.Protocol.QmpException>(() =>
            source.Client.MigrateAsync(channels:
            [
                new MigrationChannel { ChannelType = MigrationChannelType.Main, Addr = new MigrationAddress.File { Filename = second.Path, Offset = 0 } },
            ], cancellationToken: Timeouts.Token()));
        // The refusals left the completed migration as query-migrate's answer.
        Assert.Equal(MigrationStatus.Completed, (await source.Client.QueryMigrateAsync(cancellationToken: Timeouts.Token())).Status);

        await source.Client.ContAsync(cancellationToken: Timeouts.Token());
        await source.Client.MigrateAsync("file:" + second, cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();
        Assert.Equal(RunState.Postmigrate, await source.RunStateAsync());
    }
}
