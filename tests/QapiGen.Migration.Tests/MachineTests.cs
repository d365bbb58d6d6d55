using System;
using QapiGen.Migration.Control;
using QapiGen.Migration.Machine;
using Xunit;

namespace QapiGen.Migration.Tests;

public class MachineTests
{
    [Theory]
    [InlineData("1G", 1L << 30)]
    [InlineData("512M", 512L << 20)]
    [InlineData("64", 64L << 20)]
    [InlineData("65536K", 64L << 20)]
    public void RamSizesParseLikeQemu(string text, long bytes) => Assert.Equal(bytes, RamSize.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("12X")]
    [InlineData("-1G")]
    [InlineData("1000B")]
    public void BadRamSizesAreRefused(string text) => Assert.Throws<FormatException>(() => RamSize.Parse(text));

    [Theory]
    [InlineData(GuestRamBacking.Anonymous)]
    [InlineData(GuestRamBacking.Memfd)]
    public void RamStartsZeroDetectsZeroPagesAndDiscards(GuestRamBacking backing)
    {
        using GuestRam ram = GuestRam.Allocate("8M", backing);
        Assert.True(ram.IsZeroPage(0));
        ram.GetPage(3)[4095] = 1;
        Assert.False(ram.IsZeroPage(3));
        Assert.True(ram.IsZeroPage(4));
        ram.Discard();
        Assert.True(ram.IsZeroPage(3));
    }

    [Fact]
    public void DirtyLogRecordsWrites()
    {
        using GuestRam ram = GuestRam.Allocate("1M");
        ram.Write(0, new byte[] { 1 });
        ram.StartDirtyLog();
        ram.Write(5 * 4096 + 4090, new byte[10]);
        ulong[] dirty = ram.SyncDirtyLog();
        Assert.Equal((1UL << 5) | (1UL << 6), dirty[0]);
        Assert.Equal(0UL, ram.SyncDirtyLog()[0]);
    }

    [Fact]
    public void WireNamesAreQemus()
    {
        Assert.Equal("finish-migrate", RunState.FinishMigrate.ToWireName());
        Assert.Equal("inmigrate", RunState.InMigrate.ToWireName());
        Assert.Equal(RunState.PostMigrate, RunStateNames.Parse("postmigrate"));
        Assert.Equal("cancelling", MigrationStatus.Cancelling.ToWireName());
        Assert.Equal(MigrationStatus.PostcopyRecoverSetup, MigrationStatusNames.Parse("postcopy-recover-setup"));
        Assert.Throws<FormatException>(() => MigrationStatusNames.Parse("Active"));
    }
}
