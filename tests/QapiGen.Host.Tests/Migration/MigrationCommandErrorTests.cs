using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Host.Tests.Support;
using QapiGen.Runtime.Protocol;
using Xunit;

namespace QapiGen.Host.Tests.Migration;

/// <summary>
/// What migrate, migrate-incoming and the settings commands refuse, and how they say it: QEMU's
/// texts where QEMU has one, otherwise a sentence that says what to change. A refusal changes
/// nothing: no job, no event, same run state.
/// </summary>
public sealed class MigrationCommandErrorTests
{
    private static MigrationChannel Unix(string path) => new()
    {
        ChannelType = MigrationChannelType.Main,
        Addr = new MigrationAddress.Socket { Value = new SocketAddress.Unix { Path = path } },
    };

    private static async Task<string> RefusedAsync(Func<Task> call) => (await Assert.ThrowsAsync<QmpException>(call)).Description;

    [Fact]
    public async Task QueryMigrateBeforeAnyMigrationIsAnEmptyObject()
    {
        await using TestHost host = await TestHost.StartAsync("-m", "32M");
        await using RawQmp qmp = await host.ConnectAsync();
        JsonElement reply = await qmp.ExecuteAsync("{\"execute\":\"query-migrate\"}");
        Assert.Equal("{}", reply.GetProperty("return").GetRawText());
        JsonElement cancel = await qmp.ExecuteAsync("{\"execute\":\"migrate_cancel\"}");
        Assert.Equal("{}", cancel.GetProperty("return").GetRawText());
    }

    [Fact]
    public async Task ExactlyOneOfUriAndChannels()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        QapiClient client = source.Client;
        string socket = source.PathOf("none.sock");
        Assert.Equal("'uri' and 'channels' arguments are mutually exclusive; exactly one of the two should be present in 'migrate' qmp command",
            await RefusedAsync(() => client.MigrateAsync("unix:" + socket, [Unix(socket)], cancellationToken: Timeouts.Token())));
        Assert.Equal("neither 'uri' or 'channels' argument are specified in 'migrate' qmp command",
            await RefusedAsync(() => client.MigrateAsync(cancellationToken: Timeouts.Token())));
        Assert.Equal("Channel list has more than one entries",
            await RefusedAsync(() => client.MigrateAsync(channels: [Unix(socket), Unix(socket)], cancellationToken: Timeouts.Token())));
        Assert.Equal("unknown migration protocol: rdma:1.2.3.4:5",
            await RefusedAsync(() => client.MigrateAsync("rdma:1.2.3.4:5", cancellationToken: Timeouts.Token())));
        Assert.Equal("Invalid migration address 'tcp:nohost': expected tcp:HOST:PORT",
            await RefusedAsync(() => client.MigrateAsync("tcp:nohost", cancellationToken: Timeouts.Token())));
        Assert.Equal("Cannot resume if there is no paused migration",
            await RefusedAsync(() => client.MigrateAsync("unix:" + socket, resume: true, cancellationToken: Timeouts.Token())));
        Assert.Equal("RDMA migration is not supported by this host; use a socket, file or exec address",
            await RefusedAsync(() => client.MigrateAsync(channels:
            [
                new MigrationChannel { ChannelType = MigrationChannelType.Main, Addr = new MigrationAddress.Rdma { Host = "1.2.3.4", Port = "5" } },
            ], cancellationToken: Timeouts.Token())));
        Assert.Equal("Migration over vsock is not supported by this host; use an inet or unix socket address",
            await RefusedAsync(() => client.MigrateAsync(channels:
            [
                new MigrationChannel
                {
                    ChannelType = MigrationChannelType.Main,
                    Addr = new MigrationAddress.Socket { Value = new SocketAddress.Vsock { Cid = "2", Port = "4444" } },
                },
            ], cancellationToken: Timeouts.Token())));
        Assert.Equal("neither 'uri' or 'channels' argument are specified in 'migrate-incoming' qmp command",
            await RefusedAsync(() => client.MigrateIncomingAsync(cancellationToken: Timeouts.Token())));
        // Nothing of it started anything.
        Assert.Null((await client.QueryMigrateAsync(cancellationToken: Timeouts.Token())).Status);
        Assert.Equal(RunState.Running, await source.RunStateAsync());
    }

    /// <summary>
    /// A file that cannot be opened is refused with QEMU's qemu_open() texts ("Could not create"
    /// outgoing, "Could not open" incoming, then strerror), not .NET's ("Access to the path … is
    /// denied.", "Could not find file …"); a unix path too long for a socket address with QEMU's.
    /// QEMU 7.2 has no file: migration: these are the texts of QEMU 8.2 and later.
    /// </summary>
    [Fact]
    public async Task TransportsThatCannotBeOpenedAreWordedAsQemu()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        QapiClient client = source.Client;
        string dir = source.PathOf("a-directory");
        System.IO.Directory.CreateDirectory(dir);
        Assert.Equal("Could not create '/nonexistent/dir/x': No such file or directory",
            await RefusedAsync(() => client.MigrateAsync("file:/nonexistent/dir/x", cancellationToken: Timeouts.Token())));
        Assert.Equal($"Could not create '{dir}': Is a directory",
            await RefusedAsync(() => client.MigrateAsync("file:" + dir, cancellationToken: Timeouts.Token())));
        string tooLong = "/tmp/" + new string('s', 110);
        Assert.Equal($"UNIX socket path '{tooLong}' is too long",
            await RefusedAsync(() => client.MigrateAsync("unix:" + tooLong, cancellationToken: Timeouts.Token())));
        Assert.Null((await client.QueryMigrateAsync(cancellationToken: Timeouts.Token())).Status);

        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        Assert.Equal("Could not open '/nonexistent/dir/x': No such file or directory",
            await RefusedAsync(() => destination.Client.MigrateIncomingAsync("file:/nonexistent/dir/x", cancellationToken: Timeouts.Token())));
        Assert.Equal($"Could not open '{dir}': Is a directory",
            await RefusedAsync(() => destination.Client.MigrateIncomingAsync("file:" + dir, cancellationToken: Timeouts.Token())));
        Assert.Equal($"UNIX socket path '{tooLong}' is too long",
            await RefusedAsync(() => destination.Client.MigrateIncomingAsync("unix:" + tooLong, cancellationToken: Timeouts.Token())));
        Assert.Equal(RunState.Inmigrate, await destination.RunStateAsync());
    }

    /// <summary>Capabilities are checked against the transport before anything starts, and the error says what to change.</summary>
    [Fact]
    public async Task CapabilitiesMustFitTheTransport()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        QapiClient client = source.Client;
        string socket = source.PathOf("mig.sock");
        await source.SetCapabilitiesAsync(mappedRam: true);
        Assert.Equal($"Migration requires seekable transport (e.g. file): capability 'mapped-ram' cannot be used with 'unix:{socket}'; migrate to a file, or disable 'mapped-ram'",
            await RefusedAsync(() => client.MigrateAsync("unix:" + socket, cancellationToken: Timeouts.Token())));

        await source.SetCapabilitiesAsync(multifd: true);
        Assert.Equal("Migration requires multi-channel URIs (e.g. tcp): capability 'multifd' cannot be used with 'exec:/bin/sh -c cat > /dev/null', which carries a single channel; use a tcp or unix address, or disable 'multifd'",
            await RefusedAsync(() => client.MigrateAsync("exec:cat > /dev/null", cancellationToken: Timeouts.Token())));
        using StateFile file = new("refused");
        Assert.Equal("Migration requires multi-channel URIs (e.g. tcp): a file takes several channels only with mapped-ram; enable capability 'mapped-ram' as well, or disable 'multifd'",
            await RefusedAsync(() => client.MigrateAsync("file:" + file, cancellationToken: Timeouts.Token())));

        Assert.Empty(source.EventNames);
        Assert.Null((await client.QueryMigrateAsync(cancellationToken: Timeouts.Token())).Status);
        Assert.Equal(RunState.Running, await source.RunStateAsync());
    }

    [Fact]
    public async Task CapabilitiesAndParametersQueryAndValidation()
    {
        await using MigrationHost host = await MigrationHost.StartSourceAsync();
        QapiClient client = host.Client;
        IReadOnlyList<MigrationCapabilityStatus> capabilities = await client.QueryMigrateCapabilitiesAsync(cancellationToken: Timeouts.Token());
        Assert.Equal([MigrationCapability.Events, MigrationCapability.Multifd, MigrationCapability.MappedRam], capabilities.Select(c => c.Capability));
        Assert.All(capabilities, c => Assert.False(c.State));
        await client.MigrateSetCapabilitiesAsync([new MigrationCapabilityStatus { Capability = MigrationCapability.Multifd, State = true }],
            cancellationToken: Timeouts.Token());
        Assert.True((await client.QueryMigrateCapabilitiesAsync(cancellationToken: Timeouts.Token()))[1].State);

        MigrationParameters defaults = await client.QueryMigrateParametersAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(((byte?)2, (ulong?)0, (bool?)false), (defaults.MultifdChannels, defaults.MaxBandwidth, defaults.DirectIo));
        await client.MigrateSetParametersAsync(new MigrateSetParameters { MultifdChannels = 4, MaxBandwidth = 1 << 30 }, cancellationToken: Timeouts.Token());
        MigrationParameters changed = await client.QueryMigrateParametersAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(((byte?)4, (ulong?)(1 << 30)), (changed.MultifdChannels, changed.MaxBandwidth));

        Assert.Equal("Parameter 'multifd_channels' expects a value between 1 and 255",
            await RefusedAsync(() => client.MigrateSetParametersAsync(new MigrateSetParameters { MultifdChannels = 0 }, cancellationToken: Timeouts.Token())));
        Assert.Equal("Parameter 'direct-io' is not supported by this host: mapped-ram files are written through the page cache; leave 'direct-io' off",
            await RefusedAsync(() => client.MigrateSetParametersAsync(new MigrateSetParameters { MultifdChannels = 8, DirectIo = true }, cancellationToken: Timeouts.Token())));
        // A refused set changes nothing, not even its valid members.
        Assert.Equal((byte?)4, (await client.QueryMigrateParametersAsync(cancellationToken: Timeouts.Token())).MultifdChannels);
    }

    [Fact]
    public async Task OneOutgoingMigrationAtATimeAndSettingsFrozenMeanwhile()
    {
        await using MigrationHost source = await MigrationHost.StartSourceAsync();
        QapiClient client = source.Client;
        await client.MigrateSetParametersAsync(new MigrateSetParameters { MaxBandwidth = 4 << 20 }, cancellationToken: Timeouts.Token());
        using StateFile slow = new("slow");
        await client.MigrateAsync("file:" + slow, cancellationToken: Timeouts.Token());
        await source.WaitForTransferAsync();

        Assert.Equal("There's a migration process in progress",
            await RefusedAsync(() => client.MigrateAsync("file:" + StateFiles.NewPath("second"), cancellationToken: Timeouts.Token())));
        Assert.Equal("There's a migration process in progress",
            await RefusedAsync(() => source.SetCapabilitiesAsync(events: true)));
        Assert.Equal("There's a migration process in progress",
            await RefusedAsync(() => client.MigrateSetParametersAsync(new MigrateSetParameters { MaxBandwidth = 0 }, cancellationToken: Timeouts.Token())));
        Assert.Equal("'-incoming' was not specified on the command line",
            await RefusedAsync(() => client.MigrateIncomingAsync("unix:" + source.PathOf("in.sock"), cancellationToken: Timeouts.Token())));

        await client.MigrateCancelAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(MigrationStatus.Cancelled, (await source.WaitForEndAsync()).Status);
        // Over: the settings can change again and a new migration may start.
        await source.SetCapabilitiesAsync(events: true);
    }

    [Fact]
    public async Task IncomingRules()
    {
        await using MigrationHost destination = await MigrationHost.StartDestinationAsync("defer");
        QapiClient client = destination.Client;
        Assert.Equal("Guest is waiting for an incoming migration",
            await RefusedAsync(() => client.MigrateAsync("file:" + StateFiles.NewPath("never"), cancellationToken: Timeouts.Token())));
        // cont while waiting only arms autostart; the state stays inmigrate.
        await client.ContAsync(cancellationToken: Timeouts.Token());
        Assert.Equal(RunState.Inmigrate, await destination.RunStateAsync());

        await client.MigrateIncomingAsync("unix:" + destination.PathOf("in.sock"), cancellationToken: Timeouts.Token());
        Assert.Equal("The incoming migration has already been started",
            await RefusedAsync(() => client.MigrateIncomingAsync("unix:" + destination.PathOf("again.sock"), cancellationToken: Timeouts.Token())));
        Assert.Equal(MigrationStatus.Setup, (await client.QueryMigrateAsync(cancellationToken: Timeouts.Token())).Status);

        await using MigrationHost started = await MigrationHost.StartDestinationAsync("unix:{dir}/start.sock");
        Assert.Equal("The incoming migration has already been started",
            await RefusedAsync(() => started.Client.MigrateIncomingAsync("unix:" + started.PathOf("other.sock"), cancellationToken: Timeouts.Token())));
    }
}
