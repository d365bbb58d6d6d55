using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Host.Qapi;
using QapiGen.Host.Tests.Support;
using QapiGen.Runtime.Protocol;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Host.Tests.Migration;

/// <summary>
/// Every fd a migration opens or is given is closed when it ends, whatever the ending: the
/// process-wide fd count (hosts are in-process) is back where it was after each kind of run.
/// </summary>
[Collection(FdCountingCollection.Name)]
public sealed class MigrationFdLeakTests
{
    /// <summary>A completed migration leaves the source in postmigrate, which refuses another migrate until cont (QEMU's rule).</summary>
    private static async Task TakeBackAsync(MigrationHost source) => await source.Client.ContAsync(cancellationToken: Timeouts.Token());

    private static async Task UnixAsync(MigrationHost source, bool multifd)
    {
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await destination.SetCapabilitiesAsync(multifd: multifd);
        await source.SetCapabilitiesAsync(multifd: multifd);
        string socket = destination.PathOf("mig.sock");
        await destination.Client.MigrateIncomingAsync("unix:" + socket, cancellationToken: Timeouts.Token());
        await source.Client.MigrateAsync("unix:" + socket, cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();
        await TakeBackAsync(source);
        await destination.WaitForCompletedAsync();
        await source.SetCapabilitiesAsync();
    }

    private static async Task PassedFdsAsync(MigrationHost source)
    {
        // Socket pair through getfd on both sides.
        await using (MigrationHost destination = await MigrationHost.StartDestinationAsync("defer"))
        {
            (Socket a, Socket b) = SocketPairs.Create();
            using (a)
            using (b)
            {
                await source.Client.GetfdAsync("s", fds: [a.SafeHandle], cancellationToken: Timeouts.Token());
                await destination.Client.GetfdAsync("s", fds: [b.SafeHandle], cancellationToken: Timeouts.Token());
            }
            await destination.Client.MigrateIncomingAsync("fd:s", cancellationToken: Timeouts.Token());
            await source.Client.MigrateAsync("fd:s", cancellationToken: Timeouts.Token());
            await source.WaitForCompletedAsync();
            await TakeBackAsync(source);
            await destination.WaitForCompletedAsync();
        }

        // A plain file through getfd (migrated as a file: the transport follows what the fd is).
        using StateFile named = new("leak-named");
        using (SafeFileHandle output = File.OpenHandle(named, FileMode.Create, FileAccess.Write))
        {
            await source.Client.GetfdAsync("f", fds: [output], cancellationToken: Timeouts.Token());
        }
        await source.Client.MigrateAsync("fd:f", cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();
        await TakeBackAsync(source);
        File.Delete(named);

        // A file through an fdset, with mapped-ram and multifd; remove-fd afterwards closes the set's fd.
        using StateFile file = new("leak");
        using (SafeFileHandle output = File.OpenHandle(file, FileMode.Create, FileAccess.Write))
        {
            await source.Client.AddFdAsync(fdsetId: 7, fds: [output], cancellationToken: Timeouts.Token());
        }
        await source.SetCapabilitiesAsync(multifd: true, mappedRam: true);
        await source.Client.MigrateAsync("file:/dev/fdset/7", cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();
        await TakeBackAsync(source);
        await source.Client.RemoveFdAsync(7, cancellationToken: Timeouts.Token());
        await source.SetCapabilitiesAsync();
        File.Delete(file);
    }

    private static async Task FailuresAsync(MigrationHost source)
    {
        // Refused after the named fd was taken: the fd is closed, not kept.
        using (SafeFileHandle readOnly = File.OpenHandle(RamImage.Path, FileMode.Open, FileAccess.Read))
        {
            await source.Client.GetfdAsync("ro", fds: [readOnly], cancellationToken: Timeouts.Token());
        }
        await Assert.ThrowsAsync<QmpException>(() => source.Client.MigrateAsync("fd:ro", cancellationToken: Timeouts.Token()));
        // Refused by validation after the transport was made.
        await source.SetCapabilitiesAsync(mappedRam: true);
        await Assert.ThrowsAsync<QmpException>(() => source.Client.MigrateAsync("unix:" + source.PathOf("x.sock"), cancellationToken: Timeouts.Token()));
        await source.SetCapabilitiesAsync();
        // Connection refused.
        await source.Client.MigrateAsync("unix:" + source.PathOf("nobody.sock"), cancellationToken: Timeouts.Token());
        Assert.Equal(MigrationStatus.Failed, (await source.WaitForEndAsync()).Status);
        // Cancelled mid-stream, with a destination that fails and stays.
        await using (MigrationHost destination = await MigrationHost.StartDestinationAsync("defer"))
        {
            await destination.Client.MigrateIncomingAsync("unix:" + destination.PathOf("mig.sock"), exitOnError: false, cancellationToken: Timeouts.Token());
            await source.Client.MigrateSetParametersAsync(new MigrateSetParameters { MaxBandwidth = 4 << 20 }, cancellationToken: Timeouts.Token());
            await source.Client.MigrateAsync("unix:" + destination.PathOf("mig.sock"), cancellationToken: Timeouts.Token());
            await source.WaitForTransferAsync();
            await source.Client.MigrateCancelAsync(cancellationToken: Timeouts.Token());
            Assert.Equal(MigrationStatus.Cancelled, (await source.WaitForEndAsync()).Status);
            Assert.Equal(MigrationStatus.Failed, (await destination.WaitForEndAsync()).Status);
            await source.Client.MigrateSetParametersAsync(new MigrateSetParameters { MaxBandwidth = 0 }, cancellationToken: Timeouts.Token());
        }
        // An exec child that dies at once.
        await source.Client.MigrateAsync("exec:exit 3", cancellationToken: Timeouts.Token());
        Assert.Equal(MigrationStatus.Failed, (await source.WaitForEndAsync()).Status);
    }

    private static async Task RoundAsync(MigrationHost source)
    {
        await UnixAsync(source, multifd: false);
        await UnixAsync(source, multifd: true);
        await PassedFdsAsync(source);
        await FailuresAsync(source);
    }

    /// <summary>
    /// One long-lived source, so that an fd the host keeps by mistake (not only one the process
    /// loses at exit) shows in the count; destinations come and go each round.
    /// </summary>
    [Fact]
    public async Task NoFdLeaksWhateverTheEnding()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        // Warm up: the runtime opens fds of its own (epoll, thread pool, pipes) on first use.
        await RoundAsync(source);

        int before = FdCount.Now();
        for (int i = 0; i < 4; i++)
        {
            await RoundAsync(source);
        }
        FdTools.AssertNoLeak(before, slack: 2);
        Assert.Empty(await source.Client.QueryFdsetsAsync(cancellationToken: Timeouts.Token()));
    }

    /// <summary>A failed migration to /dev/fdset/N gives its lease back: remove-fd then closes the set's fd at once.</summary>
    [Fact]
    public async Task FailedFdSetMigrationReleasesTheFd()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        using StateFile file = new("fdset-fail");
        long fd;
        using (SafeFileHandle output = File.OpenHandle(file, FileMode.Create, FileAccess.Write))
        {
            fd = (await source.Client.AddFdAsync(fdsetId: 1, fds: [output], cancellationToken: Timeouts.Token())).Fd;
        }
        await source.Client.MigrateSetParametersAsync(new MigrateSetParameters { MaxBandwidth = 4 << 20 }, cancellationToken: Timeouts.Token());
        await source.Client.MigrateAsync("file:/dev/fdset/1", cancellationToken: Timeouts.Token());
        await source.WaitForTransferAsync();
        // remove-fd while the migration uses it: marked, but kept open for the migration.
        await source.Client.RemoveFdAsync(1, cancellationToken: Timeouts.Token());
        Assert.True(FdTools.IsOpen(fd));
        await source.Client.MigrateCancelAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(MigrationStatus.Cancelled, (await source.WaitForEndAsync()).Status);
        // By the time the job reports its end it has let go of the fd, so the removal took effect.
        Assert.False(FdTools.IsOpen(fd));
        Assert.Empty(await source.Client.QueryFdsetsAsync(cancellationToken: Timeouts.Token()));
    }
}
