using QapiGen.Migration.Control;
using QapiGen.Migration.Transports;
using EngineStatus = QapiGen.Migration.Control.MigrationStatus;

namespace QapiGen.Host.Migration;

/// <summary>A started job and what the host keeps next to it for query-migrate.</summary>
internal sealed record TrackedMigration(MigrationJob Job, PreparedTransport Prepared, MigrationDirection Direction)
{
    /// <summary>QEMU's migration_is_running(): setup, active or cancelling.</summary>
    public bool IsRunning => Job.Status is EngineStatus.Setup or EngineStatus.Active or EngineStatus.Cancelling;
}
