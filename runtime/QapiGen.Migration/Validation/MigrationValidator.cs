using QapiGen.Migration.Transports;

namespace QapiGen.Migration.Validation;

/// <summary>
/// Checks capabilities and parameters against a transport before a migration
/// starts, with errors that say what to change. The first sentence of each
/// message is QEMU's text, so management software that matches on it still works.
/// </summary>
public static class MigrationValidator
{
    /// <summary>Returns the first problem found, or null when the configuration is valid.</summary>
    public static string? Check(TransportKind kind, bool supportsMultipleChannels, string description, MigrationCapabilities capabilities, MigrationParameters parameters)
    {
        if (parameters.MultifdChannels is < 1 or > 255)
        {
            return "Parameter 'multifd-channels' expects a value between 1 and 255";
        }

        if (parameters.MaxBandwidth < 0)
        {
            return "Parameter 'max-bandwidth' expects a non-negative number of bytes per second";
        }

        if (capabilities.MappedRam && kind != TransportKind.File)
        {
            return $"Migration requires seekable transport (e.g. file): capability 'mapped-ram' cannot be used with '{description}'; migrate to a file, or disable 'mapped-ram'";
        }

        if (capabilities.Multifd)
        {
            if (kind == TransportKind.File && !capabilities.MappedRam)
            {
                return $"Migration requires multi-channel URIs (e.g. tcp): a file takes several channels only with mapped-ram; enable capability 'mapped-ram' as well, or disable 'multifd'";
            }

            if (!supportsMultipleChannels)
            {
                return $"Migration requires multi-channel URIs (e.g. tcp): capability 'multifd' cannot be used with '{description}', which carries a single channel; use a tcp or unix address, or disable 'multifd'";
            }
        }

        if (parameters.DirectIo && !capabilities.MappedRam)
        {
            return "Parameter 'direct-io' requires capability 'mapped-ram': enable 'mapped-ram' or turn 'direct-io' off";
        }

        if (parameters.DirectIo)
        {
            // Refused rather than silently ignored: a caller asking for O_DIRECT
            // expects the page cache to be bypassed.
            return "Parameter 'direct-io' is not supported by this host: turn 'direct-io' off";
        }

        return null;
    }

    /// <summary>Checks a transport; throws <see cref="MigrationConfigurationException"/> on the first problem.</summary>
    public static void Validate(MigrationTransport transport, MigrationCapabilities capabilities, MigrationParameters parameters)
    {
        string? error = Check(transport.Kind, transport.SupportsMultipleChannels, transport.Description, capabilities, parameters);
        if (error is not null)
        {
            throw new MigrationConfigurationException(error);
        }
    }
}
