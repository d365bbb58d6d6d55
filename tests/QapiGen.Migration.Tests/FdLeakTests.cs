using System;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;
using QapiGen.Migration.Control;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Migration.Tests;

/// <summary>
/// Counts the process's open fds before and after migrations, so it runs alone: another test class
/// opening a socket or a file meanwhile would move the count.
/// </summary>
[Collection(nameof(FdLeakTests))]
public class FdLeakTests
{
    [Fact]
    public async Task SuccessfulFailedAndCancelledMigrationsCloseEveryFd()
    {
        // Warm up: runtime-internal fds (epoll, event pipes) are opened once, lazily.
        await RoundAsync();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        System.Collections.Generic.Dictionary<string, string> before = FdCount.Snapshot();

        for (int i = 0; i < 3; i++)
        {
            await RoundAsync();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        // By what each fd is, not their number: the runtime opens an assembly or symbol file the first time
        // a path needs it (an exception's stack trace, say) and keeps it; those are not leaks.
        FdCount.AssertNoneOpenedSince(before);
    }

    private static async Task RoundAsync()
    {
        using MachineState source = TestMachines.Source(seed: 40, size: 8 << 20);
        using MachineState destination = TestMachines.Destination(size: 8 << 20);

        // Unix listener with multifd.
        string path = TestMachines.TempPath("leak");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        var multifd = new MigrationOptions { Capabilities = new Validation.MigrationCapabilities { Multifd = true } };
        await Pair.RunAsync(source, SocketMigrationTransport.Connect(new UnixDomainSocketEndPoint(path)), destination, SocketMigrationTransport.Listen(listener), multifd);
        File.Delete(path);
        source.SetRunState(RunState.Paused);

        // Mapped-ram file and a failing load.
        string file = TestMachines.TempPath("leakfile");
        MigrationOptions mapped = FileMigrationTests.Options(mappedRam: true, multifd: true);
        await MigrationJob.StartOutgoing(source, FileTransport.Open(file, MigrationDirection.Outgoing), mapped).Completion;
        await MigrationJob.StartIncoming(destination, FileTransport.Open(file, MigrationDirection.Incoming)).Completion;
        File.Delete(file);

        // Exec, and a cancelled socket migration nobody reads.
        await MigrationJob.StartOutgoing(source, ExecTransport.FromShellCommand("cat > /dev/null", MigrationDirection.Outgoing)).Completion;
        (Socket a, Socket b) = SocketMigrationTests.SocketPair();
        MigrationJob stuck = MigrationJob.StartOutgoing(source, SocketMigrationTransport.FromConnected(a));
        await Task.Delay(50);
        stuck.Cancel();
        Assert.Equal(MigrationStatus.Cancelled, await stuck.Completion);
        b.Dispose();
    }
}

/// <summary>The process-wide fd count is only meaningful with no other test running.</summary>
[CollectionDefinition(nameof(FdLeakTests), DisableParallelization = true)]
public sealed class FdLeakCollection
{
}
