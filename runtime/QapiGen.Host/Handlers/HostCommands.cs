using System;
using QapiGen.Host.Hosting;
using QapiGen.Host.Qapi;

namespace QapiGen.Host.Handlers;

/// <summary>
/// The host's implementation of the generated <see cref="IQapiCommands"/>: one partial file per
/// area (control, monitors, fds, chardevs, run state, migration). Handlers check semantics and
/// call into the host's services; argument parsing and type errors are the generated
/// dispatcher's job, and query-qmp-schema is answered by it from the generated introspection.
/// </summary>
public sealed partial class HostCommands : IQapiCommands
{
    private readonly QmpHost _host;

    public HostCommands(QmpHost host)
    {
        _host = host ?? throw new ArgumentNullException(nameof(host));
    }
}
