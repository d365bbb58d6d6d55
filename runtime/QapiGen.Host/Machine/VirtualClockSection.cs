using System;
using System.Buffers.Binary;
using System.Diagnostics;
using QapiGen.Migration.Machine;

namespace QapiGen.Host.Machine;

/// <summary>
/// The <c>timer</c> section: the guest's virtual clock, nanoseconds spent running. It only
/// advances while the machine runs and travels with a migration, so a destination resumes the
/// guest's time where the source stopped it (QEMU's <c>timer</c> section does the same for
/// cpu_ticks_offset).
/// </summary>
public sealed class VirtualClockSection
{
    public const string SectionName = "timer";

    private readonly object _lock = new();
    private long _runningSince = -1;

    public VirtualClockSection()
    {
        Device = new DeviceState(SectionName, 0, 1, new byte[8]);
    }

    public DeviceState Device { get; }

    /// <summary>Guest nanoseconds so far, including the current running stretch.</summary>
    public long Nanoseconds
    {
        get
        {
            lock (_lock)
            {
                return Stored + Running();
            }
        }
    }

    /// <summary>
    /// Hooked to <see cref="MachineState.RunStateChanged"/>: leaving <c>running</c> folds the stretch
    /// into the section (before the engine saves it); entering <c>running</c> starts a stretch
    /// from whatever the section holds, which after an incoming migration is the source's time.
    /// </summary>
    public void OnRunStateChanged(RunState old, RunState now)
    {
        lock (_lock)
        {
            if (old == RunState.Running && now != RunState.Running)
            {
                long total = Stored + Running();
                _runningSince = -1;
                byte[] data = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(data, total);
                Device.Load(data);
            }
            else if (now == RunState.Running && old != RunState.Running)
            {
                _runningSince = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>Starts counting when the machine is created running.</summary>
    public void StartIfRunning(RunState initial)
    {
        if (initial == RunState.Running)
        {
            OnRunStateChanged(RunState.Prelaunch, RunState.Running);
        }
    }

    private long Stored
    {
        get
        {
            byte[] data = Device.Save();
            return data.Length == 8 ? BinaryPrimitives.ReadInt64LittleEndian(data) : 0;
        }
    }

    private long Running() =>
        _runningSince < 0 ? 0 : (long)Stopwatch.GetElapsedTime(_runningSince).TotalNanoseconds;
}
