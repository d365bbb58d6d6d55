using System;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Host.Chardevs;
using QapiGen.Host.Fds;
using QapiGen.Host.Handlers;
using QapiGen.Host.Machine;
using QapiGen.Host.Monitors;
using QapiGen.Host.Options;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;

namespace QapiGen.Host.Hosting;

/// <summary>
/// The composition root: the services (fdsets, named fds, chardevs, monitors, run state,
/// events), the generated dispatch table over <see cref="HostCommands"/>, and the shutdown
/// sequence. Program.cs runs one; tests run many in-process.
/// </summary>
public sealed class QmpHost : IAsyncDisposable
{
    /// <summary>How long a shutdown waits for clients to take what is queued for them (the quit reply, SHUTDOWN).</summary>
    public static readonly TimeSpan ShutdownFlushTimeout = TimeSpan.FromSeconds(2);

    private readonly TaskCompletionSource<ShutdownCause> _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private QmpHost(HostOptions options, Action<string>? log)
    {
        Options = options;
        Log = log ?? (_ => { });
        Events = new QmpEventHub();
        FdSets = new FdSetRegistry();
        NamedFds = new NamedFds();
        RunState = new RunStateMachine(Events, options.StartPaused);
        SessionOptions = QmpSessionOptions.Default with
        {
            Framing = options.Framing,
            MaxPendingFds = options.MaxPendingFds,
            UnhandledException = (session, command, ex) => Log($"command '{command}' failed on session {session.Id}: {ex}"),
        };
        QmpVersion v = SessionOptions.Version;
        VersionInfo = new VersionInfo { Qemu = new VersionTriple { Major = v.Major, Minor = v.Minor, Micro = v.Micro }, Package = v.Package };
        Dispatcher = new QapiDispatcher(new HostCommands(this));
        Chardevs = new ChardevRegistry(FdSets, options.MaxFdsPerMessage);
        Monitors = new MonitorRegistry(Chardevs, Dispatcher, SessionOptions, Events);
    }

    public HostOptions Options { get; }

    public QmpEventHub Events { get; }

    /// <summary>fdsets: add-fd/remove-fd/query-fdsets, and <c>Open("/dev/fdset/N", access)</c> for host code.</summary>
    public FdSetRegistry FdSets { get; }

    /// <summary>getfd/closefd, and <c>Take(session, name)</c> for host code.</summary>
    public NamedFds NamedFds { get; }

    public ChardevRegistry Chardevs { get; }

    public MonitorRegistry Monitors { get; }

    public RunStateMachine RunState { get; }

    public QapiDispatcher Dispatcher { get; }

    public QmpSessionOptions SessionOptions { get; }

    /// <summary>query-version's answer (the greeting's version).</summary>
    public VersionInfo VersionInfo { get; }

    /// <summary>Diagnostics sink (stderr in the program).</summary>
    public Action<string> Log { get; }

    /// <summary>Completes with the cause once a shutdown was requested (quit, a signal).</summary>
    public Task<ShutdownCause> ShutdownRequested => _shutdown.Task;

    /// <summary>Creates the chardevs and monitors of <paramref name="options"/> and starts serving.</summary>
    /// <exception cref="QmpException">a chardev or monitor could not be created (the message says why); nothing stays open.</exception>
    public static async Task<QmpHost> StartAsync(HostOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        QmpHost host = new(options, log);
        try
        {
            foreach (ChardevSpec chardev in options.Chardevs)
            {
                host.Chardevs.Add(chardev);
            }
            foreach (MonitorSpec monitor in options.Monitors)
            {
                host.Monitors.Add(monitor.Id, monitor.Chardev, monitor.Pretty);
            }
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return host;
    }

    /// <summary>
    /// Starts the shutdown once: run state <c>shutdown</c>, SHUTDOWN to every monitor, then
    /// <see cref="ShutdownRequested"/> completes (the owner disposes the host).
    /// </summary>
    public void RequestShutdown(ShutdownCause cause)
    {
        if (!RunState.EnterShutdown())
        {
            return;
        }
        Events.EmitShutdown(guest: false, reason: cause);
        _shutdown.TrySetResult(cause);
    }

    /// <summary>Waits until a shutdown is requested or <paramref name="cancellationToken"/> fires.</summary>
    public Task<ShutdownCause> WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        ShutdownRequested.WaitAsync(cancellationToken);

    /// <summary>
    /// Stops every monitor (each client first gets what is queued for it, within
    /// <see cref="ShutdownFlushTimeout"/>), closes chardevs (socket files removed) and every fd held.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await Monitors.StopAllGracefullyAsync(ShutdownFlushTimeout).ConfigureAwait(false);
        await Chardevs.DisposeAsync().ConfigureAwait(false);
        FdSets.Dispose();
        _shutdown.TrySetResult(ShutdownCause.None);
    }
}
