using System;
using System.Globalization;
using System.Runtime.InteropServices;
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
/// of fresh memory took 22.5 ms in 4 KiB pages and 0.65 ms in huge pages there (tests/native/fresh-pages.c).</para>
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
        Span<byte> text = stackalloc byte[64];
        int length = ReadPseudoFile(ThpDirectory + "enabled", text);
        if (length <= 0 || text.Slice(0, length).IndexOf("[never]"u8) >= 0)
        {
            return 0;
        }

        length = ReadPseudoFile(ThpDirectory + "hpage_pmd_size", text);
        return length > 0
            && long.TryParse(text.Slice(0, length).TrimEnd((byte)'\n'), NumberStyles.None, CultureInfo.InvariantCulture, out long size)
            && size > 0 && (size & (size - 1)) == 0 ? size : 0;
    }

    /// <summary>
    /// The end of the run of contiguous anonymous mappings, each inaccessible (<c>---p</c>) or readable
    /// and writable (<c>rw-p</c>), that holds <paramref name="address"/>; 0 if no such mapping holds it.
    /// </summary>
    /// <remarks>
    /// <c>/proc/self/maps</c> is read through a small buffer with read(2), a line at a time: this runs
    /// before anything else in the process and should cost it neither a file stream nor a string.
    /// </remarks>
    internal static long ReservationEnd(long address)
    {
        int fd = Libc.Open("/proc/self/maps", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return 0;
        }

        try
        {
            Span<byte> buffer = stackalloc byte[8192];
            long end = 0;
            int filled = 0;
            bool endOfFile = false;
            while (!endOfFile)
            {
                int read = ReadSome(fd, buffer.Slice(filled));
                if (read < 0)
                {
                    return 0;
                }

                endOfFile = read == 0;
                filled += read;
                int consumed = 0;
                while (consumed < filled)
                {
                    int newline = buffer.Slice(consumed, filled - consumed).IndexOf((byte)'\n');
                    if (newline < 0 && !endOfFile)
                    {
                        break;
                    }

                    int length = newline < 0 ? filled - consumed : newline;
                    ReadOnlySpan<byte> line = buffer.Slice(consumed, length);
                    consumed += newline < 0 ? length : length + 1;
                    if (!TryParseMapping(line, out long from, out long to, out bool heapLike))
                    {
                        return 0;
                    }

                    if (end == 0)
                    {
                        // Not yet in the run: the mapping that holds the address starts it.
                        if (from <= address && address < to)
                        {
                            if (!heapLike)
                            {
                                return 0;
                            }

                            end = to;
                        }
                    }
                    else if (from == end && heapLike)
                    {
                        end = to;
                    }
                    else
                    {
                        return end;
                    }
                }

                buffer.Slice(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (filled == buffer.Length)
                {
                    return 0; // A line longer than the buffer: not a mapping this reads.
                }
            }

            return end;
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }

    /// <summary>
    /// One line of <c>/proc/PID/maps</c>: <c>FROM-TO PERMS OFFSET DEV INODE [PATH]</c>, addresses in hex.
    /// <paramref name="heapLike"/>: private, anonymous (no inode, no path, so not <c>[stack]</c> either)
    /// and inaccessible or readable and writable only.
    /// </summary>
    internal static bool TryParseMapping(ReadOnlySpan<byte> line, out long from, out long to, out bool heapLike)
    {
        from = to = 0;
        heapLike = false;
        ReadOnlySpan<byte> range = NextField(ref line);
        ReadOnlySpan<byte> permissions = NextField(ref line);
        _ = NextField(ref line); // offset
        ReadOnlySpan<byte> device = NextField(ref line);
        ReadOnlySpan<byte> inode = NextField(ref line);
        int dash = range.IndexOf((byte)'-');
        if (inode.IsEmpty || device.IsEmpty || dash < 0
            || !long.TryParse(range.Slice(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out from)
            || !long.TryParse(range.Slice(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out to))
        {
            return false;
        }

        heapLike = NextField(ref line).IsEmpty && inode.SequenceEqual("0"u8)
            && (permissions.SequenceEqual("---p"u8) || permissions.SequenceEqual("rw-p"u8));
        return true;
    }

    /// <summary>The next field of <paramref name="line"/> (fields are separated by spaces), which is left after it.</summary>
    private static ReadOnlySpan<byte> NextField(ref ReadOnlySpan<byte> line)
    {
        line = line.TrimStart((byte)' ');
        int space = line.IndexOf((byte)' ');
        ReadOnlySpan<byte> field = space < 0 ? line : line.Slice(0, space);
        line = line.Slice(field.Length);
        return field;
    }

    /// <summary>A small file of the kernel's (sysfs) whole into <paramref name="buffer"/>: its length, or -1.</summary>
    private static int ReadPseudoFile(string path, Span<byte> buffer)
    {
        int fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return -1;
        }

        try
        {
            int filled = 0;
            int read;
            while (filled < buffer.Length && (read = ReadSome(fd, buffer.Slice(filled))) != 0)
            {
                if (read < 0)
                {
                    return -1;
                }

                filled += read;
            }

            return filled;
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }

    /// <summary>read(2) into <paramref name="buffer"/>, retried on EINTR: the count, 0 at the end, -1 on an error.</summary>
    private static int ReadSome(int fd, Span<byte> buffer)
    {
        fixed (byte* at = buffer)
        {
            while (true)
            {
                nint read = Libc.Read(fd, at, (nuint)buffer.Length);
                if (read >= 0 || Marshal.GetLastPInvokeError() != Libc.EINTR)
                {
                    return (int)Math.Max(read, -1);
                }
            }
        }
    }
}
