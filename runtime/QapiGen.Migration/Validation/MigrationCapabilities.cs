namespace QapiGen.Migration.Validation;

/// <summary>
/// The migration capabilities the engine implements (QMP
/// <c>migrate-set-capabilities</c>); wire names in <see cref="MigrationCapabilityNames"/>.
/// </summary>
public sealed record MigrationCapabilities
{
    /// <summary><c>multifd</c>: RAM moves over several channels in parallel.</summary>
    public bool Multifd { get; init; }

    /// <summary><c>mapped-ram</c>: each page at a fixed file offset (file transport only).</summary>
    public bool MappedRam { get; init; }

    /// <summary><c>events</c>: emit MIGRATION / MIGRATION_PASS events.</summary>
    public bool Events { get; init; }

    /// <summary>All off: QEMU's defaults.</summary>
    public static MigrationCapabilities Default { get; } = new();
}
