using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Host.Fds;
using QapiGen.Host.Machine;
using QapiGen.Host.Qapi;
using QapiGen.Migration.Control;
using QapiGen.Migration.Transports;
using QapiGen.Migration.Validation;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using EngineParameters = QapiGen.Migration.Validation.MigrationParameters;
using EngineRunState = QapiGen.Migration.Machine.RunState;
using EngineStatus = QapiGen.Migration.Control.MigrationStatus;
using MigrationChannel = QapiGen.Host.Qapi.MigrationChannel;
using QapiAddress = QapiGen.Host.Qapi.MigrationAddress;
using QapiParameters = QapiGen.Host.Qapi.MigrationParameters;

namespace QapiGen.Host.Migration;

/// <summary>
/// The host's side of migration: capabilities and parameters, the outgoing and incoming jobs,
/// and QEMU's rules around them (one outgoing migration at a time, migrate-incoming once and only
/// with -incoming, no migrate while waiting for one, settings frozen while sending). The engine
/// does the moving; this class decides whether it may start, with what, and what happens after.
/// </summary>
public sealed class MigrationController : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly GuestMachine _machine;
    private readonly RunStateMachine _runState;
    private readonly MigrationTransportFactory _transports;
    private readonly MigrationEventForwarder _events;
    private readonly Action<string> _exitAfterFailedIncoming;
    private readonly List<Task> _watchers = new();
    private MigrationCapabilities _capabilities = MigrationCapabilities.Default;
    private EngineParameters _parameters = EngineParameters.Default;
    private TrackedMigration? _outgoing;
    private TrackedMigration? _incoming;
    private TrackedMigration? _latest;
    private bool _outgoingStarting;
    private bool _incomingStarted;
    private bool _disposed;

    /// <param name="machine">What is migrated.</param>
    /// <param name="runState">Autostart, for how an incoming migration ends.</param>
    /// <param name="fdSets">For <c>/dev/fdset/N</c> files.</param>
    /// <param name="namedFds">For <c>fd:NAME</c>.</param>
    /// <param name="events">Where MIGRATION / MIGRATION_PASS go.</param>
    /// <param name="exitAfterFailedIncoming">Called with QEMU's message when an incoming migration with
    /// exit-on-error fails: the host must exit with a failure status.</param>
    public MigrationController(GuestMachine machine, RunStateMachine runState, FdSetRegistry fdSets, NamedFds namedFds, QmpEventHub events,
        Action<string> exitAfterFailedIncoming)
    {
        _machine = machine ?? throw new ArgumentNullException(nameof(machine));
        _runState = runState ?? throw new ArgumentNullException(nameof(runState));
        _transports = new MigrationTransportFactory(fdSets, namedFds);
        _events = new MigrationEventForwarder(events);
        _exitAfterFailedIncoming = exitAfterFailedIncoming ?? throw new ArgumentNullException(nameof(exitAfterFailedIncoming));
    }

    /// <summary>The job query-migrate reports: the one started last (null before any).</summary>
    internal MigrationJob? LatestJob
    {
        get
        {
            lock (_lock)
            {
                return _latest?.Job;
            }
        }
    }

    /// <summary>migrate: starts sending the machine; returns once the job runs (status setup).</summary>
    /// <param name="session">The calling session: <c>fd:NAME</c> names one of its getfd fds.</param>
    /// <exception cref="QmpException">the arguments, the state or the transport do not allow it.</exception>
    public async ValueTask MigrateAsync(QmpSession session, string? uri, IReadOnlyList<MigrationChannel>? channels, bool? resume,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (resume == true)
        {
            throw QmpError.Generic("Cannot resume if there is no paused migration").ToException();
        }
        QapiAddress address = MigrationAddresses.FromArguments(uri, channels, "migrate");
        MigrationOptions options;
        lock (_lock)
        {
            ThrowIfDisposed();
            // QEMU's migrate_prepare() order: a running migration, then the run states that forbid one.
            if (_outgoingStarting || _outgoing?.IsRunning == true)
            {
                throw QmpError.Generic("There's a migration process in progress").ToException();
            }
            if (_machine.State.RunState == EngineRunState.InMigrate)
            {
                throw QmpError.Generic("Guest is waiting for an incoming migration").ToException();
            }
            // A completed migration left the guest to its destination: migrating it again would let
            // two destinations run it. cont takes it back first (running, paused by stop, ... may migrate).
            if (_machine.State.RunState == EngineRunState.PostMigrate)
            {
                throw QmpError.Generic("Can't migrate the vm that was paused due to previous migration").ToException();
            }
            // Reserve the slot now: opening the transport may await (name resolution).
            _outgoingStarting = true;
            options = new MigrationOptions { Capabilities = _capabilities, Parameters = _parameters };
        }
        try
        {
            TrackedMigration tracked = await StartAsync(address, MigrationDirection.Outgoing, session, options, cancellationToken).ConfigureAwait(false);
            Track(tracked, exitOnError: false, outgoing: true);
        }
        finally
        {
            lock (_lock)
            {
                _outgoingStarting = false;
            }
        }
    }

    /// <summary>
    /// migrate-incoming (and <c>-incoming URI</c> at start, with a null session): starts receiving.
    /// Once per host, and only in <c>inmigrate</c> (QEMU's rules).
    /// </summary>
    /// <param name="exitOnError">Exit the host when the load fails (QEMU's default, true); false leaves it in <c>inmigrate</c>.</param>
    /// <exception cref="QmpException">the arguments, the state or the transport do not allow it.</exception>
    public async ValueTask MigrateIncomingAsync(QmpSession? session, string? uri, IReadOnlyList<MigrationChannel>? channels, bool? exitOnError,
        CancellationToken cancellationToken)
    {
        QapiAddress address = MigrationAddresses.FromArguments(uri, channels, "migrate-incoming");
        MigrationOptions options;
        lock (_lock)
        {
            ThrowIfDisposed();
            if (_incomingStarted)
            {
                throw QmpError.Generic("The incoming migration has already been started").ToException();
            }
            if (_machine.State.RunState != EngineRunState.InMigrate)
            {
                throw QmpError.Generic("'-incoming' was not specified on the command line").ToException();
            }
            _incomingStarted = true;
            options = new MigrationOptions { Capabilities = _capabilities, Parameters = _parameters, RunStateAfterLoad = RunStateAfterLoad };
        }
        try
        {
            TrackedMigration tracked = await StartAsync(address, MigrationDirection.Incoming, session, options, cancellationToken).ConfigureAwait(false);
            Track(tracked, exitOnError ?? true, outgoing: false);
        }
        catch
        {
            // Nothing started: a corrected migrate-incoming may follow (QEMU sets "once" only on success).
            lock (_lock)
            {
                _incomingStarted = false;
            }
            throw;
        }
    }

    /// <summary>migrate_cancel: cancels the outgoing migration; nothing when none runs.</summary>
    public void Cancel()
    {
        TrackedMigration? outgoing;
        lock (_lock)
        {
            outgoing = _outgoing;
        }
        outgoing?.Job.Cancel();
    }

    /// <summary>query-migrate.</summary>
    public MigrationInfo Query()
    {
        TrackedMigration? latest;
        lock (_lock)
        {
            latest = _latest;
        }
        return MigrationInfoBuilder.Build(latest);
    }

    /// <summary>migrate-set-capabilities; refused while an outgoing migration runs (QEMU's rule).</summary>
    public void SetCapabilities(IReadOnlyList<MigrationCapabilityStatus> capabilities)
    {
        lock (_lock)
        {
            ThrowIfSending();
            _capabilities = MigrationSettings.Apply(_capabilities, capabilities);
        }
    }

    public IReadOnlyList<MigrationCapabilityStatus> QueryCapabilities()
    {
        lock (_lock)
        {
            return MigrationSettings.Describe(_capabilities);
        }
    }

    /// <summary>
    /// migrate-set-parameters; refused while an outgoing migration runs (QEMU applies some of them
    /// live; this engine takes its parameters once, at start, so changing them then would be a lie).
    /// </summary>
    public void SetParameters(MigrateSetParameters parameters)
    {
        lock (_lock)
        {
            ThrowIfSending();
            _parameters = MigrationSettings.Apply(_parameters, parameters);
        }
    }

    public QapiParameters QueryParameters()
    {
        lock (_lock)
        {
            return MigrationSettings.Describe(_parameters);
        }
    }

    /// <summary>Cancels whatever runs and waits until every job has let go of guest RAM and its fds.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] watchers;
        TrackedMigration? outgoing, incoming;
        lock (_lock)
        {
            _disposed = true;
            outgoing = _outgoing;
            incoming = _incoming;
            watchers = _watchers.ToArray();
        }
        // Outside the lock: cancelling closes channels and emits MIGRATION events synchronously.
        outgoing?.Job.Cancel();
        incoming?.Job.Cancel();
        await Task.WhenAll(watchers).ConfigureAwait(false);
    }

    private async Task<TrackedMigration> StartAsync(QapiAddress address, MigrationDirection direction, QmpSession? session, MigrationOptions options,
        CancellationToken cancellationToken)
    {
        PreparedTransport prepared;
        try
        {
            prepared = await _transports.PrepareAsync(address, direction, session, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MigrationConfigurationException or IOException)
        {
            throw QmpError.Generic(ex.Message).ToException();
        }

        try
        {
            // The engine checks the capabilities against the transport as it really is (a passed
            // fd already classified) before it starts anything, and throws without taking it.
            MigrationJob job = direction == MigrationDirection.Outgoing
                ? MigrationJob.StartOutgoing(_machine.State, prepared.Transport, options, _events)
                : MigrationJob.StartIncoming(_machine.State, prepared.Transport, options, _events);
            return new TrackedMigration(job, prepared, direction);
        }
        catch (MigrationConfigurationException ex)
        {
            await prepared.DiscardAsync().ConfigureAwait(false);
            throw QmpError.Generic(ex.Message).ToException();
        }
        catch
        {
            await prepared.DiscardAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void Track(TrackedMigration tracked, bool exitOnError, bool outgoing)
    {
        Task watcher = WatchAsync(tracked, exitOnError);
        bool cancel;
        lock (_lock)
        {
            if (outgoing)
            {
                _outgoing = tracked;
            }
            else
            {
                _incoming = tracked;
            }
            _latest = tracked;
            _watchers.RemoveAll(static w => w.IsCompleted);
            _watchers.Add(watcher);
            cancel = _disposed;
        }
        if (cancel)
        {
            // The host began shutting down while this job was being set up.
            tracked.Job.Cancel();
        }
    }

    private async Task WatchAsync(TrackedMigration tracked, bool exitOnError)
    {
        // Completion never faults: it ends completed, failed or cancelled.
        EngineStatus final = await tracked.Job.Completion.ConfigureAwait(false);
        if (tracked.Direction == MigrationDirection.Incoming && final == EngineStatus.Failed && exitOnError)
        {
            _exitAfterFailedIncoming($"load of migration failed: {tracked.Job.ErrorDescription}");
        }
    }

    /// <summary>
    /// Decides how a verified incoming migration ends, as QEMU's process_incoming_migration_bh():
    /// a source that was running makes the guest run unless autostart is off (-S, or stop while
    /// in <c>inmigrate</c>); a source that was stopped leaves it stopped in the same state.
    /// </summary>
    private EngineRunState RunStateAfterLoad()
    {
        EngineRunState? source = _machine.GlobalState.Stored;
        if (source is null or EngineRunState.Running)
        {
            return _runState.Autostart ? EngineRunState.Running : EngineRunState.Paused;
        }
        return source.Value switch
        {
            EngineRunState.Paused or EngineRunState.Prelaunch or EngineRunState.Suspended or EngineRunState.Debug or EngineRunState.IoError
                or EngineRunState.Watchdog or EngineRunState.GuestPanicked or EngineRunState.InternalError => source.Value,
            // States that describe a migration or an exit in progress mean nothing on this side.
            _ => EngineRunState.Paused,
        };
    }

    private void ThrowIfSending()
    {
        if (_outgoingStarting || _outgoing?.IsRunning == true)
        {
            throw QmpError.Generic("There's a migration process in progress").ToException();
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw QmpError.Generic("The host is shutting down").ToException();
        }
    }
}
