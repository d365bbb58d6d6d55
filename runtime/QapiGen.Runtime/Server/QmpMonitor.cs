using System;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Common;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;

namespace QapiGen.Runtime.Server;

/// <summary>
/// A QMP monitor on a listener, with QEMU's chardev semantics: it serves one client at a
/// time and accepts the next one only after the previous has gone (later clients wait in the
/// listen backlog). Each client gets a fresh <see cref="QmpSession"/> in negotiation mode.
/// </summary>
public sealed class QmpMonitor : IAsyncDisposable
{
    private readonly IQmpDispatcher _dispatcher;
    private readonly QmpSessionOptions _options;
    private readonly bool _ownsListener;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _lock = new();
    private QmpSession? _current;
    private Task? _run;
    private int _disposed;

    /// <param name="id">Monitor id (query-monitors).</param>
    /// <param name="listener">Where clients connect; usually owned by a chardev, hence <paramref name="ownsListener"/>.</param>
    /// <param name="dispatcher">Command table.</param>
    /// <param name="options">Protocol options.</param>
    /// <param name="events">Hub the sessions receive broadcast events from.</param>
    /// <param name="ownsListener">Dispose the listener with the monitor.</param>
    public QmpMonitor(string id, QmpListener listener, IQmpDispatcher dispatcher, QmpSessionOptions? options = null, QmpEventHub? events = null, bool ownsListener = false)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Listener = listener ?? throw new ArgumentNullException(nameof(listener));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _options = options ?? QmpSessionOptions.Default;
        Events = events;
        _ownsListener = ownsListener;
    }

    /// <summary>The monitor's id (query-monitors).</summary>
    public string Id { get; }

    /// <summary>Where clients connect.</summary>
    public QmpListener Listener { get; }

    /// <summary>The hub the monitor subscribes its sessions to once they negotiated, if any.</summary>
    public QmpEventHub? Events { get; }

    /// <summary>The connected client's session, if any.</summary>
    public QmpSession? CurrentSession => Volatile.Read(ref _current);

    /// <summary>Per-monitor state for the host (e.g. getfd's named fds, which die with the monitor).</summary>
    public ConcurrentDictionary<string, object?> Items { get; } = new();

    /// <summary>Called when a client connected, before its greeting is sent.</summary>
    public Action<QmpSession>? SessionStarted { get; init; }

    /// <summary>Called after a client's session ended and released its resources.</summary>
    public Action<QmpSession>? SessionEnded { get; init; }

    /// <summary>Completes when the monitor stopped serving.</summary>
    public Task Completion => _run ?? Task.CompletedTask;

    /// <summary>True once the monitor stopped serving.</summary>
    public bool IsStopped => _stop.IsCancellationRequested;

    /// <summary>Starts accepting clients in the background.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_run is not null)
            {
                throw new InvalidOperationException("The monitor is already running.");
            }
            _run = Task.Run(RunAsync);
        }
    }

    /// <summary>The longest pause between accepts while the process has no fd to spare.</summary>
    private static readonly TimeSpan MaxAcceptBackoff = TimeSpan.FromSeconds(1);

    private async Task RunAsync()
    {
        CancellationToken token = _stop.Token;
        TimeSpan backoff = TimeSpan.Zero;
        while (!token.IsCancellationRequested)
        {
            if (backoff > TimeSpan.Zero)
            {
                // Out of fds (or threads): retry later instead of spinning or giving up; the
                // monitor keeps serving once the process has room again.
                try
                {
                    await Task.Delay(backoff, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            QmpTransport transport;
            try
            {
                transport = await Listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break; // the listener (chardev) went away
            }
            catch (Exception ex) when (token.IsCancellationRequested && ex is SocketException or System.IO.IOException)
            {
                // Stopping closes the listener too: an accept pending then ends with "operation
                // aborted" rather than a cancellation, whichever of the two came first. A stop, not a fault.
                break;
            }
            catch (Exception ex) when (!token.IsCancellationRequested && ex is SocketException or System.IO.IOException or OutOfMemoryException)
            {
                // EMFILE/ENFILE and the like: the client waits in the backlog meanwhile.
                backoff = NextBackoff(backoff);
                continue;
            }
            if (!FdHeadroom.HasRoomForConnection())
            {
                // Serving it would take the fd table's last slots, which the process needs for
                // itself (a thread start needs two): refuse it cleanly, it sees end of stream.
                await transport.DisposeAsync().ConfigureAwait(false);
                backoff = NextBackoff(backoff);
                continue;
            }
            backoff = TimeSpan.Zero;

            QmpSession session = new(transport, _dispatcher, _options);
            if (Events is { } hub)
            {
                session.OnNegotiated(hub.Subscribe);
            }
            bool stopped;
            lock (_lock)
            {
                // Stop() may have run between accept and here; it could not see this session.
                stopped = token.IsCancellationRequested;
                if (!stopped)
                {
                    Volatile.Write(ref _current, session);
                }
            }
            if (stopped)
            {
                await session.DisposeAsync().ConfigureAwait(false);
                break;
            }
            try
            {
                SessionStarted?.Invoke(session);
                // Not tied to _stop: Stop() decides how the session ends (now, or after a reply).
                await session.RunAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // A session that could not run (its receive thread did not start: out of fds or
                // memory) costs that client its connection, never the monitor.
                _options.UnhandledException?.Invoke(session, "<session>", ex);
                session.Close();
                await transport.DisposeAsync().ConfigureAwait(false);
                backoff = NextBackoff(backoff);
            }
            finally
            {
                Volatile.Write(ref _current, null);
                SessionEnded?.Invoke(session);
            }
        }
    }

    private static TimeSpan NextBackoff(TimeSpan current) =>
        current == TimeSpan.Zero ? TimeSpan.FromMilliseconds(10)
        : current * 2 > MaxAcceptBackoff ? MaxAcceptBackoff
        : current * 2;

    /// <summary>
    /// Stops serving: no new clients, and the connected one is closed. Called from a command of
    /// this monitor's own session (monitor-remove of itself), the session closes only after
    /// that command's reply has been sent. Never blocks.
    /// </summary>
    public void Stop()
    {
        QmpSession? session;
        lock (_lock)
        {
            if (!_stop.IsCancellationRequested)
            {
                _stop.Cancel();
            }
            session = _current;
        }
        if (session is null)
        {
            return;
        }
        if (QmpSession.Current == session)
        {
            session.CloseAfterReply();
        }
        else
        {
            session.Close();
        }
    }

    /// <summary>
    /// Stops serving without cutting the connected client short: its running command finishes
    /// and everything queued for it (replies, a final event) is sent, for at most
    /// <paramref name="flushTimeout"/>; after that the connection is closed regardless (a
    /// client that does not read must not hold up a shutdown).
    /// </summary>
    public async Task StopGracefullyAsync(TimeSpan flushTimeout)
    {
        QmpSession? session;
        lock (_lock)
        {
            if (!_stop.IsCancellationRequested)
            {
                _stop.Cancel();
            }
            session = _current;
        }
        if (session is null || QmpSession.Current == session)
        {
            session?.CloseAfterReply();
            return;
        }
        session.CloseGracefully();
        try
        {
            await session.Completion.WaitAsync(flushTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            session.Close();
        }
    }

    /// <summary>
    /// Stops and waits for the monitor to finish, unless called from a command of this
    /// monitor's session (which the monitor is waiting for): then it only stops.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Stop();
        bool insideOwnSession = QmpSession.Current is { } current && current == CurrentSession;
        if (!insideOwnSession)
        {
            await Completion.ConfigureAwait(false);
        }
        if (_ownsListener)
        {
            await Listener.DisposeAsync().ConfigureAwait(false);
        }
    }
}
