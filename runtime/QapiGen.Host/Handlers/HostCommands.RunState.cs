using System.Threading;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Protocol;

#pragma warning disable CS0618 // 'singlestep' is deprecated in the schema, but QEMU 7.2 still sends it: so do we.

namespace QapiGen.Host.Handlers;

/// <summary>query-status, stop, cont.</summary>
public sealed partial class HostCommands
{
    public ValueTask<StatusInfo> QueryStatusAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        RunState state = _host.RunState.State;
        return ValueTask.FromResult(new StatusInfo { Running = state == RunState.Running, Singlestep = false, Status = state });
    }

    public ValueTask StopAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        _host.RunState.Stop();
        return ValueTask.CompletedTask;
    }

    public ValueTask ContAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        _host.RunState.Continue();
        return ValueTask.CompletedTask;
    }
}
