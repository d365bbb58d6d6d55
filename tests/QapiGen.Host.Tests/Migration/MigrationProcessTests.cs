using System;
using System.IO;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Host.Tests.Support;
using Xunit;

namespace QapiGen.Host.Tests.Migration;

/// <summary>Two real qapigen-host processes: --ram-from fills the source, --ram-dump-on-exit shows what the destination got.</summary>
public sealed class MigrationProcessTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HostToHostOverAUnixSocket(bool multifd)
    {
        using StateFile dump = new("dump");
        await using HostProcess destination = await HostProcess.StartAsync(
            "-object", "memory-backend-memfd,id=mem,size=" + RamImage.SizeOption, "-machine", "memory-backend=mem",
            "-incoming", "defer", "--ram-dump-on-exit", dump);
        await using HostProcess source = await HostProcess.StartAsync("-m", RamImage.SizeOption, "--ram-from", RamImage.Path);
        if (multifd)
        {
            MigrationCapabilityStatus[] on = [new MigrationCapabilityStatus { Capability = MigrationCapability.Multifd, State = true }];
            await destination.Client.MigrateSetCapabilitiesAsync(on, cancellationToken: Timeouts.Token());
            await source.Client.MigrateSetCapabilitiesAsync(on, cancellationToken: Timeouts.Token());
        }
        string socket = destination.PathOf("mig.sock");
        await destination.Client.MigrateIncomingAsync("unix:" + socket, cancellationToken: Timeouts.Token());
        await source.Client.MigrateAsync("unix:" + socket, cancellationToken: Timeouts.Token());

        for (int i = 0; ; i++)
        {
            MigrationInfo info = await source.Client.QueryMigrateAsync(cancellationToken: Timeouts.Token());
            if (info.Status == MigrationStatus.Completed)
            {
                break;
            }
            Assert.True(info.Status is MigrationStatus.Setup or MigrationStatus.Active, $"{info.Status}: {info.ErrorDesc}");
            Assert.True(i < 3000, "migration did not complete");
            await Task.Delay(10);
        }
        for (int i = 0; (await destination.Client.QueryStatusAsync(cancellationToken: Timeouts.Token())).Status != RunState.Running; i++)
        {
            Assert.True(i < 3000, "destination never ran");
            await Task.Delay(10);
        }
        Assert.Equal(RunState.Postmigrate, (await source.Client.QueryStatusAsync(cancellationToken: Timeouts.Token())).Status);

        await destination.Client.QuitAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(0, await destination.WaitForExitAsync());
        Assert.True(File.ReadAllBytes(dump).AsSpan().SequenceEqual(RamImage.Bytes), "the destination's RAM differs from the source's");
    }

    [Fact]
    public async Task BadStartOptionsAndAMissingRamFileFailAtStart()
    {
        HostProcess? host = null;
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            host = await HostProcess.StartAsync("-m", "32M", "--ram-from", "/nonexistent/ram.bin"));
        Assert.Contains("qapigen-host: --ram-from /nonexistent/ram.bin: ", error.Message);
        Assert.Null(host);
        InvalidOperationException incoming = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync("-incoming", "bogus:x"));
        Assert.Contains("qapigen-host: -incoming bogus:x: unknown migration protocol: bogus:x", incoming.Message);
    }
}
