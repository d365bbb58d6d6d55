using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;

namespace QapiGen.Runtime.Server;

/// <summary>
/// Serves one command table on one or more endpoints, several clients at once on each, and
/// stops gracefully: the few lines a program needs to serve a generated API.
/// </summary>
/// <example>
/// <code>
/// await using QmpServer server = new(new QapiDispatcher(new Commands()),
///     new QmpServerOptions().Listen("unix:./api.sock"));
/// await server.StartAsync();
/// // ... until the program should end:
/// await server.StopAsync(timeout.Token);   // running commands reply, then sessions close
/// </code>
/// </example>
/// <remarks>
/// Each endpoint runs <see cref="QmpServerOptions.MaxClientsPerEndpoint"/> accept slots on one
/// shared listener, each a <see cref="QmpMonitor"/>: a slot serves one client at a time exactly
/// as a QEMU monitor does and accepts the next client when its own leaves, so a server with one
/// client per endpoint is QEMU's monitor, and N clients are N such monitors on one socket. Every
/// client has its own <see cref="QmpSession"/>; all of them share the dispatcher (whose commands
/// may therefore run concurrently for different clients) and the event hub.
/// </remarks>
public sealed class QmpServer : IAsyncDisposable
{
    private readonly IQmpDispatcher _dispatcher;
    private readonly QmpServerOptions _options;
    private readonly object _lock = new();
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private QmpListener[] _listeners = [];
    private QmpMonitor[] _monitors = [];
    private Task? _completion;
    private Task? _gracefulStop;
    private bool _started;

    /// <summary>A server for <paramref name="dispatcher"/>, configured by <paramref name="options"/> (not started yet).</summary>
    /// <param name="dispatcher">The command table every session runs (a generated <c>QapiDispatcher</c>).</param>
    /// <param name="options">Endpoints, clients at once, protocol options; the server takes its listeners.</param>
    public QmpServer(IQmpDispatcher dispatcher, QmpServerOptions options)
    {
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Events = options.Events ?? new QmpEventHub(options.Session.TimeProvider);
    }

    /// <summary>The hub whose events every negotiated client receives (emit typed events with the generated <c>Emit...</c> extensions).</summary>
    public QmpEventHub Events { get; }

    /// <summary>The listeners, one per endpoint, once started (until stopped).</summary>
    public IReadOnlyList<QmpListener> Listeners => Volatile.Read(ref _listeners);

    /// <summary>Completes when the server stopped and every session it served has ended.</summary>
    public Task Completion => _completion ?? _stopRequested.Task;

    /// <summary>
    /// Listens on every endpoint and starts serving in the background. A failure to listen
    /// (a path or port in use) is thrown here, every listener then closed.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_started || _gracefulStop is not null)
            {
                throw new InvalidOperationException("A server starts once.");
            }
            _started = true;
        }
        IReadOnlyList<object> endpoints = _options.Endpoints;
        if (endpoints.Count == 0)
        {
            throw new InvalidOperationException("The server has no endpoint: call QmpServerOptions.Listen.");
        }
        QmpListener[] listeners = new QmpListener[endpoints.Count];
        try
        {
            for (int i = 0; i < listeners.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                listeners[i] = endpoints[i] as QmpListener ?? QmpListener.Create((QmpEndpoint)endpoints[i]);
            }
        }
        catch
        {
            // The listeners made so far, and those given (the server owns them), are closed.
            await DisposeAllAsync(listeners).ConfigureAwait(false);
            throw;
        }
        List<QmpMonitor> monitors = new();
        for (int i = 0; i < listeners.Length; i++)
        {
            for (int slot = 0; slot < _options.MaxClientsPerEndpoint; slot++)
            {
                monitors.Add(new QmpMonitor($"qmp{i}.{slot}", listeners[i], _dispatcher, _options.Session, Events)
                {
                    SessionStarted = _options.SessionStarted,
                    SessionEnded = _options.SessionEnded,
                });
            }
        }
        lock (_lock)
        {
            if (_gracefulStop is null)
            {
                Volatile.Write(ref _listeners, listeners);
                _monitors = monitors.ToArray();
                _completion = CompleteAsync(_monitors);
                foreach (QmpMonitor monitor in _monitors)
                {
                    monitor.Start();
                }
                return;
            }
        }
        // Stopped while starting: the stop could not see these listeners.
        await DisposeAllAsync(listeners).ConfigureAwait(false);
    }

    private async Task DisposeAllAsync(QmpListener?[] made)
    {
        foreach (object endpoint in _options.Endpoints)
        {
            if (endpoint is QmpListener given && Array.IndexOf(made, given) < 0)
            {
                await given.DisposeAsync().ConfigureAwait(false);
            }
        }
        foreach (QmpListener? listener in made)
        {
            if (listener is not null)
            {
                await listener.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Stops gracefully: new clients are refused at once (the listeners close), every command
    /// running now finishes and its reply, with whatever else is queued, is sent; then the
    /// sessions close. Requests received but not started are dropped, as when QEMU shuts down.
    /// When <paramref name="cancellationToken"/> fires first, the remaining sessions are closed
    /// at once (their handlers' tokens fire, their replies are dropped) and this returns without
    /// waiting for handlers that ignore their token (<see cref="Completion"/> does). Called from a
    /// command of one of its own sessions, that session closes once the command has replied.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await BeginStop().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Abort();
        }
    }

    /// <summary>Starts the graceful stop once (outside the lock: what it runs may call back into the server); later calls get the same task.</summary>
    private Task BeginStop()
    {
        TaskCompletionSource stopped;
        QmpMonitor[] monitors;
        QmpListener[] listeners;
        lock (_lock)
        {
            if (_gracefulStop is { } begun)
            {
                return begun;
            }
            stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _gracefulStop = stopped.Task;
            monitors = _monitors;
            listeners = ListenersToRelease();
        }
        _ = RunStopAsync(monitors, listeners, stopped);
        return stopped.Task;
    }

    private async Task RunStopAsync(QmpMonitor[] monitors, QmpListener[] listeners, TaskCompletionSource stopped)
    {
        try
        {
            await StopGracefullyAsync(monitors, listeners).ConfigureAwait(false);
            stopped.TrySetResult();
        }
        catch (Exception ex)
        {
            stopped.TrySetException(ex); // a listener of the caller's that failed to close
        }
    }

    private async Task StopGracefullyAsync(QmpMonitor[] monitors, QmpListener[] listeners)
    {
        _stopRequested.TrySetResult();
        QmpMonitor? own = OwnMonitor(monitors);
        // Each monitor stops accepting and lets its session finish what runs (synchronously up
        // to the wait); then the listeners close, so new clients are refused instead of waiting.
        Task[] flushes = Array.ConvertAll(monitors, static m => m.StopGracefullyAsync(Timeout.InfiniteTimeSpan));
        foreach (QmpListener listener in listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
        await Task.WhenAll(flushes).ConfigureAwait(false);
        // The monitor serving the command that stopped the server ends only after this returns.
        await Task.WhenAll(Array.ConvertAll(Array.FindAll(monitors, m => m != own), static m => m.Completion)).ConfigureAwait(false);
    }

    /// <summary>The listeners to close on stop: those of a started server (none after a failed start, which closed them), or the ones it was given (it owns them either way).</summary>
    private QmpListener[] ListenersToRelease()
    {
        if (_started)
        {
            return Volatile.Read(ref _listeners);
        }
        List<QmpListener> given = new();
        foreach (object endpoint in _options.Endpoints)
        {
            if (endpoint is QmpListener listener)
            {
                given.Add(listener);
            }
        }
        return given.ToArray();
    }

    private void Abort()
    {
        QmpMonitor[] monitors;
        lock (_lock)
        {
            monitors = _monitors;
        }
        foreach (QmpMonitor monitor in monitors)
        {
            monitor.Stop();
        }
    }

    private async Task CompleteAsync(QmpMonitor[] monitors)
    {
        await _stopRequested.Task.ConfigureAwait(false);
        await Task.WhenAll(Array.ConvertAll(monitors, static m => m.Completion)).ConfigureAwait(false);
    }

    private static QmpMonitor? OwnMonitor(QmpMonitor[] monitors)
    {
        QmpSession? current = QmpSession.Current;
        return current is null ? null : Array.Find(monitors, m => m.CurrentSession == current);
    }

    /// <summary>
    /// Stops at once (sessions closed, replies not waited for) and waits until every session has
    /// ended, unless called from a command of one of its sessions (which it would wait for).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Task graceful = BeginStop();
        Abort();
        QmpMonitor[] monitors;
        lock (_lock)
        {
            monitors = _monitors;
        }
        QmpMonitor? own = OwnMonitor(monitors);
        foreach (QmpMonitor monitor in monitors)
        {
            await monitor.DisposeAsync().ConfigureAwait(false);
        }
        if (own is null)
        {
            await graceful.ConfigureAwait(false);
        }
    }
}
