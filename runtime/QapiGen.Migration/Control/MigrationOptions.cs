using System;
using QapiGen.Migration.Machine;
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

    /// <summary>
    /// Incoming only: decides the run state after a verified load, once the device
    /// sections are applied (so it can read what the source said, as QEMU's
    /// <c>globalstate</c> section does). Overrides <see cref="StartAfterLoad"/> when set.
    /// Called on a migration thread; must return quickly.
    /// </summary>
    public Func<RunState>? RunStateAfterLoad { get; init; }

    /// <summary>Outgoing: the most RAM passes before the guest is stopped regardless of dirty rate.</summary>
    public int MaxPasses { get; init; } = 10;
}
