using System;
using System.IO;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Host.Tests.Support;
using QapiGen.Runtime.Protocol;
using Xunit;

namespace QapiGen.Host.Tests.Migration;

/// <summary>
/// Failures lose nothing: the source ends failed or cancelled with a reason and keeps running
/// with its RAM intact; the destination reports a clear error and exits (exit-on-error, the
/// default) or stays in inmigrate (exit-on-error false), and never crashes.
/// </summary>
public sealed class MigrationFailureTests
{
    /// <summary>Slow enough (4 MiB/s for ~28 MiB of data) that there is time to act mid-stream.</summary>
    private static Task ThrottleAsync(MigrationHost source) =>
        source.Client.MigrateSetParametersAsync(new MigrateSetParameters { MaxBandwidth = 4 << 20 }, cancellationToken: Timeouts.Token());

    [Fact]
    public async Task CancelKeepsTheSourceRunningAndTheDestinationWaiting()
    {
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        await source.SetCapabilitiesAsync(events: true);
        await ThrottleAsync(source);
        string socket = destination.PathOf("mig.sock");
        await destination.Client.MigrateIncomingAsync("unix:" + socket, exitOnError: false, cancellationToken: Timeouts.Token());
        await source.Client.MigrateAsync("unix:" + socket, cancellationToken: Timeouts.Token());
        MigrationInfo active = await source.WaitForTransferAsync();
        Assert.NotNull(active.Ram);
        Assert.NotNull(active.TotalTime);

        await source.Client.MigrateCancelAsync(cancellationToken: Timeouts.Token());
        MigrationInfo cancelled = await source.WaitForEndAsync();
        Assert.Equal(MigrationStatus.Cancelled, cancelled.Status);
        Assert.Equal(RunState.Running, await source.RunStateAsync());
        source.AssertRamEqualsImage();
        Assert.Equal(["MIGRATION:setup", "MIGRATION:active", "MIGRATION_PASS:1", "MIGRATION:cancelling", "MIGRATION:cancelled"], source.EventNames);

        MigrationInfo received = await destination.WaitForEndAsync();
        Assert.Equal(MigrationStatus.Failed, received.Status);
        Assert.StartsWith("Migration stream on unix:", received.ErrorDesc);
        Assert.Equal(RunState.Inmigrate, await destination.RunStateAsync());
        Assert.False(destination.Host.ShutdownRequested.IsCompleted);

        // The source can try again at once, to a new destination.
        using StateFile file = new("retry");
        await source.Client.MigrateSetParametersAsync(new MigrateSetParameters { MaxBandwidth = 0 }, cancellationToken: Timeouts.Token());
        await source.Client.MigrateAsync("file:" + file, cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CorruptedFileMakesTheDestinationExit(bool mappedRam)
    {
        using StateFile file = new("corrupt");
        await using (MigrationHost source = await MigrationHost.StartSourceAsync())
        {
            await source.SetCapabilitiesAsync(mappedRam: mappedRam);
            await source.Client.MigrateAsync("file:" + file, cancellationToken: Timeouts.Token());
            await source.WaitForCompletedAsync();
        }
        using (FileStream stream = new(file, FileMode.Open, FileAccess.ReadWrite))
        {
            // A byte in the middle of the RAM data (well past any header).
            stream.Position = stream.Length / 2;
            int value = stream.ReadByte();
            stream.Position = stream.Length / 2;
            stream.WriteByte((byte)(value ^ 0x01));
        }

        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await destination.SetCapabilitiesAsync(mappedRam: mappedRam);
        // exit-on-error defaults to true, as in QEMU: the host asks to exit with status 1.
        await destination.Client.MigrateIncomingAsync("file:" + file, cancellationToken: Timeouts.Token());
        await destination.Host.ShutdownRequested.WaitAsync(Timeouts.Default);
        Assert.Equal(1, destination.Host.ExitCode);
        MigrationInfo info = await destination.Client.QueryMigrateAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(MigrationStatus.Failed, info.Status);
        Assert.Contains("checksum", info.ErrorDesc, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(RunState.Inmigrate, await destination.RunStateAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TruncatedFileLeavesTheDestinationWaitingWithoutExitOnError(bool mappedRam)
    {
        using StateFile file = new("truncated");
        await using (MigrationHost source = await MigrationHost.StartSourceAsync())
        {
            await source.SetCapabilitiesAsync(mappedRam: mappedRam);
            await source.Client.MigrateAsync("file:" + file, cancellationToken: Timeouts.Token());
            await source.WaitForCompletedAsync();
        }
        using (FileStream stream = new(file, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(stream.Length * 2 / 3);
        }

        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await destination.SetCapabilitiesAsync(mappedRam: mappedRam);
        await destination.Client.MigrateIncomingAsync("file:" + file, exitOnError: false, cancellationToken: Timeouts.Token());
        MigrationInfo info = await destination.WaitForEndAsync();
        Assert.Equal(MigrationStatus.Failed, info.Status);
        Assert.False(string.IsNullOrEmpty(info.ErrorDesc));
        Assert.Equal(RunState.Inmigrate, await destination.RunStateAsync());
        Assert.False(destination.Host.ShutdownRequested.IsCompleted);
        Assert.Equal(0, destination.Host.ExitCode);
        // QEMU allows one incoming migration per process; so does the host.
        QmpException again = await Assert.ThrowsAsync<QmpException>(() => destination.Client.MigrateIncomingAsync("file:" + file, cancellationToken: Timeouts.Token()));
        Assert.Equal("The incoming migration has already been started", again.Description);
    }

    [Fact]
    public async Task DestinationKilledMidStream()
    {
        await using HostProcess destination = await HostProcess.StartAsync("-m", RamImage.SizeOption, "-incoming", "unix:{dir}/mig.sock");
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        await ThrottleAsync(source);
        await source.Client.MigrateAsync("unix:" + destination.PathOf("mig.sock"), cancellationToken: Timeouts.Token());
        MigrationInfo active = await source.WaitForTransferAsync();
        await Task.Delay(300);
        destination.Kill();

        MigrationInfo failed = await source.WaitForEndAsync();
        Assert.Equal(MigrationStatus.Failed, failed.Status);
        Assert.StartsWith("Unable to write to unix:", failed.ErrorDesc);
        Assert.Equal(RunState.Running, await source.RunStateAsync());
        source.AssertRamEqualsImage();
    }

    /// <summary>The other way round: the source goes away mid-stream; the destination process says why and exits 1.</summary>
    [Fact]
    public async Task SourceGoneMidStreamMakesTheDestinationProcessExit()
    {
        await using HostProcess destination = await HostProcess.StartAsync("-m", RamImage.SizeOption, "-incoming", "unix:{dir}/mig.sock");
        MigrationHost source = await MigrationHost.StartSourceAsync();
        await ThrottleAsync(source);
        await source.Client.MigrateAsync("unix:" + destination.PathOf("mig.sock"), cancellationToken: Timeouts.Token());
        await source.WaitForTransferAsync();
        await Task.Delay(300);
        await source.DisposeAsync();

        Assert.Equal(1, await destination.WaitForExitAsync());
        Assert.Contains("qapigen-host: load of migration failed: ", destination.StandardError);
    }
}
