using System.IO;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Migration.Control;
using QapiGen.Migration.Format;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;
using QapiGen.Migration.Validation;
using Xunit;

namespace QapiGen.Migration.Tests;

public class FileMigrationTests
{
    public static TheoryData<bool, bool, long> Modes => new()
    {
        { false, false, 0 },
        { false, false, 4096 * 3 + 17 },
        { true, false, 0 },
        { true, true, 0 },
        { true, true, 1 << 20 },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task SaveToFileAndLoadBack(bool mappedRam, bool multifd, long offset)
    {
        string path = TestMachines.TempPath("file");
        MigrationOptions options = Options(mappedRam, multifd);
        using MachineState source = TestMachines.Source(seed: 10);
        MigrationJob save = MigrationJob.StartOutgoing(source, FileTransport.Open(path, MigrationDirection.Outgoing, offset), options);
        Assert.Equal(MigrationStatus.Completed, await save.Completion);
        Assert.Equal(RunState.PostMigrate, source.RunState);

        using MachineState destination = TestMachines.Destination();
        MigrationJob load = MigrationJob.StartIncoming(destination, FileTransport.Open(path, MigrationDirection.Incoming, offset), options);
        Assert.True(await load.Completion == MigrationStatus.Completed, load.ErrorDescription);
        Pair.AssertMigrated(source, destination);
        if (!mappedRam)
        {
            // Zero pages are not in the stream: 64 MiB of RAM with a quarter of zero pages makes a smaller file.
            Assert.True(new FileInfo(path).Length < source.Ram.Size * 4 / 5);
        }

        File.Delete(path);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SaveToAnAlreadyOpenFd(bool mappedRam)
    {
        string path = TestMachines.TempPath("fd");
        MigrationOptions options = Options(mappedRam, multifd: mappedRam);
        using MachineState source = TestMachines.Source(seed: 11);
        using (SafeFileHandle write = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite))
        {
            // As a host would after resolving fd:NAME to a plain file (the transport follows what the fd is).
            MigrationTransport transport = FdTransport.Resolve(write, MigrationDirection.Outgoing, FdUse.SocketAddress, "fd 'migfile'");
            Assert.IsType<FileTransport>(transport);
            Assert.Equal(MigrationStatus.Completed, await MigrationJob.StartOutgoing(source, transport, options).Completion);
        }

        using MachineState destination = TestMachines.Destination();
        SafeFileHandle read = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        MigrationJob load = MigrationJob.StartIncoming(destination, FdTransport.Resolve(read, MigrationDirection.Incoming, FdUse.File), options);
        Assert.True(await load.Completion == MigrationStatus.Completed, load.ErrorDescription);
        Pair.AssertMigrated(source, destination);
        File.Delete(path);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TruncatedFileIsRefused(bool mappedRam)
    {
        string path = await SaveAsync(mappedRam);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 4000);
        }

        (MigrationJob load, MachineState destination) = await LoadAsync(path, mappedRam);
        Assert.Equal(MigrationStatus.Failed, load.Status);
        Assert.Contains("truncated", load.ErrorDescription!, System.StringComparison.OrdinalIgnoreCase);
        Assert.Equal(RunState.InMigrate, destination.RunState);
        destination.Dispose();
        File.Delete(path);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CorruptedPageIsDetected(bool mappedRam)
    {
        string path = await SaveAsync(mappedRam);

        // Flip one byte in the middle of the page data.
        using (var stream = new FileStream(path, FileMode.Open))
        {
            long at = mappedRam ? (1 << 20) + (3100L * 4096) + 100 : stream.Length / 3;
            stream.Position = at;
            int b = stream.ReadByte();
            stream.Position = at;
            stream.WriteByte((byte)(b ^ 0x40));
        }

        (MigrationJob load, MachineState destination) = await LoadAsync(path, mappedRam);
        Assert.Equal(MigrationStatus.Failed, load.Status);
        Assert.Contains("checksum mismatch", load.ErrorDescription!, System.StringComparison.OrdinalIgnoreCase);
        Assert.Equal(RunState.InMigrate, destination.RunState);

        // Device state is applied only after everything verified.
        Assert.Equal(TestMachines.Devices(999)[1].Save(), destination.Devices[1].Save());
        destination.Dispose();
        File.Delete(path);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RamSizeMismatchIsReported(bool mappedRam)
    {
        string path = await SaveAsync(mappedRam);
        (MigrationJob load, MachineState destination) = await LoadAsync(path, mappedRam, size: 32L << 20);
        Assert.Equal(MigrationStatus.Failed, load.Status);
        Assert.StartsWith("RAM size mismatch: the ", load.ErrorDescription);
        Assert.Contains("64M", load.ErrorDescription);
        Assert.Contains("32M", load.ErrorDescription);
        destination.Dispose();
        File.Delete(path);
    }

    [Fact]
    public async Task VersionMismatchIsReported()
    {
        string path = await SaveAsync(mappedRam: false);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.Position = 8;
            stream.WriteByte(9);
        }

        (MigrationJob load, MachineState destination) = await LoadAsync(path, mappedRam: false);
        Assert.Equal("Unsupported migration stream version 9: this host reads version 1", load.ErrorDescription);
        destination.Dispose();
        File.Delete(path);
    }

    [Fact]
    public async Task LoadingWithTheWrongCapabilitySaysWhich()
    {
        string path = await SaveAsync(mappedRam: true);
        (MigrationJob load, MachineState destination) = await LoadAsync(path, mappedRam: false);
        Assert.Equal("The file holds a mapped-ram migration: enable capability 'mapped-ram' on the destination", load.ErrorDescription);
        destination.Dispose();
        File.Delete(path);
    }

    [Fact]
    public void FdWithTheWrongAccessModeIsRefused()
    {
        string path = TestMachines.TempPath("mode");
        File.WriteAllBytes(path, new byte[10]);
        SafeFileHandle readOnly = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        MigrationConfigurationException e = Assert.Throws<MigrationConfigurationException>(() =>
            FdTransport.Resolve(readOnly, MigrationDirection.Outgoing, FdUse.File, "/dev/fdset/1"));
        Assert.Equal("/dev/fdset/1 is open read-only; outgoing migration to a file needs an fd opened write-only or read-write", e.Message);
        Assert.True(readOnly.IsClosed);
        File.Delete(path);
    }

    internal static MigrationOptions Options(bool mappedRam, bool multifd) => new()
    {
        Capabilities = new MigrationCapabilities { MappedRam = mappedRam, Multifd = multifd },
        Parameters = new MigrationParameters { MultifdChannels = 2 },
    };

    private static async Task<string> SaveAsync(bool mappedRam)
    {
        string path = TestMachines.TempPath("save");
        using MachineState source = TestMachines.Source(seed: 12);
        MigrationJob save = MigrationJob.StartOutgoing(source, FileTransport.Open(path, MigrationDirection.Outgoing), Options(mappedRam, mappedRam));
        Assert.Equal(MigrationStatus.Completed, await save.Completion);
        return path;
    }

    private static async Task<(MigrationJob, MachineState)> LoadAsync(string path, bool mappedRam, long size = TestMachines.RamSize)
    {
        MachineState destination = TestMachines.Destination(size);
        MigrationJob load = MigrationJob.StartIncoming(destination, FileTransport.Open(path, MigrationDirection.Incoming), Options(mappedRam, mappedRam));
        await load.Completion;
        return (load, destination);
    }
}
