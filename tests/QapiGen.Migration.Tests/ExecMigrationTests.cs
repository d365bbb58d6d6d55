using System.IO;
using System.Threading.Tasks;
using QapiGen.Migration.Control;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;
using Xunit;

namespace QapiGen.Migration.Tests;

public class ExecMigrationTests
{
    [Fact]
    public async Task ExecCatToAFileAndBack()
    {
        string path = TestMachines.TempPath("exec");
        using MachineState source = TestMachines.Source(seed: 20);
        MigrationJob save = MigrationJob.StartOutgoing(source, ExecTransport.FromShellCommand($"cat > '{path}'", MigrationDirection.Outgoing));
        Assert.True(await save.Completion == MigrationStatus.Completed, save.ErrorDescription);

        using MachineState destination = TestMachines.Destination();
        MigrationJob load = MigrationJob.StartIncoming(destination, ExecTransport.FromShellCommand($"cat '{path}'", MigrationDirection.Incoming));
        Assert.True(await load.Completion == MigrationStatus.Completed, load.ErrorDescription);
        Pair.AssertMigrated(source, destination);
        File.Delete(path);
    }

    [Fact]
    public async Task ExecPipelineBetweenTwoMachines()
    {
        // exec: on both ends joined by a fifo, the way `exec:` is used with ssh.
        string fifo = TestMachines.TempPath("fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        using MachineState source = TestMachines.Source(seed: 21);
        using MachineState destination = TestMachines.Destination();
        await Pair.RunAsync(source, ExecTransport.FromArgs(["/bin/sh", "-c", $"cat > '{fifo}'"], MigrationDirection.Outgoing),
            destination, ExecTransport.FromArgs(["cat", fifo], MigrationDirection.Incoming));
        Pair.AssertMigrated(source, destination);
        File.Delete(fifo);
    }

    [Fact]
    public async Task FailingExecCommandFailsTheMigration()
    {
        using MachineState source = TestMachines.Source(seed: 22, state: RunState.Running);
        MigrationJob save = MigrationJob.StartOutgoing(source, ExecTransport.FromShellCommand("cat > /nonexistent-dir/x", MigrationDirection.Outgoing));
        Assert.Equal(MigrationStatus.Failed, await save.Completion);
        Assert.Contains("exec:cat > /nonexistent-dir/x", save.ErrorDescription);
        Assert.Equal(RunState.Running, source.RunState);
    }
}
