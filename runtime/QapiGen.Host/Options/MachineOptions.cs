using QapiGen.Migration.Machine;

namespace QapiGen.Host.Options;

/// <summary>The machine the host runs: how much guest RAM, where it lives, and the test hooks that fill and dump it.</summary>
public sealed record MachineOptions
{
    /// <summary>QEMU's default for x86 machines.</summary>
    public const long DefaultRamSize = 128L << 20;

    /// <summary><c>-m SIZE</c> (or the size of the memory backend).</summary>
    public long RamSize { get; init; } = DefaultRamSize;

    /// <summary>Anonymous memory, or a memfd (<c>-object memory-backend-memfd</c>).</summary>
    public GuestRamBacking RamBacking { get; init; } = GuestRamBacking.Anonymous;

    /// <summary>
    /// <c>--ram-from FILE</c>: RAM starts with the first RamSize bytes of FILE instead of zeros,
    /// so tests and benchmarks can migrate known (e.g. random) contents.
    /// </summary>
    public string? RamFrom { get; init; }

    /// <summary>
    /// <c>--ram-dump-on-exit FILE</c>: write guest RAM to FILE when the host exits, so a test can
    /// compare what a separate destination process received byte for byte.
    /// </summary>
    public string? RamDumpOnExit { get; init; }

    public static MachineOptions Default { get; } = new();
}
