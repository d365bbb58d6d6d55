using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Host.Monitors;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Host.Handlers;

/// <summary>monitor-add, monitor-remove, query-monitors: monitors come and go at run time, on existing chardevs.</summary>
public sealed partial class HostCommands
{
    public ValueTask MonitorAddAsync(QmpCommandContext context, string id, string chardev, bool? pretty, CancellationToken cancellationToken)
    {
        _host.Monitors.Add(id, chardev, pretty ?? false);
        return ValueTask.CompletedTask;
    }

    /// <summary>A monitor may remove itself: the registry defers closing its connection until this reply is sent.</summary>
    public ValueTask MonitorRemoveAsync(QmpCommandContext context, string id, CancellationToken cancellationToken)
    {
        _host.Monitors.Remove(id);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<MonitorInfo>> QueryMonitorsAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<HostMonitor> all = _host.Monitors.All;
        List<MonitorInfo> result = new(all.Count);
        foreach (HostMonitor monitor in all)
        {
            result.Add(new MonitorInfo { Id = monitor.Id, Mode = MonitorMode.Control, Chardev = monitor.Chardev.Id });
        }
        return ValueTask.FromResult<IReadOnlyList<MonitorInfo>>(result);
    }
}
