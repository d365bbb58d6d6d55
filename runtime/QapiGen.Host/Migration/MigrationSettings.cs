using System;
using System.Collections.Generic;
using QapiGen.Host.Qapi;
using QapiGen.Migration.Validation;
using QapiGen.Runtime.Protocol;
using EngineParameters = QapiGen.Migration.Validation.MigrationParameters;
using QapiParameters = QapiGen.Host.Qapi.MigrationParameters;

namespace QapiGen.Host.Migration;

/// <summary>
/// migrate-set-capabilities / migrate-set-parameters and their queries, between the schema's
/// types and the engine's records. A set command is checked as a whole before anything changes.
/// </summary>
internal static class MigrationSettings
{
    public static MigrationCapabilities Apply(MigrationCapabilities current, IReadOnlyList<MigrationCapabilityStatus> changes)
    {
        MigrationCapabilities next = current;
        foreach (MigrationCapabilityStatus change in changes)
        {
            next = change.Capability switch
            {
                MigrationCapability.Events => next with { Events = change.State },
                MigrationCapability.Multifd => next with { Multifd = change.State },
                MigrationCapability.MappedRam => next with { MappedRam = change.State },
                _ => throw QmpError.Generic($"Migration capability '{QapiJson.ToWire(change.Capability)}' is not supported").ToException(),
            };
        }
        return next;
    }

    /// <summary>Every capability, in the schema's order, as QEMU lists them.</summary>
    public static IReadOnlyList<MigrationCapabilityStatus> Describe(MigrationCapabilities capabilities) =>
    [
        new MigrationCapabilityStatus { Capability = MigrationCapability.Events, State = capabilities.Events },
        new MigrationCapabilityStatus { Capability = MigrationCapability.Multifd, State = capabilities.Multifd },
        new MigrationCapabilityStatus { Capability = MigrationCapability.MappedRam, State = capabilities.MappedRam },
    ];

    /// <exception cref="QmpException">a value out of range, or direct-io (not implemented; refused up front as QEMU does where O_DIRECT is missing).</exception>
    public static EngineParameters Apply(EngineParameters current, MigrateSetParameters changes)
    {
        EngineParameters next = current;
        if (changes.MultifdChannels is { } channels)
        {
            if (channels < 1)
            {
                // QEMU's text, underscore included: management software matches on it.
                throw QmpError.InvalidParameterValue("multifd_channels", "a value between 1 and 255").ToException();
            }
            next = next with { MultifdChannels = channels };
        }
        if (changes.MaxBandwidth is { } bandwidth)
        {
            // QEMU takes any size up to 2^64-1 (-1 included, as 'size' wraps); beyond 2^63-1 bytes
            // per second there is no limit in practice, so the engine's long saturates.
            next = next with { MaxBandwidth = (long)Math.Min(bandwidth, long.MaxValue) };
        }
        if (changes.DirectIo is { } directIo)
        {
            if (directIo)
            {
                throw QmpError.Generic("Parameter 'direct-io' is not supported by this host: mapped-ram files are written through the page cache; leave 'direct-io' off").ToException();
            }
            next = next with { DirectIo = false };
        }
        return next;
    }

    public static QapiParameters Describe(EngineParameters parameters) => new()
    {
        MultifdChannels = (byte)parameters.MultifdChannels,
        MaxBandwidth = (ulong)parameters.MaxBandwidth,
        DirectIo = parameters.DirectIo,
    };
}
