using System;
using System.Text;
using QapiGen.Migration.Machine;

namespace QapiGen.Host.Machine;

/// <summary>
/// QEMU's <c>globalstate</c> section: the run state the source had when it stopped for the final
/// pass. The destination uses it to end where the source was (paused stays paused) instead of
/// always running, as QEMU's process_incoming_migration_bh() does.
/// </summary>
public sealed class GlobalStateSection
{
    public const string SectionName = "globalstate";

    public GlobalStateSection()
    {
        Device = new DeviceState(SectionName, 0, 1, Encode(RunState.Running));
    }

    public DeviceState Device { get; }

    /// <summary>
    /// Hooked to <see cref="MachineState.RunStateChanged"/>: entering <c>finish-migrate</c> records
    /// the state it left. The engine saves the device sections right after that transition, on
    /// the same thread, so the section always carries the state of this switchover.
    /// </summary>
    public void OnRunStateChanged(RunState old, RunState now)
    {
        if (now == RunState.FinishMigrate)
        {
            Device.Load(Encode(old));
        }
    }

    /// <summary>The state in the section (after a load: what the source said); null when unreadable.</summary>
    public RunState? Stored
    {
        get
        {
            try
            {
                return RunStateNames.Parse(Encoding.ASCII.GetString(Device.Save()));
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    private static byte[] Encode(RunState state) => Encoding.ASCII.GetBytes(state.ToWireName());
}
