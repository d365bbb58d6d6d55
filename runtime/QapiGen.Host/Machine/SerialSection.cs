using QapiGen.Migration.Machine;

namespace QapiGen.Host.Machine;

/// <summary>
/// The <c>serial</c> section: a 16550 UART's registers as they are after reset. Nothing changes
/// them (the host has no guest driving the UART); the section exists so every migration carries
/// a versioned device a destination must know, with QEMU's version rule (a destination refuses a
/// section newer than its own).
/// </summary>
public static class SerialSection
{
    public const string SectionName = "serial";

    /// <summary>Version 2: divisor latch, IER, IIR, LCR, MCR, LSR, MSR, scratch.</summary>
    public const uint Version = 2;

    public static DeviceState Create() =>
        new(SectionName, 0, Version, [0x0c, 0x00, 0x00, 0x01, 0x03, 0x08, 0x60, 0xb0, 0x00]);
}
