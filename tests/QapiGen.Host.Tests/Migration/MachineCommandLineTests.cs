using QapiGen.Host.Options;
using QapiGen.Migration.Machine;
using Xunit;

namespace QapiGen.Host.Tests.Migration;

/// <summary>-m, -object memory-backend-*, -machine memory-backend=, -incoming, --ram-from, --ram-dump-on-exit.</summary>
public sealed class MachineCommandLineTests
{
    [Fact]
    public void DefaultsAndQemuSizes()
    {
        HostOptions defaults = HostOptionsParser.Parse([]);
        Assert.Equal(128L << 20, defaults.Machine.RamSize);
        Assert.Equal(GuestRamBacking.Anonymous, defaults.Machine.RamBacking);
        Assert.Null(defaults.Incoming);

        Assert.Equal(64L << 20, HostOptionsParser.Parse(["-m", "64"]).Machine.RamSize);
        Assert.Equal(1L << 30, HostOptionsParser.Parse(["-m", "size=1G"]).Machine.RamSize);
        Assert.Equal(512L << 10, HostOptionsParser.Parse(["--m=512K"]).Machine.RamSize);

        HostOptions full = HostOptionsParser.Parse([
            "-object", "memory-backend-memfd,id=mem0,size=256M,share=on", "-machine", "memory-backend=mem0",
            "-incoming", "defer", "--ram-from", "/tmp/in.bin", "--ram-dump-on-exit", "/tmp/out.bin",
        ]);
        Assert.Equal((256L << 20, GuestRamBacking.Memfd), (full.Machine.RamSize, full.Machine.RamBacking));
        Assert.Equal(("defer", "/tmp/in.bin", "/tmp/out.bin"), (full.Incoming, full.Machine.RamFrom, full.Machine.RamDumpOnExit));

        // A backend without a size takes -m's; the same size twice is fine.
        HostOptions sized = HostOptionsParser.Parse(["-m", "96M", "-object", "memory-backend-ram,id=r", "-machine", "memory-backend=r"]);
        Assert.Equal((96L << 20, GuestRamBacking.Anonymous), (sized.Machine.RamSize, sized.Machine.RamBacking));
        Assert.Equal("tcp::4444", HostOptionsParser.Parse(["-incoming", "tcp::4444"]).Incoming);
        Assert.Equal("file:/tmp/x,offset=4096", HostOptionsParser.Parse(["-incoming", "file:/tmp/x,offset=4096"]).Incoming);
    }

    [Theory]
    [InlineData("-m 12X", "-m 12X: Invalid RAM size '12X'")]
    [InlineData("-m 1000B", "-m 1000B: RAM size '1000B' is not a multiple of the 4096-byte page size")]
    [InlineData("-object memory-backend-file,id=f,size=1G", "-object memory-backend-file,id=f,size=1G: invalid object type: memory-backend-file (supported: memory-backend-ram, memory-backend-memfd)")]
    [InlineData("-object memory-backend-ram,size=1G", "-object memory-backend-ram,size=1G: Parameter 'id' is missing")]
    [InlineData("-object memory-backend-ram,id=r,share=on", "-object memory-backend-ram,id=r,share=on: share=on needs memory-backend-memfd here")]
    [InlineData("-object memory-backend-ram,id=r,prealloc=on", "-object memory-backend-ram,id=r,prealloc=on: Invalid parameter 'prealloc'")]
    [InlineData("-machine memory-backend=nope", "-machine memory-backend=nope: Memory backend 'nope' not found")]
    [InlineData("-machine q35", "-machine q35: machine types are not modelled; only memory-backend=ID is supported")]
    [InlineData("-m 64M -object memory-backend-memfd,id=m,size=32M -machine memory-backend=m", "-machine memory-backend=m: the memory backend has size 32M but -m asks for 64M; give both the same size")]
    [InlineData("-incoming bogus:x", "-incoming bogus:x: unknown migration protocol: bogus:x")]
    [InlineData("-incoming tcp:nohost", "-incoming tcp:nohost: Invalid migration address 'tcp:nohost': expected tcp:HOST:PORT")]
    [InlineData("-incoming", "-incoming: requires an argument")]
    public void BadMachineOptionsAreExplained(string args, string message)
    {
        HostUsageException ex = Assert.Throws<HostUsageException>(() => HostOptionsParser.Parse(args.Split(' ')));
        Assert.Equal(message, ex.Message);
    }
}
