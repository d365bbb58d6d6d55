using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Host.Handlers;

/// <summary>
/// PLACEHOLDER for the migration commands of schema/migration.json. The generated interface
/// requires every schema command to be implemented; until the migration engine
/// (runtime/QapiGen.Migration, issue 5) is wired in, each answers a QMP GenericError. The
/// engineer wiring migration replaces this whole file; everything it needs from the host is
/// public: <c>QmpHost.FdSets.Open("/dev/fdset/N", access)</c> for file channels and
/// <c>QmpHost.NamedFds.Take(context.Session, name)</c> for "fd:NAME" (seed 004).
/// </summary>
public sealed partial class HostCommands
{
    private static QmpException MigrationUnavailable() => QmpError.Generic("migration is not available yet").ToException();

    public ValueTask<MigrationInfo> QueryMigrateAsync(QmpCommandContext context, CancellationToken cancellationToken) =>
        throw MigrationUnavailable();

    public ValueTask MigrateSetCapabilitiesAsync(QmpCommandContext context, IReadOnlyList<MigrationCapabilityStatus> capabilities, CancellationToken cancellationToken) =>
        throw MigrationUnavailable();

    public ValueTask<IReadOnlyList<MigrationCapabilityStatus>> QueryMigrateCapabilitiesAsync(QmpCommandContext context, CancellationToken cancellationToken) =>
        throw MigrationUnavailable();

    public ValueTask MigrateSetParametersAsync(QmpCommandContext context, MigrateSetParameters arguments, CancellationToken cancellationToken) =>
        throw MigrationUnavailable();

    public ValueTask<MigrationParameters> QueryMigrateParametersAsync(QmpCommandContext context, CancellationToken cancellationToken) =>
        throw MigrationUnavailable();

    public ValueTask MigrateAsync(QmpCommandContext context, string? uri, IReadOnlyList<MigrationChannel>? channels, bool? detach, bool? resume, CancellationToken cancellationToken) =>
        throw MigrationUnavailable();

    public ValueTask MigrateIncomingAsync(QmpCommandContext context, string? uri, IReadOnlyList<MigrationChannel>? channels, bool? exitOnError, CancellationToken cancellationToken) =>
        throw MigrationUnavailable();

    public ValueTask MigrateCancelAsync(QmpCommandContext context, CancellationToken cancellationToken) =>
        throw MigrationUnavailable();
}
