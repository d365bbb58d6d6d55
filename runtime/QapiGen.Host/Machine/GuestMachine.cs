using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;
using QapiGen.Host.Options;
using QapiGen.Migration.Machine;

namespace QapiGen.Host.Machine;

/// <summary>
/// The machine the host runs and migrates: guest RAM (anonymous or memfd), its device sections
/// (<c>globalstate</c>, <c>timer</c>, <c>serial</c>) and the engine's <see cref="MachineState"/>,
/// which holds the one run state that query-status reports and migration drives.
/// </summary>
public sealed class GuestMachine : IDisposable
{
    private GuestMachine(MachineState state, GlobalStateSection globalState, VirtualClockSection clock)
    {
        State = state;
        GlobalState = globalState;
        Clock = clock;
    }

    /// <summary>RAM, devices and run state, as the migration engine sees them.</summary>
    public MachineState State { get; }

    public GuestRam Ram => State.Ram;

    public GlobalStateSection GlobalState { get; }

    public VirtualClockSection Clock { get; }

    /// <summary>
    /// Allocates RAM, fills it from <see cref="MachineOptions.RamFrom"/> if given (on a thread of its
    /// own) and creates the device sections.
    /// </summary>
    /// <exception cref="IOException">RAM could not be mapped or filled (the message says why).</exception>
    public static async Task<GuestMachine> CreateAsync(MachineOptions options, RunState initial)
    {
        ArgumentNullException.ThrowIfNull(options);
        GuestRam ram = GuestRam.Allocate(options.RamSize, options.RamBacking);
        try
        {
            if (options.RamFrom is { } path)
            {
                await DedicatedThread.RunAsync("guest RAM load", () => ram.LoadFromFile(path)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ram.Dispose();
            throw new IOException($"--ram-from {options.RamFrom}: {ex.Message}", ex);
        }

        GlobalStateSection globalState = new();
        VirtualClockSection clock = new();
        MachineState state = new(ram, [globalState.Device, clock.Device, SerialSection.Create()], initial);
        state.RunStateChanged += globalState.OnRunStateChanged;
        state.RunStateChanged += clock.OnRunStateChanged;
        clock.StartIfRunning(initial);
        return new GuestMachine(state, globalState, clock);
    }

    /// <summary>
    /// Writes all of guest RAM to <paramref name="path"/> (created 0600: it is the guest's memory),
    /// on a thread of its own. Only while no migration is loading into RAM.
    /// </summary>
    public Task DumpRamAsync(string path) => DedicatedThread.RunAsync("guest RAM dump", () =>
    {
        using SafeFileHandle file = PrivateOutputFile.Open(path);
        const int Chunk = 8 << 20;
        for (long offset = 0; offset < Ram.Size; offset += Chunk)
        {
            int length = (int)Math.Min(Chunk, Ram.Size - offset);
            RandomAccess.Write(file, Ram.GetSpan(offset, length), offset);
        }
    });

    /// <summary>Unmaps RAM. Only once no migration job uses it any more.</summary>
    public void Dispose() => State.Dispose();
}
