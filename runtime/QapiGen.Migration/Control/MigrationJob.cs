using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Common;
using QapiGen.Migration.Format;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;
using QapiGen.Migration.Validation;
using QapiGen.Migration.Wire;

namespace QapiGen.Migration.Control;

/// <summary>
/// One migration, outgoing or incoming: its status, counters and error, and the
/// way to cancel it. The host keeps the last job for <c>query-migrate</c>.
/// </summary>
/// <remarks>
/// Failure never costs the source anything: it only reads guest RAM, and if it
/// had stopped the guest for the final pass it restarts it. A destination that
/// fails stays <c>inmigrate</c> with its devices untouched (device state is
/// applied only after every record has been verified).
/// </remarks>
public sealed class MigrationJob
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _cancel;
    private readonly List<MigrationChannel> _channels = new();
    private readonly IMigrationEvents? _events;
    private MigrationStatus _status = MigrationStatus.None;
    private string? _error;
    private long _setupTimeMs;
    private long? _downtimeMs;
    private long _endTimeMs = -1;
    private CancellationTokenRegistration _external;

    private MigrationJob(MachineState machine, MigrationTransport transport, MigrationDirection direction, MigrationOptions options,
        IMigrationEvents? events, CancellationToken cancellationToken)
    {
        Machine = machine;
        Transport = transport;
        Direction = direction;
        Options = options;
        _events = options.Capabilities.Events ? events : null;
        _cancel = new CancellationTokenSource();
        _cancel.Token.Register(AbortIo);

        // The caller's token is one more way to say migrate_cancel.
        _external = cancellationToken.Register(Cancel);
    }

    /// <summary>Outgoing or incoming.</summary>
    public MigrationDirection Direction { get; }

    /// <summary>The capabilities and parameters the job started with.</summary>
    public MigrationOptions Options { get; }

    /// <summary>The transport (owned by the job; disposed when it ends).</summary>
    public MigrationTransport Transport { get; }

    /// <summary>The machine being saved or loaded.</summary>
    public MachineState Machine { get; }

    /// <summary>Current status.</summary>
    public MigrationStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>Why the job failed (<c>error-desc</c>), or null.</summary>
    public string? ErrorDescription
    {
        get
        {
            lock (_gate)
            {
                return _error;
            }
        }
    }

    /// <summary>Completes with the final status (completed, failed or cancelled); never faults.</summary>
    public Task<MigrationStatus> Completion { get; private set; } = Task.FromResult(MigrationStatus.None);

    internal MigrationCounters Counters { get; } = new();

    internal CancellationToken Token => _cancel.Token;

    /// <summary>
    /// Starts sending <paramref name="machine"/> (QMP <c>migrate</c>). Capabilities are
    /// checked against the transport first.
    /// </summary>
    /// <exception cref="MigrationConfigurationException">The configuration cannot work; nothing was started.</exception>
    public static MigrationJob StartOutgoing(MachineState machine, MigrationTransport transport, MigrationOptions? options = null,
        IMigrationEvents? events = null, CancellationToken cancellationToken = default) =>
        Start(machine, transport, MigrationDirection.Outgoing, options, events, cancellationToken);

    /// <summary>
    /// Starts receiving into <paramref name="machine"/> (QMP <c>migrate-incoming</c> or
    /// <c>-incoming</c>). The machine goes to <c>inmigrate</c>; after a verified load it is
    /// <c>paused</c>, or <c>running</c> with <see cref="MigrationOptions.StartAfterLoad"/>.
    /// </summary>
    /// <exception cref="MigrationConfigurationException">The configuration cannot work; nothing was started.</exception>
    public static MigrationJob StartIncoming(MachineState machine, MigrationTransport transport, MigrationOptions? options = null,
        IMigrationEvents? events = null, CancellationToken cancellationToken = default) =>
        Start(machine, transport, MigrationDirection.Incoming, options, events, cancellationToken);

    /// <summary>
    /// <c>migrate_cancel</c>: the job goes to <c>cancelling</c>, its channels are closed
    /// and it ends <c>cancelled</c>. No effect once the job has ended.
    /// </summary>
    public void Cancel()
    {
        if (TrySetStatus(MigrationStatus.Cancelling, from: [MigrationStatus.Setup, MigrationStatus.Active]))
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The job ended at the same moment; it reports its own outcome.
            }
        }
    }

    /// <summary>A snapshot of the counters for <c>query-migrate</c>.</summary>
    public MigrationStats GetStats()
    {
        MigrationStatus status;
        string? error;
        long total;
        lock (_gate)
        {
            status = _status;
            error = _error;
            total = _endTimeMs >= 0 ? _endTimeMs : _clock.ElapsedMilliseconds;
        }

        long transferred = Counters.Transferred;
        long active = Math.Max(1, total - _setupTimeMs);
        return new MigrationStats
        {
            Status = status,
            TotalTimeMs = total,
            SetupTimeMs = _setupTimeMs,
            DowntimeMs = _downtimeMs,
            Transferred = transferred,
            Remaining = Math.Max(0, Counters.RemainingPages) * GuestRam.PageSize,
            Total = Machine.Ram.Size,
            Duplicate = Counters.DuplicatePages,
            Normal = Counters.NormalPages,
            NormalBytes = Counters.NormalPages * GuestRam.PageSize,
            Mbps = transferred * 8.0 / 1e6 / (active / 1000.0),
            DirtySyncCount = Counters.DirtySyncCount,
            ErrorDescription = error,
        };
    }

    internal void MarkActive()
    {
        _setupTimeMs = _clock.ElapsedMilliseconds;
        TrySetStatus(MigrationStatus.Active, from: [MigrationStatus.Setup]);
    }

    internal void SetDowntime(long ms) => _downtimeMs = ms;

    internal void RaisePass(long pass) => _events?.OnPass(this, pass);

    /// <summary>Registers a channel so that cancellation and failure can unblock it.</summary>
    internal void Track(MigrationChannel channel)
    {
        lock (_gate)
        {
            _channels.Add(channel);
        }

        if (_cancel.IsCancellationRequested)
        {
            channel.Abort();
        }
    }

    /// <summary>Opens a channel of the transport and tracks it.</summary>
    internal async ValueTask<MigrationChannel> OpenChannelAsync()
    {
        MigrationChannel channel = await Transport.OpenChannelAsync(Direction, Token).ConfigureAwait(false);
        Track(channel);
        return channel;
    }

    /// <summary>Stops all I/O: used when one channel of several fails.</summary>
    internal void AbortIo()
    {
        MigrationChannel[] channels;
        lock (_gate)
        {
            channels = _channels.ToArray();
        }

        foreach (MigrationChannel channel in channels)
        {
            channel.Abort();
        }

        Transport.Abort();
    }

    private static MigrationJob Start(MachineState machine, MigrationTransport transport, MigrationDirection direction, MigrationOptions? options,
        IMigrationEvents? events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(transport);
        options ??= new MigrationOptions();
        if (transport.Direction is { } made && made != direction)
        {
            throw new MigrationConfigurationException(
                $"'{transport.Description}' was set up for {Describe(made)} migration and cannot be used for {Describe(direction)} migration");
        }

        MigrationValidator.Validate(transport, options.Capabilities, options.Parameters);
        var job = new MigrationJob(machine, transport, direction, options, events, cancellationToken);
        job.TrySetStatus(MigrationStatus.Setup, from: [MigrationStatus.None]);

        // File channels do blocking pread/pwrite: give them a thread of their own.
        // Socket and pipe channels are truly async and run on the pool.
        Func<Task> body = direction == MigrationDirection.Outgoing
            ? () => OutgoingMigration.RunAsync(job)
            : () => IncomingMigration.RunAsync(job);
        Task run = transport.Kind == TransportKind.File
            ? DedicatedThread.RunAsync($"migration {Describe(direction)}", async () => { await body().ConfigureAwait(false); return true; })
            : Task.Run(body);
        job.Completion = job.FinishAsync(run);
        return job;
    }

    private async Task<MigrationStatus> FinishAsync(Task run)
    {
        Exception? failure = null;
        try
        {
            await run.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
        }

        // Whatever happened, close every channel and the transport before reporting.
        AbortIo();
        MigrationStatus final;
        lock (_gate)
        {
            _endTimeMs = _clock.ElapsedMilliseconds;
        }

        try
        {
            await Transport.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (failure is null)
        {
            failure = e;
        }
        finally
        {
            Transport.ReleaseAttached();
        }

        if (failure is null)
        {
            final = MigrationStatus.Completed;
        }
        else if (_cancel.IsCancellationRequested && Status == MigrationStatus.Cancelling)
        {
            final = MigrationStatus.Cancelled;
        }
        else
        {
            final = MigrationStatus.Failed;
            lock (_gate)
            {
                _error = Describe(failure);
            }
        }

        TrySetStatus(final, from: [MigrationStatus.Setup, MigrationStatus.Active, MigrationStatus.Cancelling]);
        _external.Dispose();
        _cancel.Dispose();
        return final;
    }

    private bool TrySetStatus(MigrationStatus status, MigrationStatus[] from)
    {
        lock (_gate)
        {
            if (Array.IndexOf(from, _status) < 0)
            {
                return false;
            }

            _status = status;
        }

        _events?.OnStatusChanged(this, status);
        return true;
    }

    private static string Describe(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerExceptions[0]),
        MigrationStreamException => e.Message,
        OperationCanceledException => "Migration was interrupted",
        _ => e.Message,
    };

    private static string Describe(MigrationDirection direction) =>
        direction == MigrationDirection.Outgoing ? "outgoing" : "incoming";
}
