namespace QapiGen.Migration.Control;

/// <summary>
/// The host's hook for QMP events. Called only when capability <c>events</c> is
/// on, as QEMU emits MIGRATION and MIGRATION_PASS only then, so the host can
/// forward each call as an event as is. Calls come from migration threads, in
/// order, and must return quickly.
/// </summary>
public interface IMigrationEvents
{
    /// <summary>The <c>MIGRATION</c> event: <c>{ "status": ... }</c>.</summary>
    void OnStatusChanged(MigrationJob job, MigrationStatus status);

    /// <summary>The <c>MIGRATION_PASS</c> event: <c>{ "pass": N }</c>, at the start of each RAM pass.</summary>
    void OnPass(MigrationJob job, long pass);
}
