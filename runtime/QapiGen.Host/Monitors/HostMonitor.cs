using System;
using System.Threading.Tasks;
using QapiGen.Host.Chardevs;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;

namespace QapiGen.Host.Monitors;

/// <summary>
/// A QMP monitor of the host: an id, the chardev it is the frontend of, and the runtime's
/// <see cref="QmpMonitor"/> that serves that chardev's clients one at a time.
/// </summary>
public sealed class HostMonitor : IAsyncDisposable
{
    internal HostMonitor(string id, Chardev chardev, bool pretty, QmpMonitor monitor)
    {
        Id = id;
        Chardev = chardev;
        Pretty = pretty;
        Runtime = monitor;
    }

    public string Id { get; }

    public Chardev Chardev { get; }

    public bool Pretty { get; }

    /// <summary>The runtime monitor (its current session, completion).</summary>
    public QmpMonitor Runtime { get; }

    /// <summary>The connected client's session, if any.</summary>
    public QmpSession? CurrentSession => Runtime.CurrentSession;

    /// <summary>
    /// Stops the monitor and frees its chardev for another frontend. From a command of this
    /// monitor's own session the reply is still delivered before the connection closes.
    /// </summary>
    internal void Stop()
    {
        Runtime.Stop();
        Chardev.Detach(this);
    }

    /// <summary>Shutdown: lets the client receive what is queued (a final SHUTDOWN event) first.</summary>
    internal async Task StopGracefullyAsync(TimeSpan flushTimeout)
    {
        await Runtime.StopGracefullyAsync(flushTimeout).ConfigureAwait(false);
        Chardev.Detach(this);
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync().ConfigureAwait(false);
        Chardev.Detach(this);
    }
}
