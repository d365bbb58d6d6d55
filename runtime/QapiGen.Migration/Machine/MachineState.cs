using System;
using System.Collections.Generic;
using System.Linq;

namespace QapiGen.Migration.Machine;

/// <summary>
/// Everything a migration moves: RAM, device sections, and the run state that
/// migration drives (<c>finish-migrate</c>, <c>postmigrate</c>, <c>inmigrate</c>).
/// The host owns it and reports <see cref="RunStateChanged"/> as STOP / RESUME.
/// </summary>
public sealed class MachineState : IDisposable
{
    private readonly object _gate = new();
    private readonly List<DeviceState> _devices;
    private RunState _runState;

    /// <summary>Creates a machine.</summary>
    public MachineState(GuestRam ram, IEnumerable<DeviceState> devices, RunState initial = RunState.Prelaunch)
    {
        ArgumentNullException.ThrowIfNull(ram);
        ArgumentNullException.ThrowIfNull(devices);
        Ram = ram;
        _devices = devices.ToList();
        var seen = new HashSet<(string, uint)>();
        foreach (DeviceState device in _devices)
        {
            if (!seen.Add((device.Name, device.InstanceId)))
            {
                throw new ArgumentException($"Duplicate device section {device.Name}/{device.InstanceId}", nameof(devices));
            }
        }

        _runState = initial;
    }

    /// <summary>Raised after every run-state change, with the old and new state.</summary>
    /// <remarks>Raised on the thread that changed the state (for migration: a migration thread).</remarks>
    public event Action<RunState, RunState>? RunStateChanged;

    /// <summary>Guest RAM.</summary>
    public GuestRam Ram { get; }

    /// <summary>Device sections in registration order (the order they are sent).</summary>
    public IReadOnlyList<DeviceState> Devices => _devices;

    /// <summary>The current run state.</summary>
    public RunState RunState
    {
        get
        {
            lock (_gate)
            {
                return _runState;
            }
        }
    }

    /// <summary>Finds a section by name and instance.</summary>
    public DeviceState? FindDevice(string name, uint instanceId) =>
        _devices.FirstOrDefault(d => d.Name == name && d.InstanceId == instanceId);

    /// <summary>Sets the run state and raises <see cref="RunStateChanged"/> if it changed.</summary>
    public void SetRunState(RunState state)
    {
        RunState old;
        lock (_gate)
        {
            old = _runState;
            _runState = state;
        }

        if (old != state)
        {
            RunStateChanged?.Invoke(old, state);
        }
    }

    /// <summary>Changes the state only if it is still <paramref name="expected"/>.</summary>
    public bool TrySetRunState(RunState expected, RunState state)
    {
        lock (_gate)
        {
            if (_runState != expected)
            {
                return false;
            }

            _runState = state;
        }

        if (expected != state)
        {
            RunStateChanged?.Invoke(expected, state);
        }

        return true;
    }

    /// <summary>Releases guest RAM.</summary>
    public void Dispose() => Ram.Dispose();
}
