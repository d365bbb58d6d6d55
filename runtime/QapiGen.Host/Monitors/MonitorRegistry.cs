using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using QapiGen.Host.Chardevs;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Transports;

namespace QapiGen.Host.Monitors;

/// <summary>
/// The host's QMP monitors: added at start (<c>-qmp</c>, <c>-mon</c>) or at run time
/// with monitor-add on an existing chardev, removed with monitor-remove (even by themselves),
/// listed by query-monitors.
/// </summary>
public sealed class MonitorRegistry : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly List<HostMonitor> _monitors = new();
    private readonly ChardevRegistry _chardevs;
    private readonly IQmpDispatcher _dispatcher;
    private readonly QmpSessionOptions _options;
    private readonly QmpSessionOptions _prettyOptions;
    private readonly QmpEventHub _events;
    private bool _closed;

    public MonitorRegistry(ChardevRegistry chardevs, IQmpDispatcher dispatcher, QmpSessionOptions options, QmpEventHub events)
    {
        _chardevs = chardevs ?? throw new ArgumentNullException(nameof(chardevs));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _prettyOptions = options with { Pretty = true };
        _events = events ?? throw new ArgumentNullException(nameof(events));
    }

    public IReadOnlyList<HostMonitor> All
    {
        get
        {
            lock (_lock)
            {
                return _monitors.ToArray();
            }
        }
    }

    /// <summary>
    /// Creates a monitor on chardev <paramref name="chardevId"/> and starts serving it; the first
    /// client gets the greeting and starts in capabilities negotiation.
    /// </summary>
    /// <param name="id">Monitor id; null picks "monN".</param>
    /// <exception cref="QmpException">"monitor 'X' already exists", "chardev 'X' not found", "Device 'X' is in use".</exception>
    public HostMonitor Add(string? id, string chardevId, bool pretty)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            id ??= NextFreeId();
            if (Find(id) is not null)
            {
                throw QmpError.Generic($"monitor '{id}' already exists").ToException();
            }
            if (!_chardevs.TryGet(chardevId, out Chardev chardev))
            {
                throw QmpError.Generic($"chardev '{chardevId}' not found").ToException();
            }
            QmpListener listener = chardev.GetMonitorListener();
            QmpMonitor runtime = new(id, listener, _dispatcher, pretty ? _prettyOptions : _options, _events, ownsListener: false);
            HostMonitor monitor = new(id, chardev, pretty, runtime);
            if (!chardev.TryAttach(monitor))
            {
                throw QmpError.Generic($"Device '{chardevId}' is in use").ToException();
            }
            _monitors.Add(monitor);
            runtime.Start();
            return monitor;
        }
    }

    /// <summary>
    /// monitor-remove: stops the monitor and drops its client. The chardev stays (remove it
    /// with chardev-remove). Called from that monitor's own session, the reply is delivered
    /// before the connection closes.
    /// </summary>
    /// <exception cref="QmpException">"monitor 'X' not found".</exception>
    public void Remove(string id)
    {
        HostMonitor monitor;
        lock (_lock)
        {
            monitor = Find(id) ?? throw QmpError.Generic($"monitor '{id}' not found").ToException();
            _monitors.Remove(monitor);
        }
        monitor.Stop();
    }

    public HostMonitor? Find(string id)
    {
        lock (_lock)
        {
            foreach (HostMonitor monitor in _monitors)
            {
                if (monitor.Id == id)
                {
                    return monitor;
                }
            }
            return null;
        }
    }

    /// <summary>The monitor whose chardev is <paramref name="chardev"/>, if any.</summary>
    public HostMonitor? FindByChardev(Chardev chardev) => chardev.Frontend as HostMonitor;

    /// <summary>Shutdown: every client gets what is queued for it (at most <paramref name="flushTimeout"/>), then all stop.</summary>
    public async Task StopAllGracefullyAsync(TimeSpan flushTimeout)
    {
        HostMonitor[] all;
        lock (_lock)
        {
            _closed = true;
            all = _monitors.ToArray();
            _monitors.Clear();
        }
        Task[] stops = new Task[all.Length];
        for (int i = 0; i < all.Length; i++)
        {
            stops[i] = all[i].StopGracefullyAsync(flushTimeout);
        }
        await Task.WhenAll(stops).ConfigureAwait(false);
        foreach (HostMonitor monitor in all)
        {
            await monitor.DisposeAsync().ConfigureAwait(false);
        }
    }

    private string NextFreeId()
    {
        for (int n = 0; ; n++)
        {
            string candidate = "mon" + n.ToString(CultureInfo.InvariantCulture);
            if (Find(candidate) is null)
            {
                return candidate;
            }
        }
    }

    public ValueTask DisposeAsync() => new(StopAllGracefullyAsync(TimeSpan.Zero));
}
