using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Host.Handlers;

/// <summary>migrate-set-capabilities / query-migrate-capabilities, migrate-set-parameters / query-migrate-parameters.</summary>
public sealed partial class HostCommands
{
    public ValueTask MigrateSetCapabilitiesAsync(QmpCommandContext context, IReadOnlyList<MigrationCapabilityStatus> capabilities,
        CancellationToken cancellationToken)
    {
        _host.Migration.SetCapabilities(capabilities);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<MigrationCapabilityStatus>> QueryMigrateCapabilitiesAsync(QmpCommandContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_host.Migration.QueryCapabilities());

    public ValueTask MigrateSetParametersAsync(QmpCommandContext context, MigrateSetParameters arguments, CancellationToken cancellationToken)
    {
        _host.Migration.SetParameters(arguments);
        return ValueTask.CompletedTask;
    }

    public ValueTask<MigrationParameters> QueryMigrateParametersAsync(QmpCommandContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_host.Migration.QueryParameters());
}
