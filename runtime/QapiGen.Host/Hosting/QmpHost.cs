using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Host.Chardevs;
using QapiGen.Host.Fds;
using QapiGen.Host.Handlers;
using QapiGen.Host.Machine;
using QapiGen.Host.Migration;
using QapiGen.Host.Monitors;
using QapiGen.Host.Options;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using EngineRunState = QapiGen.Migration.Machine.RunState;

namespace QapiGen.Host.Hosting;

/// <summary>
/// The composition root: the services (fdsets, named fds, chardevs, monitors, the machine and
/// its run state, migration, events), the generated dispatch table over <see cref="HostCommands"/>,
/// and the shutdown sequence. Program.cs runs one; tests run many in-process.
/// </summary>
public sealed class QmpHost : IAsyncDisposable
{
    /// <summary>How long a shutdown waits for clients to take what is queued for them (the quit reply, SHUTDOWN).</summary>
    public static readonly TimeSpan ShutdownFlushTimeout = TimeSpan.FromSeconds(2);

    private readonly TaskCompletionSource<ShutdownCause> _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private int _exitCode;

    private QmpHost(HostOptions options, Action<string>? log, GuestMachine machine)
    {
        Options = options;
        Log = log ?? (_ => { });
        Events = new QmpEventHub();
        HeldFds = new HeldFdLimit(options.MaxHeldFds);
        FdSets = new FdSetRegistry(HeldFds);
        NamedFds = new NamedFds(HeldFds);
        Machine = machine;
        RunState = new RunStateMachine(Events, machine.State, autostart: !options.StartPaused);
        Migration = new MigrationController(machine, RunState, FdSets, NamedFds, Events, message => RequestExit(1, message));
        SessionOptions = QmpSessionOptions.Default with
        {
            Version = HostVersion.Emulated,
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

    /// <summary>The cap on fds held in fdsets and named fds together (<c>--max-held-fds</c>).</summary>
    public HeldFdLimit HeldFds { get; }

    /// <summary>fdsets: add-fd/remove-fd/query-fdsets, and <c>Open("/dev/fdset/N", access)</c> for host code.</summary>
    public FdSetRegistry FdSets { get; }

    /// <summary>getfd/closefd, and <c>Take(session, name)</c> for host code.</summary>
    public NamedFds NamedFds { get; }

    public ChardevRegistry Chardevs { get; }

    public MonitorRegistry Monitors { get; }

    /// <summary>Guest RAM and device sections; its state is the one <see cref="RunState"/> reports.</summary>
    public GuestMachine Machine { get; }

    public RunStateMachine RunState { get; }

    /// <summary>migrate, migrate-incoming and the rest of the migration commands.</summary>
    public MigrationController Migration { get; }

    /// <summary>What the process exits with: 0, or 1 after a failed incoming migration with exit-on-error.</summary>
    public int ExitCode => Volatile.Read(ref _exitCode);

    public QapiDispatcher Dispatcher { get; }

    public QmpSessionOptions SessionOptions { get; }

    /// <summary>query-version's answer (the greeting's version).</summary>
    public VersionInfo VersionInfo { get; }

    /// <summary>Diagnostics sink (stderr in the program).</summary>
    public Action<string> Log { get; }

    /// <summary>Completes with the cause once a shutdown was requested (quit, a signal).</summary>
    public Task<ShutdownCause> ShutdownRequested => _shutdown.Task;

    /// <summary>
    /// Creates the machine, the chardevs and monitors of <paramref name="options"/>, starts serving,
    /// and with <c>-incoming URI</c> starts receiving.
    /// </summary>
    /// <exception cref="QmpException">the machine, a chardev, a monitor or the incoming migration could not be
    /// set up (the message says why); nothing stays open.</exception>
    public static async Task<QmpHost> StartAsync(HostOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // QEMU's start states: inmigrate with -incoming, prelaunch with -S, running otherwise.
        EngineRunState initial = options.Incoming is not null ? EngineRunState.InMigrate
            : options.StartPaused ? EngineRunState.Prelaunch
            : EngineRunState.Running;
        GuestMachine machine;
        try
        {
            machine = await GuestMachine.CreateAsync(options.Machine, initial).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw QmpError.Generic(ex.Message).ToException();
        }
        QmpHost host = new(options, log, machine);
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
            if (options.Incoming is { } incoming && incoming != HostOptions.IncomingDefer)
            {
                await host.Migration.MigrateIncomingAsync(null, incoming, null, exitOnError: true, CancellationToken.None).ConfigureAwait(false);
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

    /// <summary>
    /// Ends the host with a failure status and no SHUTDOWN event, as QEMU's exit(1) after a failed
    /// incoming migration: <paramref name="message"/> goes to the log, <see cref="ExitCode"/> becomes
    /// <paramref name="exitCode"/> and <see cref="ShutdownRequested"/> completes.
    /// </summary>
    public void RequestExit(int exitCode, string message)
    {
        if (_shutdown.Task.IsCompleted)
        {
            return;
        }
        Log(message);
        Interlocked.CompareExchange(ref _exitCode, exitCode, 0);
        _shutdown.TrySetResult(ShutdownCause.HostError);
    }

    /// <summary>Waits until a shutdown is requested or <paramref name="cancellationToken"/> fires.</summary>
    public Task<ShutdownCause> WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        ShutdownRequested.WaitAsync(cancellationToken);

    /// <summary>
    /// Cancels any migration and waits until it has let go of RAM and fds, stops every monitor
    /// (each client first gets what is queued for it, within <see cref="ShutdownFlushTimeout"/>),
    /// writes RAM out for <c>--ram-dump-on-exit</c>, and closes chardevs (socket files removed),
    /// guest RAM and every fd held.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await Migration.DisposeAsync().ConfigureAwait(false);
        await Monitors.StopAllGracefullyAsync(ShutdownFlushTimeout).ConfigureAwait(false);
        if (Options.Machine.RamDumpOnExit is { } dump)
        {
            try
            {
                await Machine.DumpRamAsync(dump).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log($"--ram-dump-on-exit {dump}: {ex.Message}");
            }
        }
        await Chardevs.DisposeAsync().ConfigureAwait(false);
        Machine.Dispose();
        FdSets.Dispose();
        _shutdown.TrySetResult(ShutdownCause.None);
    }
}
