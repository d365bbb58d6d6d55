using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Host.Handlers;

/// <summary>
/// migrate, migrate-incoming, migrate_cancel and query-migrate: argument rules and state checks
/// live in <see cref="Migration.MigrationController"/>, the moving in the migration engine.
/// </summary>
public sealed partial class HostCommands
{
    public ValueTask MigrateAsync(QmpCommandContext context, string? uri, IReadOnlyList<MigrationChannel>? channels, bool? detach, bool? resume,
        CancellationToken cancellationToken) =>
        // detach is accepted and ignored, as in QEMU: the migration always runs in the background.
        _host.Migration.MigrateAsync(context.Session, uri, channels, resume, cancellationToken);

    public ValueTask MigrateIncomingAsync(QmpCommandContext context, string? uri, IReadOnlyList<MigrationChannel>? channels, bool? exitOnError,
        CancellationToken cancellationToken) =>
        _host.Migration.MigrateIncomingAsync(context.Session, uri, channels, exitOnError, cancellationToken);

    public ValueTask MigrateCancelAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        _host.Migration.Cancel();
        return ValueTask.CompletedTask;
    }

    public ValueTask<MigrationInfo> QueryMigrateAsync(QmpCommandContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_host.Migration.Query());
}
