using System;
using System.IO;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Host.Tests.Support;
using Xunit;

namespace QapiGen.Host.Tests.Migration;

/// <summary>To and from files by path (stream, mapped-ram, mapped-ram + multifd, an offset) and through exec commands.</summary>
public sealed class FileMigrationTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task FileUriOutAndInAgain(bool mappedRam, bool multifd)
    {
        using StateFile file = new("file");
        await using (MigrationHost source = await MigrationHost.StartSourceAsync())
        {
            await source.SetCapabilitiesAsync(multifd: multifd, mappedRam: mappedRam);
            await source.Client.MigrateAsync("file:" + file, cancellationToken: Timeouts.Token());
            MigrationInfo info = await source.WaitForCompletedAsync();
            Assert.Equal(RunState.Postmigrate, await source.RunStateAsync());
            Assert.Equal(RamImage.Size / 4096, info.Ram!.Normal + info.Ram.Duplicate);
            // QEMU creates migration files 0600: they hold all of guest memory.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        // "-incoming file:" starts reading at once; mapped-ram must be set first, so that case uses defer.
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync(mappedRam ? "defer" : "file:" + file, "-S");
        if (mappedRam)
        {
            await destination.SetCapabilitiesAsync(multifd: multifd, mappedRam: true);
            await destination.Client.MigrateIncomingAsync("file:" + file, cancellationToken: Timeouts.Token());
        }
        await destination.WaitForCompletedAsync();
        // -S: the destination stays paused after loading, even though the source was running.
        await destination.WaitForRunStateAsync(RunState.Paused);
        destination.AssertRamEqualsImage();
        Assert.DoesNotContain("RESUME", destination.EventNames);
    }

    [Fact]
    public async Task FileChannelWithAnOffsetKeepsWhatPrecedesIt()
    {
        using StateFile file = new("offset");
        byte[] header = new byte[8192];
        header.AsSpan().Fill(0x5a);
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        await source.Client.MigrateAsync("file:" + file + ",offset=8192", cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();
        // Something else (a header of the caller's) may live before the offset.
        using (FileStream stream = new(file, FileMode.Open, FileAccess.Write))
        {
            stream.Write(header);
        }

        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        await destination.Client.MigrateIncomingAsync(channels:
        [
            new MigrationChannel { ChannelType = MigrationChannelType.Main, Addr = new MigrationAddress.File { Filename = file, Offset = 8192 } },
        ], cancellationToken: Timeouts.Token());
        await destination.WaitForCompletedAsync();
        destination.AssertRamEqualsImage();
    }

    [Fact]
    public async Task ExecUriThroughAShellAndExecChannelWithoutOne()
    {
        using StateFile file = new("exec");
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        await source.Client.MigrateAsync($"exec:cat > '{file}'", cancellationToken: Timeouts.Token());
        await source.WaitForCompletedAsync();

        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        // The channels API runs argv as is: no shell, so no quoting is involved.
        await destination.Client.MigrateIncomingAsync(channels:
        [
            new MigrationChannel { ChannelType = MigrationChannelType.Main, Addr = new MigrationAddress.Exec { Args = ["cat", file] } },
        ], cancellationToken: Timeouts.Token());
        await destination.WaitForCompletedAsync();
        await destination.WaitForRunStateAsync(RunState.Running);
        destination.AssertRamEqualsImage();
    }

    [Fact]
    public async Task ExecWithAMissingProgramFailsTheMigrationNotTheHost()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        await source.Client.MigrateAsync(channels:
        [
            new MigrationChannel { ChannelType = MigrationChannelType.Main, Addr = new MigrationAddress.Exec { Args = ["/nonexistent/program"] } },
        ], cancellationToken: Timeouts.Token());
        MigrationInfo info = await source.WaitForEndAsync();
        Assert.Equal(MigrationStatus.Failed, info.Status);
        Assert.StartsWith("Failed to run 'exec:/nonexistent/program'", info.ErrorDesc);
        Assert.Equal(RunState.Running, await source.RunStateAsync());
        source.AssertRamEqualsImage();
    }
}
