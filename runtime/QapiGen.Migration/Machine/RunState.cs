namespace QapiGen.Migration.Machine;

/// <summary>
/// QEMU's <c>RunState</c>; <see cref="RunStateNames"/> holds the wire names
/// (<c>finish-migrate</c>, <c>inmigrate</c>, …) that <c>query-status</c> reports.
/// </summary>
public enum RunState
{
    /// <summary><c>debug</c></summary>
    Debug,
    /// <summary><c>inmigrate</c>: waiting for or loading an incoming migration.</summary>
    InMigrate,
    /// <summary><c>internal-error</c></summary>
    InternalError,
    /// <summary><c>io-error</c></summary>
    IoError,
    /// <summary><c>paused</c></summary>
    Paused,
    /// <summary><c>postmigrate</c>: the source after a completed migration.</summary>
    PostMigrate,
    /// <summary><c>prelaunch</c>: started with <c>-S</c>, never run.</summary>
    Prelaunch,
    /// <summary><c>finish-migrate</c>: stopped to send the final state.</summary>
    FinishMigrate,
    /// <summary><c>restore-vm</c></summary>
    RestoreVm,
    /// <summary><c>running</c></summary>
    Running,
    /// <summary><c>save-vm</c></summary>
    SaveVm,
    /// <summary><c>shutdown</c></summary>
    Shutdown,
    /// <summary><c>suspended</c></summary>
    Suspended,
    /// <summary><c>watchdog</c></summary>
    Watchdog,
    /// <summary><c>guest-panicked</c></summary>
    GuestPanicked,
    /// <summary><c>colo</c></summary>
    Colo,
}
