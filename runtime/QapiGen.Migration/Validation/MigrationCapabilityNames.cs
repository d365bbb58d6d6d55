namespace QapiGen.Migration.Validation;

/// <summary>QEMU's wire names for the capabilities in <see cref="MigrationCapabilities"/>.</summary>
public static class MigrationCapabilityNames
{
    /// <summary><c>multifd</c></summary>
    public const string Multifd = "multifd";

    /// <summary><c>mapped-ram</c></summary>
    public const string MappedRam = "mapped-ram";

    /// <summary><c>events</c></summary>
    public const string Events = "events";

    /// <summary>Every capability the engine knows, in QEMU's order.</summary>
    public static readonly string[] All = [Events, Multifd, MappedRam];
}
