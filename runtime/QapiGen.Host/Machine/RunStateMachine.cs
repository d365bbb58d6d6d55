using System;
using QapiGen.Host.Qapi;
using QapiGen.Migration.Machine;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using EngineRunState = QapiGen.Migration.Machine.RunState;
using QapiRunState = QapiGen.Host.Qapi.RunState;

namespace QapiGen.Host.Machine;

/// <summary>
/// The run state query-status reports, stop / cont change and migration drives. There is one
/// state, the migration engine's <see cref="MachineState.RunState"/>: the engine moves it through
/// <c>finish-migrate</c>, <c>postmigrate</c> and out of <c>inmigrate</c>; this class adds QEMU's
/// command rules and emits STOP / RESUME.
/// </summary>
/// <remarks>
/// STOP and RESUME follow what clients can observe, whoever changed the state: every change,
/// from a command or a migration thread, is reported under one lock by comparing the state now
/// with the last one reported. Two racing changes therefore never produce events out of order
/// (at worst a pair that cancels out is coalesced), and STOP is emitted when leaving
/// <c>running</c> for anything but <c>shutdown</c> (QEMU's vm_shutdown() sends none).
/// </remarks>
public sealed class RunStateMachine
{
    private readonly object _lock = new();
    private readonly QmpEventHub _events;
    private readonly MachineState _machine;
    private EngineRunState _reported;
    private bool _autostart;

    /// <param name="events">Where STOP / RESUME go.</param>
    /// <param name="machine">The machine whose state this is.</param>
    /// <param name="autostart">QEMU's autostart: false with -S. Decides how an incoming migration ends.</param>
    public RunStateMachine(QmpEventHub events, MachineState machine, bool autostart)
    {
        _events = events ?? throw new ArgumentNullException(nameof(events));
        _machine = machine ?? throw new ArgumentNullException(nameof(machine));
        _autostart = autostart;
        _reported = machine.RunState;
        machine.RunStateChanged += OnRunStateChanged;
    }

    public QapiRunState State => RunStateConversion.ToQapi(_machine.RunState);

    public bool IsRunning => _machine.RunState == EngineRunState.Running;

    /// <summary>Whether the guest runs once an incoming migration has loaded (stop / cont in <c>inmigrate</c> change it).</summary>
    public bool Autostart
    {
        get
        {
            lock (_lock)
            {
                return _autostart;
            }
        }
    }

    /// <summary>
    /// stop: running → paused with a STOP event; in <c>inmigrate</c> it only clears autostart, so
    /// the guest stays paused after the migration (QEMU's qmp_stop()); otherwise nothing.
    /// </summary>
    public void Stop()
    {
        lock (_lock)
        {
            EngineRunState state = _machine.RunState;
            if (state == EngineRunState.InMigrate)
            {
                _autostart = false;
                return;
            }
            if (state == EngineRunState.Running)
            {
                _machine.TrySetRunState(EngineRunState.Running, EngineRunState.Paused);
            }
        }
    }

    /// <summary>
    /// cont: any stopped state → running with a RESUME event (<c>postmigrate</c> included: the source
    /// takes its guest back). In <c>inmigrate</c> it sets autostart instead; QEMU's errors otherwise.
    /// </summary>
    /// <exception cref="QmpException">shut down or broken ("Resetting the Virtual Machine is required"),
    /// or in the middle of the final pass of an outgoing migration.</exception>
    public void Continue()
    {
        lock (_lock)
        {
            while (true)
            {
                EngineRunState state = _machine.RunState;
                switch (state)
                {
                    case EngineRunState.Running or EngineRunState.Suspended:
                        return;
                    case EngineRunState.Shutdown or EngineRunState.InternalError or EngineRunState.GuestPanicked:
                        throw QmpError.Generic("Resetting the Virtual Machine is required").ToException();
                    case EngineRunState.FinishMigrate:
                        throw QmpError.Generic("Migration is not finalized yet").ToException();
                    case EngineRunState.InMigrate:
                        _autostart = true;
                        return;
                }
                // A migration thread may change the state between the read and the write: retry.
                if (_machine.TrySetRunState(state, EngineRunState.Running))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Enters the final state (no STOP: QEMU sends SHUTDOWN instead); returns false when already there.</summary>
    public bool EnterShutdown()
    {
        lock (_lock)
        {
            if (_machine.RunState == EngineRunState.Shutdown)
            {
                return false;
            }
            _machine.SetRunState(EngineRunState.Shutdown);
            return true;
        }
    }

    private void OnRunStateChanged(EngineRunState old, EngineRunState now)
    {
        lock (_lock)
        {
            // Read the state again: by the time this runs another change may have happened, and
            // reporting the latest state keeps the events in order.
            EngineRunState current = _machine.RunState;
            bool wasRunning = _reported == EngineRunState.Running;
            bool isRunning = current == EngineRunState.Running;
            _reported = current;
            if (wasRunning && !isRunning && current != EngineRunState.Shutdown)
            {
                _events.EmitStop();
            }
            else if (!wasRunning && isRunning)
            {
                _events.EmitResume();
            }
        }
    }
}
