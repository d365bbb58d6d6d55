using QapiGen.Migration.Validation;

namespace QapiGen.Migration.Control;

/// <summary>What a job is started with: the current capabilities and parameters.</summary>
public sealed record MigrationOptions
{
    /// <summary>Capabilities (<c>migrate-set-capabilities</c>).</summary>
    public MigrationCapabilities Capabilities { get; init; } = MigrationCapabilities.Default;

    /// <summary>Parameters (<c>migrate-set-parameters</c>).</summary>
    public MigrationParameters Parameters { get; init; } = MigrationParameters.Default;

    /// <summary>
    /// Incoming only: run the guest after a successful load (QEMU without <c>-S</c>);
    /// otherwise it ends <c>paused</c>.
    /// </summary>
    public bool StartAfterLoad { get; init; }

    /// <summary>Outgoing: the most RAM passes before the guest is stopped regardless of dirty rate.</summary>
    public int MaxPasses { get; init; } = 10;
}
