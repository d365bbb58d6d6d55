using System;
using QapiGen.Host.Qapi;
using QapiGen.Migration.Control;
using QapiGen.Runtime.Server;
using EngineStatus = QapiGen.Migration.Control.MigrationStatus;

namespace QapiGen.Host.Migration;

/// <summary>
/// MIGRATION and MIGRATION_PASS to every monitor. The engine calls it only when capability
/// <c>events</c> was on when the job started, which is QEMU's rule, so each call is one event.
/// </summary>
internal sealed class MigrationEventForwarder : IMigrationEvents
{
    private readonly QmpEventHub _hub;

    public MigrationEventForwarder(QmpEventHub hub)
    {
        _hub = hub ?? throw new ArgumentNullException(nameof(hub));
    }

    public void OnStatusChanged(MigrationJob job, EngineStatus status) => _hub.EmitMigration(MigrationStatusConversion.ToQapi(status));

    public void OnPass(MigrationJob job, long pass) => _hub.EmitMigrationPass(pass);
}
