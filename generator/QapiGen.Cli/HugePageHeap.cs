using System;
using System.Globalization;
using System.IO;
using QapiGen.Common;

namespace QapiGen.Cli;

/// <summary>
/// Backs the young generation of the GC heap with transparent huge pages, first thing in <c>Main</c>,
/// so that the memory a run allocates costs one page fault per huge page (2 MiB) instead of one per
/// 4 KiB page.
/// </summary>
/// <remarks>
/// <para>Why: a run of <c>qapigen</c> is short and most of what it allocates lives to its end (the
/// model), so its cost is mostly fresh memory. The first touch of each page traps into the kernel, and
/// on a virtual machine that shadows the guest's page tables each trap costs 10-16 us: the 5 MB a
/// <c>check</c> of QEMU's schema allocates took 1,250 faults, a third of its wall time. Touching 8 MiB
/// of fresh memory took 24 ms in 4 KiB pages and 0.7 ms in huge pages there (docs/native.md).</para>
/// <para>How: in the kernel's default mode (<c>madvise</c>) a fault maps a huge page only inside one
/// mapping that is advised <c>MADV_HUGEPAGE</c> and readable and writable over the whole aligned huge
/// page. The GC reserves its heap as one inaccessible mapping and commits it 64 KiB at a time
/// (<c>mprotect</c>, then <c>MADV_DODUMP</c>, the reservation being <c>MADV_DONTDUMP</c>), so when a
/// fault comes the writable part never spans an aligned huge page, and each commit's advice splits the
/// mapping further. So, from the huge page holding this thread's allocation context on, for
/// <c>length</c> bytes of the GC's reservation, this commits the memory itself (read and write), marks
/// it dumpable and advises huge pages: the GC's own later commits of that memory then change nothing.
/// Memory never touched stays unbacked. The first huge page, which the runtime's start has partly
/// touched in 4 KiB pages, is collapsed into one (<c>MADV_COLLAPSE</c>, Linux 6.1; best effort).</para>
/// <para>Safety: only the GC's reservation is changed. The range must lie in one run of contiguous
/// anonymous mappings, each inaccessible or readable and writable, that holds a freshly allocated
/// object; the GC reserves tens of gigabytes at once and hands its young generation regions out from
/// the low end, so such a run is its reservation. The GC's accounting is its own (it counts what it
/// committed; what it decommits later is decommitted as usual). Any failure leaves the heap as the
/// runtime made it: this is a speed-up, never needed. <c>QAPIGEN_HUGE_PAGES=0</c> turns it off.</para>
/// </remarks>
internal static unsafe class HugePageHeap
{
    private const string ThpDirectory = "/sys/kernel/mm/transparent_hugepage/";

    /// <summary>
    /// Prepares <paramref name="length"/> bytes of the young generation (rounded down to huge pages) and
    /// returns how many were prepared: 0 when the kernel has no transparent huge pages, they are
    /// disabled, the variable says no, or the heap is not laid out as described.
    /// </summary>
    public static long Prepare(long length)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("QAPIGEN_HUGE_PAGES") == "0")
        {
            return 0;
        }

        long hugePage = HugePageSize();
        if (hugePage <= 0)
        {
            return 0;
        }

        // Where this thread allocates now: the object is fresh, so it sits at the allocation context.
        byte[] probe = new byte[1];
        long address;
        fixed (byte* at = probe)
        {
            address = (long)at;
        }

        long start = address & ~(hugePage - 1);
        long end = (start + length) & ~(hugePage - 1);
        if (end <= start || ReservationEnd(start) < end)
        {
            return 0;
        }

        nuint size = (nuint)(end - start);
        if (Libc.MProtect((nint)start, size, Libc.PROT_READ | Libc.PROT_WRITE) != 0
            || Libc.MAdvise((nint)start, size, Libc.MADV_DODUMP) != 0
            || Libc.MAdvise((nint)start, size, Libc.MADV_HUGEPAGE) != 0)
        {
            return 0;
        }

        _ = Libc.MAdvise((nint)start, (nuint)hugePage, Libc.MADV_COLLAPSE);
        return end - start;
    }

    /// <summary>
    /// The huge page size (<c>hpage_pmd_size</c>), or 0 if the kernel has no transparent huge pages or
    /// they are set to <c>never</c>.
    /// </summary>
    private static long HugePageSize()
    {
        try
        {
            if (File.ReadAllText(ThpDirectory + "enabled").Contains("[never]", StringComparison.Ordinal))
            {
                return 0;
            }

            long size = long.Parse(File.ReadAllText(ThpDirectory + "hpage_pmd_size").Trim(), CultureInfo.InvariantCulture);
            return size > 0 && (size & (size - 1)) == 0 ? size : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return 0;
        }
    }

    /// <summary>
    /// The end of the run of contiguous anonymous mappings, each inaccessible (<c>---p</c>) or readable
    /// and writable (<c>rw-p</c>), that holds <paramref name="address"/>; 0 if no such mapping holds it.
    /// </summary>
    internal static long ReservationEnd(long address)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/maps");
        }
        catch (IOException)
        {
            return 0;
        }

        long end = 0;
        foreach (string line in lines)
        {
            if (!TryParseMapping(line, out long from, out long to, out bool heapLike))
            {
                return 0;
            }

            if (end == 0)
            {
                // Not yet in the run: look for the mapping that holds the address.
                if (from <= address && address < to)
                {
                    if (!heapLike)
                    {
                        return 0;
                    }

                    end = to;
                }

                continue;
            }

            if (from != end || !heapLike)
            {
                break;
            }

            end = to;
        }

        return end;
    }

    /// <summary>
    /// One line of <c>/proc/PID/maps</c>: <c>FROM-TO PERMS OFFSET DEV INODE [PATH]</c>, addresses in hex.
    /// <paramref name="heapLike"/>: private, anonymous (no inode, no path, so not <c>[stack]</c> either)
    /// and inaccessible or readable and writable only.
    /// </summary>
    internal static bool TryParseMapping(string line, out long from, out long to, out bool heapLike)
    {
        from = to = 0;
        heapLike = false;
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int dash = fields.Length >= 5 ? fields[0].IndexOf('-', StringComparison.Ordinal) : -1;
        if (dash < 0
            || !long.TryParse(fields[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out from)
            || !long.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out to))
        {
            return false;
        }

        heapLike = fields.Length == 5 && fields[4] == "0" && fields[1] is "---p" or "rw-p";
        return true;
    }
}
