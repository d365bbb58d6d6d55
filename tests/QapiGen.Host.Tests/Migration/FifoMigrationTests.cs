using System;
using System.IO;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Host.Tests.Support;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Host.Tests.Migration;

/// <summary>
/// <c>file:PATH</c> where PATH is a FIFO nobody has opened: its open() would wait for the other
/// end. The host must never wait with it: migrate answers at once and the migration sits in
/// setup, the monitor keeps answering, migrate_cancel ends it (the waiting open abandoned, its fd
/// and thread let go), and quit or SIGTERM end the process.
/// </summary>
[Collection(FdCountingCollection.Name)]
public sealed class FifoMigrationTests
{
    private static async Task<string> MakeFifoAsync(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", path);
        await mkfifo.WaitForExitAsync();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    [Fact]
    public async Task MigrateToAFifoWithoutReaderAnswersAtOnceAndCancels()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        string fifo = await MakeFifoAsync(source.PathOf("mig.fifo"));
        await CancelAsync(source, fifo);
        int before = FdCount.Now();

        await CancelAsync(source, fifo);
        FdTools.AssertNoLeak(before, slack: 0);

        // With a reader the same migration runs to the end; what the reader gets is the stream.
        await source.Client.MigrateAsync("file:" + fifo, cancellationToken: Timeouts.Token());
        byte[] stream = await Task.Run(() => File.ReadAllBytes(fifo)).WaitAsync(Timeouts.Default * 4);
        await source.WaitForCompletedAsync();
        Assert.True(stream.Length > 0, "the reader got nothing");
        Assert.Equal(RunState.Postmigrate, await source.RunStateAsync());
    }

    private static async Task CancelAsync(MigrationHost source, string fifo)
    {
        // Before the fix this call never returned: open() waited for a reader inside the command.
        await source.Client.MigrateAsync("file:" + fifo, cancellationToken: Timeouts.Token());
        Assert.Equal(MigrationStatus.Setup, (await source.Client.QueryMigrateAsync(cancellationToken: Timeouts.Token())).Status);
        Assert.Equal(RunState.Running, await source.RunStateAsync());
        Assert.Equal("There's a migration process in progress",
            (await Assert.ThrowsAsync<QapiGen.Runtime.Protocol.QmpException>(() =>
                source.Client.MigrateAsync("file:" + fifo, cancellationToken: Timeouts.Token()))).Description);

        await source.Client.MigrateCancelAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(MigrationStatus.Cancelled, (await source.WaitForEndAsync()).Status);
        Assert.Equal(RunState.Running, await source.RunStateAsync());
    }

    /// <summary>A host process with a migration waiting on a FIFO (either direction) still ends on quit and on SIGTERM.</summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public async Task AHostWaitingOnAFifoStillEnds(bool outgoing, bool sigterm)
    {
        await using HostProcess host = outgoing
            ? await HostProcess.StartAsync("-m", "32M")
            : await HostProcess.StartAsync("-m", "32M", "-incoming", "defer");
        string fifo = await MakeFifoAsync(host.PathOf("mig.fifo"));
        if (outgoing)
        {
            await host.Client.MigrateAsync("file:" + fifo, cancellationToken: Timeouts.Token());
        }
        else
        {
            await host.Client.MigrateIncomingAsync("file:" + fifo, cancellationToken: Timeouts.Token());
        }
        // The monitor still answers.
        Assert.Equal(MigrationStatus.Setup, (await host.Client.QueryMigrateAsync(cancellationToken: Timeouts.Token())).Status);

        if (sigterm)
        {
            Assert.Equal(0, Kill(host.Id, 15));
        }
        else
        {
            await host.Client.QuitAsync(cancellationToken: Timeouts.Token());
        }
        // Generous for a loaded machine; before the fix it never ended (only SIGKILL did).
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
