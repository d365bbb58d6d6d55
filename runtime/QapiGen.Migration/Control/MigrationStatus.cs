namespace QapiGen.Migration.Control;

/// <summary>
/// QEMU's <c>MigrationStatus</c>; wire names in <see cref="MigrationStatusNames"/>.
/// The engine uses none, setup, active, completed, failed, cancelling and cancelled;
/// the rest exist so the host can name every QEMU value.
/// </summary>
public enum MigrationStatus
{
    /// <summary><c>none</c>: no migration has run.</summary>
    None,
    /// <summary><c>setup</c>: opening channels.</summary>
    Setup,
    /// <summary><c>cancelling</c>: cancel requested, channels closing.</summary>
    Cancelling,
    /// <summary><c>cancelled</c>: stopped by request; the source keeps running.</summary>
    Cancelled,
    /// <summary><c>active</c>: sending or receiving RAM and devices.</summary>
    Active,
    /// <summary><c>postcopy-active</c> (not implemented).</summary>
    PostcopyActive,
    /// <summary><c>postcopy-paused</c> (not implemented).</summary>
    PostcopyPaused,
    /// <summary><c>postcopy-recover-setup</c> (not implemented).</summary>
    PostcopyRecoverSetup,
    /// <summary><c>postcopy-recover</c> (not implemented).</summary>
    PostcopyRecover,
    /// <summary><c>completed</c></summary>
    Completed,
    /// <summary><c>failed</c>: see the job's error description.</summary>
    Failed,
    /// <summary><c>colo</c> (not implemented).</summary>
    Colo,
    /// <summary><c>pre-switchover</c> (not implemented).</summary>
    PreSwitchover,
    /// <summary><c>device</c> (not implemented).</summary>
    Device,
    /// <summary><c>wait-unplug</c> (not implemented).</summary>
    WaitUnplug,
}
