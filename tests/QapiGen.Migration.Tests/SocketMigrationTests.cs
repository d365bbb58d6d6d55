using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using QapiGen.Migration.Control;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;
using QapiGen.Migration.Validation;
using Xunit;

namespace QapiGen.Migration.Tests;

public class SocketMigrationTests
{
    private static readonly MigrationOptions Multifd = new()
    {
        Capabilities = new MigrationCapabilities { Multifd = true },
        Parameters = new MigrationParameters { MultifdChannels = 3 },
    };

    [Fact]
    public async Task UnixSocketpair()
    {
        using MachineState source = TestMachines.Source();
        using MachineState destination = TestMachines.Destination();
        (Socket a, Socket b) = SocketPair();
        (MigrationJob sent, _) = await Pair.RunAsync(source, SocketMigrationTransport.FromConnected(a), destination, SocketMigrationTransport.FromConnected(b));
        Pair.AssertMigrated(source, destination);

        MigrationStats stats = sent.GetStats();
        Assert.Equal(MigrationStatus.Completed, stats.Status);
        Assert.Equal(source.Ram.Size, stats.Total);
        Assert.Equal(source.Ram.PageCount, stats.Normal + stats.Duplicate);
        Assert.True(stats.Duplicate > source.Ram.PageCount / 8);
        Assert.True(stats.Transferred >= stats.NormalBytes);
        Assert.Equal(0, stats.Remaining);
        Assert.Equal(1, stats.DirtySyncCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnixListener(bool multifd)
    {
        string path = TestMachines.TempPath("sock");
        var endpoint = new UnixDomainSocketEndPoint(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(endpoint);
        listener.Listen();
        using MachineState source = TestMachines.Source(seed: 2);
        using MachineState destination = TestMachines.Destination();
        await Pair.RunAsync(source, SocketMigrationTransport.Connect(endpoint), destination, SocketMigrationTransport.Listen(listener), multifd ? Multifd : null);
        Pair.AssertMigrated(source, destination);
        System.IO.File.Delete(path);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TcpLoopback(bool multifd)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        using MachineState source = TestMachines.Source(seed: 3);
        using MachineState destination = TestMachines.Destination();
        await Pair.RunAsync(source, SocketMigrationTransport.Connect(endpoint), destination, SocketMigrationTransport.Listen(listener), multifd ? Multifd : null);
        Pair.AssertMigrated(source, destination);
    }

    [Fact]
    public async Task RunningGuestDirtyingRamIsMigratedExactly()
    {
        using MachineState source = TestMachines.Source(seed: 4, state: RunState.Running);
        using MachineState destination = TestMachines.Destination();
        (Socket a, Socket b) = SocketPair();

        // A "vCPU" that keeps writing while the first passes run; it stops when the
        // source stops the guest (finish-migrate), as real vCPUs do: the stop waits for a
        // write in progress (the state change is raised synchronously), so none lands after it.
        bool stop = false;
        object vcpu = new();
        source.RunStateChanged += (_, now) =>
        {
            lock (vcpu)
            {
                stop |= now != RunState.Running;
            }
        };
        var guest = Task.Run(() =>
        {
            var random = new System.Random(7);
            byte[] data = new byte[64];
            while (true)
            {
                random.NextBytes(data);
                lock (vcpu)
                {
                    if (stop)
                    {
                        break;
                    }
                    source.Ram.Write(random.NextInt64(source.Ram.Size - 64), data);
                }
            }
        });

        var events = new RecordingEvents();
        MigrationJob incoming = MigrationJob.StartIncoming(destination, SocketMigrationTransport.FromConnected(b), new MigrationOptions { StartAfterLoad = true });
        var options = new MigrationOptions
        {
            Capabilities = new MigrationCapabilities { Events = true },
            Parameters = new MigrationParameters { MaxBandwidth = 256L << 20 },
        };
        MigrationJob outgoing = MigrationJob.StartOutgoing(source, SocketMigrationTransport.FromConnected(a), options, events);
        Assert.Equal(MigrationStatus.Completed, await outgoing.Completion);
        Assert.Equal(MigrationStatus.Completed, await incoming.Completion);
        await guest;

        TestMachines.AssertSameRam(source.Ram, destination.Ram);
        Assert.Equal(RunState.Running, destination.RunState);
        Assert.Equal(RunState.PostMigrate, source.RunState);
        Assert.True(outgoing.GetStats().DirtySyncCount >= 2);
        Assert.Equal(["setup", "active", "completed"], events.Statuses);
        Assert.True(events.Passes.Count >= 2);
    }

    internal static (Socket, Socket) SocketPair()
    {
        // .NET has no socketpair(); a listener on an abstract-free temp path gives the same thing.
        string path = TestMachines.TempPath("pair");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path));
        Socket server = listener.Accept();
        System.IO.File.Delete(path);
        return (client, server);
    }
}
