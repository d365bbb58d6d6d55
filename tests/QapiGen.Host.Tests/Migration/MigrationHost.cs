using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using QapiGen.Host.Hosting;
using QapiGen.Host.Qapi;
using QapiGen.Host.Tests.Support;
using QapiGen.Runtime.Client;
using Xunit;

namespace QapiGen.Host.Tests.Migration;

/// <summary>
/// An in-process host with 32 MiB of guest RAM and the generated typed client connected to it:
/// a source filled from <see cref="RamImage"/>, or a destination started with -incoming.
/// </summary>
internal sealed class MigrationHost : IAsyncDisposable
{
    private readonly List<QmpEvent> _events = new();

    private MigrationHost(TestHost host, QapiClient client)
    {
        Test = host;
        Client = client;
    }

    public TestHost Test { get; }

    public QmpHost Host => Test.Host;

    public QapiClient Client { get; }

    /// <summary>A path in the host's private directory (sockets, small files).</summary>
    public string PathOf(string name) => Test.PathOf(name);

    /// <summary>A running source whose RAM is <see cref="RamImage"/>.</summary>
    public static Task<MigrationHost> StartSourceAsync(params string[] args) =>
        StartAsync(["-m", RamImage.SizeOption, "--ram-from", RamImage.Path, .. args]);

    /// <summary>A destination: <c>-incoming <paramref name="incoming"/></c> ("defer" to use migrate-incoming).</summary>
    public static Task<MigrationHost> StartDestinationAsync(string incoming, params string[] args) =>
        StartAsync(["-m", RamImage.SizeOption, "-incoming", incoming, .. args]);

    public static async Task<MigrationHost> StartAsync(params string[] args)
    {
        TestHost host = await TestHost.StartAsync(args);
        try
        {
            QapiClient client = await QapiClient.ConnectAsync("unix:" + host.SocketPath, null, Timeouts.Token());
            return new MigrationHost(host, client);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async Task SetCapabilitiesAsync(bool multifd = false, bool mappedRam = false, bool events = false) =>
        await Client.MigrateSetCapabilitiesAsync(
        [
            new MigrationCapabilityStatus { Capability = MigrationCapability.Multifd, State = multifd },
            new MigrationCapabilityStatus { Capability = MigrationCapability.MappedRam, State = mappedRam },
            new MigrationCapabilityStatus { Capability = MigrationCapability.Events, State = events },
        ], cancellationToken: Timeouts.Token());

    /// <summary>Polls query-migrate until the status is completed, failed or cancelled.</summary>
    public async Task<MigrationInfo> WaitForEndAsync(TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            MigrationInfo info = await Client.QueryMigrateAsync(cancellationToken: Timeouts.Token());
            if (info.Status is MigrationStatus.Completed or MigrationStatus.Failed or MigrationStatus.Cancelled)
            {
                return info;
            }
            Assert.True(DateTime.UtcNow < deadline, $"migration still {info.Status} after the timeout");
            await Task.Delay(10);
        }
    }

    /// <summary>Polls query-migrate until <paramref name="status"/>.</summary>
    public async Task<MigrationInfo> WaitForStatusAsync(MigrationStatus status)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            MigrationInfo info = await Client.QueryMigrateAsync(cancellationToken: Timeouts.Token());
            if (info.Status == status)
            {
                return info;
            }
            Assert.True(DateTime.UtcNow < deadline, $"migration {info.Status}, never {status}");
            await Task.Delay(5);
        }
    }

    /// <summary>Polls query-migrate until RAM is moving (past <paramref name="bytes"/>): the first pass has begun.</summary>
    public async Task<MigrationInfo> WaitForTransferAsync(long bytes = 1 << 20)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            MigrationInfo info = await Client.QueryMigrateAsync(cancellationToken: Timeouts.Token());
            if (info.Status == MigrationStatus.Active && info.Ram?.Transferred > bytes)
            {
                return info;
            }
            Assert.True(info.Status is MigrationStatus.Setup or MigrationStatus.Active, $"migration {info.Status}: {info.ErrorDesc}");
            Assert.True(DateTime.UtcNow < deadline, $"migration never went past {bytes} bytes");
            await Task.Delay(5);
        }
    }

    public async Task<MigrationInfo> WaitForCompletedAsync()
    {
        MigrationInfo info = await WaitForEndAsync();
        Assert.True(info.Status == MigrationStatus.Completed, $"migration {info.Status}: {info.ErrorDesc}");
        return info;
    }

    /// <summary>Polls query-status until <paramref name="state"/> (a destination leaves inmigrate just after the load).</summary>
    public async Task WaitForRunStateAsync(RunState state)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            StatusInfo status = await Client.QueryStatusAsync(cancellationToken: Timeouts.Token());
            if (status.Status == state)
            {
                Assert.Equal(state == RunState.Running, status.Running);
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"run state {status.Status}, never {state}");
            await Task.Delay(5);
        }
    }

    public async Task<RunState> RunStateAsync() => (await Client.QueryStatusAsync(cancellationToken: Timeouts.Token())).Status;

    /// <summary>Every event received so far, in order (drains the client's queue into a list).</summary>
    public IReadOnlyList<QmpEvent> Events
    {
        get
        {
            while (Client.Events.TryRead(out QmpEvent? received))
            {
                _events.Add(received);
            }
            return _events;
        }
    }

    /// <summary>Event names so far, e.g. "STOP", "MIGRATION:active", "MIGRATION_PASS:1".</summary>
    public IReadOnlyList<string> EventNames => Events.Select(e => e.Name switch
    {
        "MIGRATION" => "MIGRATION:" + e.Data.GetProperty("status").GetString(),
        "MIGRATION_PASS" => "MIGRATION_PASS:" + e.Data.GetProperty("pass").GetInt64(),
        _ => e.Name,
    }).ToList();

    /// <summary>Guest RAM equals <paramref name="expected"/> byte for byte (first difference reported).</summary>
    public void AssertRamEquals(ReadOnlySpan<byte> expected)
    {
        QapiGen.Migration.Machine.GuestRam ram = Host.Machine.Ram;
        Assert.Equal(expected.Length, ram.Size);
        const int Chunk = 1 << 20;
        for (int offset = 0; offset < expected.Length; offset += Chunk)
        {
            ReadOnlySpan<byte> want = expected.Slice(offset, Chunk);
            ReadOnlySpan<byte> have = ram.GetSpan(offset, Chunk);
            if (!want.SequenceEqual(have))
            {
                int at = offset;
                while (want[at - offset] == have[at - offset])
                {
                    at++;
                }
                Assert.Fail($"guest RAM differs at byte {at} (page {at / 4096})");
            }
        }
    }

    public void AssertRamEqualsImage() => AssertRamEquals(RamImage.Bytes);

    /// <summary>Device sections equal those of <paramref name="other"/>.</summary>
    public void AssertDevicesEqual(MigrationHost other)
    {
        foreach (QapiGen.Migration.Machine.DeviceState device in Host.Machine.State.Devices)
        {
            QapiGen.Migration.Machine.DeviceState? theirs = other.Host.Machine.State.FindDevice(device.Name, device.InstanceId);
            Assert.NotNull(theirs);
            Assert.Equal(device.Save(), theirs.Save());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Test.DisposeAsync();
    }
}
