using System;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Server;

namespace QapiGen.Host.Machine;

/// <summary>
/// The run state query-status reports and stop / cont change. The host has no guest, so this
/// is the state machine alone: <c>prelaunch</c> (started with -S) or <c>running</c> at start,
/// <c>paused</c> after stop, <c>shutdown</c> once quitting. Transitions emit STOP / RESUME to
/// every monitor, as QEMU does, and only when the state really changes.
/// </summary>
public sealed class RunStateMachine
{
    private readonly object _lock = new();
    private readonly QmpEventHub _events;
    private RunState _state;

    public RunStateMachine(QmpEventHub events, bool startPaused)
    {
        _events = events ?? throw new ArgumentNullException(nameof(events));
        _state = startPaused ? RunState.Prelaunch : RunState.Running;
    }

    public RunState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    public bool IsRunning => State == RunState.Running;

    /// <summary>stop: running → paused with a STOP event; otherwise nothing (QEMU's vm_stop()).</summary>
    public void Stop()
    {
        lock (_lock)
        {
            if (_state != RunState.Running)
            {
                return;
            }
            _state = RunState.Paused;
            // Emitted under the lock so STOP and RESUME reach clients in transition order.
            _events.EmitStop();
        }
    }

    /// <summary>cont: any stopped state → running with a RESUME event; running stays as it is.</summary>
    /// <exception cref="QapiGen.Runtime.Protocol.QmpException">when shutting down (QEMU asks for a reset then).</exception>
    public void Continue()
    {
        lock (_lock)
        {
            if (_state == RunState.Running)
            {
                return;
            }
            if (_state == RunState.Shutdown)
            {
                throw QapiGen.Runtime.Protocol.QmpError.Generic("Resetting the Virtual Machine is required").ToException();
            }
            _state = RunState.Running;
            _events.EmitResume();
        }
    }

    /// <summary>Enters the final state; returns false when already there.</summary>
    public bool EnterShutdown()
    {
        lock (_lock)
        {
            if (_state == RunState.Shutdown)
            {
                return false;
            }
            _state = RunState.Shutdown;
            return true;
        }
    }
}
