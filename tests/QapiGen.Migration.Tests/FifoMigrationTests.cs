using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using QapiGen.Migration.Control;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;
using Xunit;

namespace QapiGen.Migration.Tests;

/// <summary>
/// <c>file:PATH</c> naming a FIFO: opening it never waits (the open that waits for the other end
/// is the job's, on a thread of its own), cancelling abandons that open and lets its thread go,
/// and two ends meeting on a FIFO migrate as a stream.
/// </summary>
public class FifoMigrationTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static async Task<string> MakeFifoAsync(string name)
    {
        string fifo = TestMachines.TempPath(name);
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo);
        await mkfifo.WaitForExitAsync();
        Assert.Equal(0, mkfifo.ExitCode);
        return fifo;
    }

    [Theory]
    [InlineData(MigrationDirection.Outgoing)]
    [InlineData(MigrationDirection.Incoming)]
    public async Task AFifoWithNoOtherEndWaitsInSetupAndCancelAbandonsTheOpen(MigrationDirection direction)
    {
        string fifo = await MakeFifoAsync("lonely-fifo");
        await CancelWaitingAsync(fifo, direction);
        await CancelWaitingAsync(fifo, direction);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        // Counted by target: other test classes run in parallel in this process and open fds of
        // their own, so the process's total is no measure of this test's leaks.
        Assert.Equal(0, FdsOn(fifo));
        File.Delete(fifo);
    }

    private static int FdsOn(string path) =>
        Directory.GetFiles("/proc/self/fd").Count(fd => new FileInfo(fd).LinkTarget == path);

    private static async Task CancelWaitingAsync(string fifo, MigrationDirection direction)
    {
        using MachineState machine = direction == MigrationDirection.Outgoing
            ? TestMachines.Source(seed: 60, state: RunState.Running)
            : TestMachines.Destination();
        // Returns at once: before the fix, open() of a FIFO without a reader blocked right here.
        MigrationTransport transport = await Task.Run(() => PathTransport.Open(fifo, direction)).WaitAsync(Generous);
        FifoTransport pending = Assert.IsType<FifoTransport>(transport);
        Assert.Equal(TransportKind.Stream, transport.Kind);
        MigrationJob job = direction == MigrationDirection.Outgoing
            ? MigrationJob.StartOutgoing(machine, transport)
            : MigrationJob.StartIncoming(machine, transport);
        await Task.Delay(100);
        Assert.Equal(MigrationStatus.Setup, job.Status);

        job.Cancel();
        Assert.Equal(MigrationStatus.Cancelled, await job.Completion.WaitAsync(Generous));
        // The thread that was inside open() has been woken and has closed what it got.
        await pending.OpenFinished.WaitAsync(Generous);
        Assert.Equal(direction == MigrationDirection.Outgoing ? RunState.Running : RunState.InMigrate, machine.RunState);
    }

    [Fact]
    public async Task SourceAndDestinationMeetOnAFifo()
    {
        string fifo = await MakeFifoAsync("meeting-fifo");
        using MachineState source = TestMachines.Source(seed: 61);
        using MachineState destination = TestMachines.Destination();
        // Neither end is open when the transports are made: both opens are left to the jobs.
        MigrationTransport outgoing = PathTransport.Open(fifo, MigrationDirection.Outgoing);
        MigrationTransport incoming = PathTransport.Open(fifo, MigrationDirection.Incoming);
        await Pair.RunAsync(source, outgoing, destination, incoming);
        Pair.AssertMigrated(source, destination);
        File.Delete(fifo);
    }

    [Fact]
    public async Task AFifoIsAStreamSoMappedRamIsRefusedBeforeAnythingStarts()
    {
        string fifo = await MakeFifoAsync("seek-fifo");
        using MachineState source = TestMachines.Source(seed: 62);
        MigrationTransport transport = PathTransport.Open(fifo, MigrationDirection.Outgoing);
        MigrationConfigurationException error = Assert.Throws<MigrationConfigurationException>(() =>
            MigrationJob.StartOutgoing(source, transport, FileMigrationTests.Options(mappedRam: true, multifd: false)));
        Assert.Contains("seekable", error.Message);
        await transport.DisposeAsync();
        Assert.Throws<MigrationConfigurationException>(() => PathTransport.Open(fifo, MigrationDirection.Outgoing, offset: 4096));
        File.Delete(fifo);
    }

    /// <summary>QEMU's qemu_open() texts: "Could not create" when creating (outgoing), "Could not open" otherwise.</summary>
    [Fact]
    public void OpenErrorsAreWordedAsQEMUs()
    {
        string dir = TestMachines.TempPath("not-a-file");
        Directory.CreateDirectory(dir);
        Assert.Equal("Could not create '/nonexistent-dir/x': No such file or directory",
            Assert.Throws<IOException>(() => PathTransport.Open("/nonexistent-dir/x", MigrationDirection.Outgoing)).Message);
        Assert.Equal("Could not open '/nonexistent-dir/x': No such file or directory",
            Assert.Throws<IOException>(() => PathTransport.Open("/nonexistent-dir/x", MigrationDirection.Incoming)).Message);
        Assert.Equal($"Could not create '{dir}': Is a directory",
            Assert.Throws<IOException>(() => PathTransport.Open(dir, MigrationDirection.Outgoing)).Message);
        Assert.Equal($"Could not open '{dir}': Is a directory",
            Assert.Throws<IOException>(() => PathTransport.Open(dir, MigrationDirection.Incoming)).Message);
        Assert.Equal($"Could not create '{dir}/x/y': No such file or directory",
            Assert.Throws<IOException>(() => FileTransport.Open(dir + "/x/y", MigrationDirection.Outgoing)).Message);
        Directory.Delete(dir);
    }
}
