using System;
using System.IO;
using QapiGen.Migration.Machine;
using Xunit;

namespace QapiGen.Migration.Tests;

/// <summary>Machines with recognisable RAM and devices, and the checks tests make on them.</summary>
internal static class TestMachines
{
    public const long RamSize = 64L << 20;

    /// <summary>A source: RAM with random pages, zero pages and runs of each; three devices.</summary>
    public static MachineState Source(int seed = 1, long size = RamSize, RunState state = RunState.Paused)
    {
        GuestRam ram = GuestRam.Allocate(size);
        var random = new Random(seed);
        for (long page = 0; page < ram.PageCount; page++)
        {
            // Zero pages alone (every 61st), in runs of 16, and the whole last eighth
            // (whole zero chunks). Not more scattered than that: in mapped-ram every
            // zero page is a hole, and thousands of extents make file deletion slow.
            if (page % 61 == 0 || (page / 16) % 7 == 3 || page >= ram.PageCount * 7 / 8)
            {
                continue;
            }

            random.NextBytes(ram.GetPage(page));
        }

        return new MachineState(ram, Devices(seed), state);
    }

    /// <summary>A destination with the same device layout but different device contents.</summary>
    public static MachineState Destination(long size = RamSize) =>
        new(GuestRam.Allocate(size), Devices(seed: 999), RunState.InMigrate);

    public static DeviceState[] Devices(int seed)
    {
        var random = new Random(seed);
        byte[] Bytes(int n)
        {
            byte[] b = new byte[n];
            random.NextBytes(b);
            return b;
        }

        return
        [
            new DeviceState("timer", 0, 2, Bytes(24)),
            new DeviceState("serial", 0, 1, Bytes(300)),
            new DeviceState("serial", 1, 1, Bytes(2 << 20)),
        ];
    }

    public static void AssertSameRam(GuestRam expected, GuestRam actual)
    {
        Assert.Equal(expected.Size, actual.Size);
        const int Step = 1 << 20;
        for (long offset = 0; offset < expected.Size; offset += Step)
        {
            if (!expected.GetSpan(offset, Step).SequenceEqual(actual.GetSpan(offset, Step)))
            {
                for (long page = offset >> GuestRam.PageShift; ; page++)
                {
                    if (!expected.GetPage(page).SequenceEqual(actual.GetPage(page)))
                    {
                        Assert.Fail($"RAM differs at page {page}");
                    }
                }
            }
        }
    }

    public static void AssertSameDevices(MachineState expected, MachineState actual)
    {
        Assert.Equal(expected.Devices.Count, actual.Devices.Count);
        for (int i = 0; i < expected.Devices.Count; i++)
        {
            Assert.Equal(expected.Devices[i].Save(), actual.Devices[i].Save());
        }
    }

    /// <summary>A copy of all of RAM, to prove the source's RAM is intact after a failure.</summary>
    public static byte[] Snapshot(GuestRam ram) => ram.GetSpan(0, checked((int)ram.Size)).ToArray();

    public static string TempPath(string name) =>
        Path.Combine(Path.GetTempPath(), $"qapigen-mig-{Environment.ProcessId}-{Guid.NewGuid():N}-{name}");
}
