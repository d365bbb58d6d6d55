using EngineStatus = QapiGen.Migration.Control.MigrationStatus;
using QapiStatus = QapiGen.Host.Qapi.MigrationStatus;

namespace QapiGen.Host.Migration;

/// <summary>The engine's migration status as the schema's enum (same QEMU values, matched one by one).</summary>
internal static class MigrationStatusConversion
{
    public static QapiStatus ToQapi(EngineStatus status) => status switch
    {
        EngineStatus.None => QapiStatus.None,
        EngineStatus.Setup => QapiStatus.Setup,
        EngineStatus.Cancelling => QapiStatus.Cancelling,
        EngineStatus.Cancelled => QapiStatus.Cancelled,
        EngineStatus.Active => QapiStatus.Active,
        EngineStatus.PostcopyActive => QapiStatus.PostcopyActive,
        EngineStatus.PostcopyPaused => QapiStatus.PostcopyPaused,
        EngineStatus.PostcopyRecover => QapiStatus.PostcopyRecover,
        EngineStatus.Completed => QapiStatus.Completed,
        EngineStatus.Failed => QapiStatus.Failed,
        EngineStatus.Colo => QapiStatus.Colo,
        EngineStatus.PreSwitchover => QapiStatus.PreSwitchover,
        EngineStatus.Device => QapiStatus.Device,
        EngineStatus.WaitUnplug => QapiStatus.WaitUnplug,
        // postcopy-recover-setup is newer than this schema; it never occurs (no postcopy).
        _ => QapiStatus.Failed,
    };
}
