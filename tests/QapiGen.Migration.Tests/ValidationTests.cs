using System.IO;
using System.IO.Pipes;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;
using QapiGen.Migration.Control;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;
using QapiGen.Migration.Validation;
using Xunit;

namespace QapiGen.Migration.Tests;

public class ValidationTests
{
    [Fact]
    public void ClassifyTellsFilesSocketsAndPipesApart()
    {
        string path = TestMachines.TempPath("classify");
        using (SafeFileHandle file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite))
        {
            Assert.Equal(FdKind.RegularFile, UnixFd.Classify(file));
        }

        (Socket a, Socket b) = SocketMigrationTests.SocketPair();
        Assert.Equal(FdKind.Socket, UnixFd.Classify(a.SafeHandle));
        a.Dispose();
        b.Dispose();

        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        Assert.Equal(FdKind.Pipe, UnixFd.Classify(server.SafePipeHandle));
        using SafeFileHandle devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read);
        Assert.Equal(FdKind.CharacterDevice, UnixFd.Classify(devNull));
        File.Delete(path);
    }

    [Fact]
    public async System.Threading.Tasks.Task Socket_fd_is_refused_by_the_file_transport_and_accepted_as_socket()
    {
        (Socket a, Socket b) = SocketMigrationTests.SocketPair();
        MigrationConfigurationException e = Assert.Throws<MigrationConfigurationException>(() =>
            FdTransport.Resolve(Dup(a), MigrationDirection.Outgoing, FdUse.File, "fd 'mig'"));
        Assert.Equal("The file migration transport needs a plain file, but fd 'mig' is a socket; pass it as a socket address of type 'fd' instead", e.Message);

        MigrationTransport transport = FdTransport.Resolve(Dup(a), MigrationDirection.Outgoing, FdUse.SocketAddress, "fd 'mig'");
        Assert.Equal(TransportKind.Socket, transport.Kind);
        Assert.False(transport.SupportsMultipleChannels);
        await transport.DisposeAsync();
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public void MultifdNeedsAMultiChannelTransport()
    {
        (Socket a, Socket b) = SocketMigrationTests.SocketPair();
        using MachineState machine = TestMachines.Source(size: 1 << 20);
        var options = new MigrationOptions { Capabilities = new MigrationCapabilities { Multifd = true } };
        MigrationConfigurationException e = Assert.Throws<MigrationConfigurationException>(() =>
            MigrationJob.StartOutgoing(machine, SocketMigrationTransport.FromConnected(a, "fd 'mig'"), options));
        Assert.StartsWith("Migration requires multi-channel URIs (e.g. tcp): capability 'multifd' cannot be used with 'fd 'mig''", e.Message);

        e = Assert.Throws<MigrationConfigurationException>(() =>
            MigrationJob.StartOutgoing(machine, ExecTransport.FromShellCommand("cat > /dev/null", MigrationDirection.Outgoing), options));
        Assert.Contains("disable 'multifd'", e.Message);
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public void MultifdToAFileNeedsMappedRam()
    {
        string? error = MigrationValidator.Check(TransportKind.File, true, "file:/x", new MigrationCapabilities { Multifd = true }, MigrationParameters.Default);
        Assert.Equal("Migration requires multi-channel URIs (e.g. tcp): a file takes several channels only with mapped-ram; enable capability 'mapped-ram' as well, or disable 'multifd'", error);
        Assert.Null(MigrationValidator.Check(TransportKind.File, true, "file:/x", new MigrationCapabilities { Multifd = true, MappedRam = true }, MigrationParameters.Default));
    }

    [Theory]
    [InlineData(TransportKind.Socket)]
    [InlineData(TransportKind.Stream)]
    public void MappedRamNeedsASeekableTransport(TransportKind kind)
    {
        string? error = MigrationValidator.Check(kind, true, "tcp:127.0.0.1:4444", new MigrationCapabilities { MappedRam = true }, MigrationParameters.Default);
        Assert.Equal("Migration requires seekable transport (e.g. file): capability 'mapped-ram' cannot be used with 'tcp:127.0.0.1:4444'; migrate to a file, or disable 'mapped-ram'", error);
    }

    [Fact]
    public void ParametersAreChecked()
    {
        Assert.Equal("Parameter 'multifd-channels' expects a value between 1 and 255",
            MigrationValidator.Check(TransportKind.Socket, true, "x", MigrationCapabilities.Default, new MigrationParameters { MultifdChannels = 0 }));
        Assert.Equal("Parameter 'direct-io' requires capability 'mapped-ram': enable 'mapped-ram' or turn 'direct-io' off",
            MigrationValidator.Check(TransportKind.File, true, "x", MigrationCapabilities.Default, new MigrationParameters { DirectIo = true }));
        Assert.Equal("Parameter 'direct-io' is not supported by this host: turn 'direct-io' off",
            MigrationValidator.Check(TransportKind.File, true, "x", new MigrationCapabilities { MappedRam = true }, new MigrationParameters { DirectIo = true }));
    }

    [Fact]
    public void TransportMadeForTheOtherDirectionIsRefused()
    {
        using MachineState machine = TestMachines.Source(size: 1 << 20);
        MigrationConfigurationException e = Assert.Throws<MigrationConfigurationException>(() =>
            MigrationJob.StartIncoming(machine, ExecTransport.FromShellCommand("cat > /dev/null", MigrationDirection.Outgoing)));
        Assert.Equal("'exec:cat > /dev/null' was set up for outgoing migration and cannot be used for incoming migration", e.Message);
    }

    private static SafeFileHandle Dup(Socket socket)
    {
        int fd = Dup((int)socket.Handle);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "dup")]
    private static extern int Dup(int fd);
}

public class MigrationUriTests
{
    [Fact]
    public void LegacyUrisParse()
    {
        Assert.Equal(new InetMigrationAddress("127.0.0.1", 4444), MigrationUri.Parse("tcp:127.0.0.1:4444"));
        Assert.Equal(new InetMigrationAddress("::1", 4444), MigrationUri.Parse("tcp:[::1]:4444"));
        Assert.Equal(new InetMigrationAddress("", 4444), MigrationUri.Parse("tcp::4444"));
        Assert.Equal(new UnixMigrationAddress("/run/mig.sock"), MigrationUri.Parse("unix:/run/mig.sock"));
        Assert.Equal(new FdMigrationAddress("migfd"), MigrationUri.Parse("fd:migfd"));
        Assert.Equal(new FileMigrationAddress("/dev/fdset/3", 0), MigrationUri.Parse("file:/dev/fdset/3"));
        Assert.Equal(new FileMigrationAddress("/tmp/x", 4096), MigrationUri.Parse("file:/tmp/x,offset=4096"));
        Assert.Equal(new FileMigrationAddress("/tmp/x", 1 << 20), MigrationUri.Parse("file:/tmp/x,offset=1M"));
        ExecMigrationAddress exec = Assert.IsType<ExecMigrationAddress>(MigrationUri.Parse("exec:cat > /tmp/f"));
        Assert.Equal(["/bin/sh", "-c", "cat > /tmp/f"], exec.Args);
    }

    [Theory]
    [InlineData("rdma:1.2.3.4:5", "unknown migration protocol: rdma:1.2.3.4:5")]
    [InlineData("file:/tmp/x,offset=abc", "file URI has invalid offset abc")]
    [InlineData("tcp:nohost", "Invalid migration address 'tcp:nohost': expected tcp:HOST:PORT")]
    public void BadUrisSayWhatIsWrong(string uri, string message) =>
        Assert.Equal(message, Assert.Throws<MigrationConfigurationException>(() => MigrationUri.Parse(uri)).Message);
}
