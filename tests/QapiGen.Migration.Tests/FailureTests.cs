using System;
using System.Net.Sockets;
using System.Threading.Tasks;
using QapiGen.Migration.Control;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;
using QapiGen.Migration.Validation;
using Xunit;

namespace QapiGen.Migration.Tests;

public class FailureTests
{
    private static readonly MigrationOptions Slow = new()
    {
        Capabilities = new MigrationCapabilities { Events = true },
        Parameters = new MigrationParameters { MaxBandwidth = 32L << 20 },
    };

    [Fact]
    public async Task CancelMidStreamKeepsTheSourceRunningWithRamIntact()
    {
        using MachineState source = TestMachines.Source(seed: 30, state: RunState.Running);
        byte[] before = TestMachines.Snapshot(source.Ram);
        using MachineState destination = TestMachines.Destination();
        (Socket a, Socket b) = SocketMigrationTests.SocketPair();
        var events = new RecordingEvents();
        MigrationJob incoming = MigrationJob.StartIncoming(destination, SocketMigrationTransport.FromConnected(b));
        MigrationJob outgoing = MigrationJob.StartOutgoing(source, SocketMigrationTransport.FromConnected(a), Slow, events);

        await WaitForTransferAsync(outgoing, 4 << 20);
        outgoing.Cancel();
        Assert.Equal(MigrationStatus.Cancelled, await outgoing.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["setup", "active", "cancelling", "cancelled"], events.Statuses);
        Assert.Equal(RunState.Running, source.RunState);
        Assert.True(before.AsSpan().SequenceEqual(TestMachines.Snapshot(source.Ram)));

        // The destination sees the stream end early and says so, without crashing.
        Assert.Equal(MigrationStatus.Failed, await incoming.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("ended early", incoming.ErrorDescription);
        Assert.Equal(RunState.InMigrate, destination.RunState);
    }

    [Fact]
    public async Task CancellationTokenCancelsLikeMigrateCancel()
    {
        using MachineState source = TestMachines.Source(seed: 31);
        (Socket a, Socket b) = SocketMigrationTests.SocketPair();
        using var cts = new System.Threading.CancellationTokenSource();
        MigrationJob outgoing = MigrationJob.StartOutgoing(source, SocketMigrationTransport.FromConnected(a), Slow, cancellationToken: cts.Token);

        // Nobody reads: the source blocks on a full socket buffer until cancelled.
        await WaitForTransferAsync(outgoing, 1 << 20);
        cts.Cancel();
        Assert.Equal(MigrationStatus.Cancelled, await outgoing.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(RunState.Paused, source.RunState);
        b.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DestinationKilledMidStreamFailsTheSourceWithAReason(bool multifd)
    {
        string path = TestMachines.TempPath("kill");
        var endpoint = new UnixDomainSocketEndPoint(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(endpoint);
        listener.Listen();
        using MachineState source = TestMachines.Source(seed: 32, state: RunState.Running);
        byte[] before = TestMachines.Snapshot(source.Ram);
        MigrationOptions options = Slow with { Capabilities = new MigrationCapabilities { Multifd = multifd } };
        MigrationJob outgoing = MigrationJob.StartOutgoing(source, SocketMigrationTransport.Connect(endpoint), options);

        // A "destination" that accepts every channel, reads a little RAM and dies.
        var peers = new System.Collections.Generic.List<Socket>();
        for (int i = 0; i < (multifd ? 3 : 1); i++)
        {
            peers.Add(await listener.AcceptAsync());
        }

        byte[] sink = new byte[1 << 20];
        int got = 0;
        while (got < (2 << 20))
        {
            got += await peers[^1].ReceiveAsync(sink, SocketFlags.None);
        }

        peers.ForEach(p => p.Dispose());
        listener.Dispose();

        Assert.Equal(MigrationStatus.Failed, await outgoing.Completion.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Matches("(Unable to write to unix:.*: (Broken pipe|Connection reset by peer))|Failed to connect", outgoing.ErrorDescription);
        Assert.Equal(RunState.Running, source.RunState);
        Assert.True(before.AsSpan().SequenceEqual(TestMachines.Snapshot(source.Ram)));
        System.IO.File.Delete(path);
    }

    [Fact]
    public async Task SourceClosingMidStreamLeavesTheDestinationInmigrate()
    {
        using MachineState destination = TestMachines.Destination();
        (Socket a, Socket b) = SocketMigrationTests.SocketPair();
        MigrationJob incoming = MigrationJob.StartIncoming(destination, SocketMigrationTransport.FromConnected(b));

        // Half a migration: a real source whose peer socket is closed after 3 MiB.
        using MachineState source = TestMachines.Source(seed: 33);
        string file = TestMachines.TempPath("half");
        Assert.Equal(MigrationStatus.Completed, await MigrationJob.StartOutgoing(source, FileTransport.Open(file, MigrationDirection.Outgoing)).Completion);
        byte[] stream = await System.IO.File.ReadAllBytesAsync(file);
        await a.SendAsync(stream.AsMemory(0, 3 << 20), SocketFlags.None);
        a.Dispose();

        Assert.Equal(MigrationStatus.Failed, await incoming.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("ended early", incoming.ErrorDescription);
        Assert.Equal(RunState.InMigrate, destination.RunState);
        System.IO.File.Delete(file);
    }

    [Fact]
    public async Task ConnectionRefusedFailsCleanly()
    {
        using MachineState source = TestMachines.Source(seed: 34, state: RunState.Running);
        string missing = TestMachines.TempPath("none");
        MigrationJob outgoing = MigrationJob.StartOutgoing(source, SocketMigrationTransport.Connect(new UnixDomainSocketEndPoint(missing)));
        Assert.Equal(MigrationStatus.Failed, await outgoing.Completion);
        // QEMU's text: the path and strerror(ENOENT), not .NET's "Cannot assign requested address".
        Assert.Equal($"Failed to connect to '{missing}': No such file or directory", outgoing.ErrorDescription);
        Assert.Equal(RunState.Running, source.RunState);
    }

    /// <summary>Each errno a unix connect can meet keeps its own strerror text (.NET folds several into "Unknown socket error").</summary>
    [Fact]
    public async Task UnixConnectFailuresKeepTheirErrno()
    {
        string file = TestMachines.TempPath("plain");
        await System.IO.File.WriteAllBytesAsync(file, [1]);
        (string Path, string Text)[] cases =
        [
            (file, "Connection refused"),
            (file + "/below-a-file", "Not a directory"),
        ];
        foreach ((string path, string text) in cases)
        {
            using MachineState source = TestMachines.Source(seed: 35, state: RunState.Running);
            MigrationJob outgoing = MigrationJob.StartOutgoing(source, SocketMigrationTransport.Connect(new UnixDomainSocketEndPoint(path), peer: path));
            Assert.Equal(MigrationStatus.Failed, await outgoing.Completion);
            Assert.Equal($"Failed to connect to '{path}': {text}", outgoing.ErrorDescription);
        }
        System.IO.File.Delete(file);
    }

    private static async Task WaitForTransferAsync(MigrationJob job, long bytes)
    {
        for (int i = 0; i < 500 && job.GetStats().Transferred < bytes; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(MigrationStatus.Active, job.Status);
    }
}
