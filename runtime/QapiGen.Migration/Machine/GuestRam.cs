using System;
using System.IO;
using System.Threading;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;

namespace QapiGen.Migration.Machine;

/// <summary>
/// The guest's RAM: one contiguous mmap'd region, 4 KiB pages, with dirty
/// logging for iterative pre-copy.
/// </summary>
/// <remarks>
/// The memory is mapped rather than allocated on the GC heap so that 1 GiB costs
/// nothing until touched, can be discarded back to zero in one <c>madvise</c>,
/// can back transparent huge pages, and can be written to files and sockets
/// straight from where it lives (no staging copy).
/// </remarks>
public sealed unsafe class GuestRam : IDisposable
{
    /// <summary>The migration page size (the target page size of x86 guests).</summary>
    public const int PageSize = 4096;

    /// <summary>log2 of <see cref="PageSize"/>.</summary>
    public const int PageShift = 12;

    private readonly SafeFileHandle? _memfd;
    private nint _base;
    private ulong[]? _dirty;
    private PageResidency? _residency;

    private GuestRam(nint address, long size, GuestRamBacking backing, SafeFileHandle? memfd)
    {
        _base = address;
        Size = size;
        Backing = backing;
        _memfd = memfd;
    }

    /// <summary>Size in bytes, a multiple of <see cref="PageSize"/>.</summary>
    public long Size { get; }

    /// <summary>Number of pages.</summary>
    public long PageCount => Size >> PageShift;

    /// <summary>How the memory is backed.</summary>
    public GuestRamBacking Backing { get; }

    /// <summary>The memfd behind <see cref="GuestRamBacking.Memfd"/> RAM (not owned by the caller).</summary>
    public SafeFileHandle? MemfdHandle => _memfd;

    /// <summary>Whether dirty logging is on (see <see cref="StartDirtyLog"/>).</summary>
    public bool DirtyLogActive => Volatile.Read(ref _dirty) is not null;

    internal byte* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_base == 0, this);
            return (byte*)_base;
        }
    }

    /// <summary>Allocates zeroed RAM of a QEMU-style size ("1G", "512M").</summary>
    public static GuestRam Allocate(string size, GuestRamBacking backing = GuestRamBacking.Anonymous) =>
        Allocate(RamSize.Parse(size), backing);

    /// <summary>Allocates zeroed RAM of <paramref name="size"/> bytes.</summary>
    public static GuestRam Allocate(long size, GuestRamBacking backing = GuestRamBacking.Anonymous)
    {
        if (size <= 0 || size % PageSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"RAM size must be a positive multiple of {PageSize}");
        }

        if (backing == GuestRamBacking.Anonymous)
        {
            nint address = Libc.MMap(0, (nuint)size, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0);
            if (address == Libc.MapFailed)
            {
                throw Errno.LastToException($"Unable to map {RamSize.Format(size)} of guest RAM");
            }

            // Huge pages mean 512x fewer faults when a destination fills RAM, and
            // reads of untouched RAM hit the huge zero page. Advice only: ignore failure.
            _ = Libc.MAdvise(address, (nuint)size, Libc.MADV_HUGEPAGE);
            var ram = new GuestRam(address, size, backing, null);
            ram._residency = PageResidency.Open(address);
            return ram;
        }

        int fd = Libc.MemFdCreate("qapigen-guest-ram", Libc.MFD_CLOEXEC);
        if (fd < 0)
        {
            throw Errno.LastToException("Unable to create the guest RAM memfd");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (Libc.FTruncate(fd, size) != 0)
            {
                throw Errno.LastToException($"Unable to size the guest RAM memfd to {RamSize.Format(size)}");
            }

            nint address = Libc.MMap(0, (nuint)size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
            if (address == Libc.MapFailed)
            {
                throw Errno.LastToException("Unable to map the guest RAM memfd");
            }

            return new GuestRam(address, size, backing, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>A writable view of <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    /// <remarks>Writes through the span bypass dirty logging; use <see cref="Write"/> or
    /// <see cref="MarkDirty"/> while a migration is running.</remarks>
    public Span<byte> GetSpan(long offset, int length)
    {
        CheckRange(offset, length);
        return new Span<byte>(Pointer + offset, length);
    }

    /// <summary>A view of one page.</summary>
    public Span<byte> GetPage(long pageIndex) => GetSpan(pageIndex << PageShift, PageSize);

    /// <summary>A <see cref="Memory{T}"/> over RAM, for async socket and stream I/O.</summary>
    public Memory<byte> GetMemory(long offset, int length)
    {
        CheckRange(offset, length);
        return new NativeMemoryManager(Pointer + offset, length).Memory;
    }

    /// <summary>Copies <paramref name="data"/> into RAM and marks the pages dirty.</summary>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        CheckRange(offset, data.Length);
        data.CopyTo(new Span<byte>(Pointer + offset, data.Length));
        MarkDirty(offset, data.Length);
    }

    /// <summary>Copies RAM into <paramref name="destination"/>.</summary>
    public void Read(long offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        new ReadOnlySpan<byte>(Pointer + offset, destination.Length).CopyTo(destination);
    }

    /// <summary>Whether page <paramref name="pageIndex"/> is all zero.</summary>
    public bool IsZeroPage(long pageIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pageIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pageIndex, PageCount);
        return ZeroPage.IsZero(Pointer + (pageIndex << PageShift));
    }

    /// <summary>
    /// Zeroes all of RAM cheaply by giving the pages back to the kernel; the
    /// destination does this before loading so that zero pages need no work.
    /// </summary>
    public void Discard()
    {
        int rc;
        if (Backing == GuestRamBacking.Anonymous)
        {
            rc = Libc.MAdvise((nint)Pointer, (nuint)Size, Libc.MADV_DONTNEED);
        }
        else
        {
            using SafeHandleLease lease = new(_memfd!);
            rc = Libc.FAllocate(lease.Fd, Libc.FALLOC_FL_PUNCH_HOLE | Libc.FALLOC_FL_KEEP_SIZE, 0, Size);
        }
        if (rc != 0)
        {
            // Discarding is an optimisation; zeroing by hand gives the same result.
            for (long offset = 0; offset < Size; offset += 1 << 30)
            {
                int length = (int)Math.Min(1L << 30, Size - offset);
                new Span<byte>(Pointer + offset, length).Clear();
            }
        }
    }

    /// <summary>
    /// Fills RAM from a file (tests and benchmarks use this to start from random
    /// data). The file must hold at least <see cref="Size"/> bytes from <paramref name="offset"/>.
    /// </summary>
    public void LoadFromFile(string path, long offset = 0)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        long available = RandomAccess.GetLength(handle) - offset;
        if (available < Size)
        {
            throw new IOException($"'{path}' holds {Math.Max(0, available)} bytes after offset {offset}; guest RAM needs {Size}");
        }

        const int Chunk = 8 << 20;
        for (long done = 0; done < Size;)
        {
            int length = (int)Math.Min(Chunk, Size - done);
            int read = RandomAccess.Read(handle, new Span<byte>(Pointer + done, length), offset + done);
            if (read <= 0)
            {
                throw new EndOfStreamException($"'{path}' ended while loading guest RAM");
            }

            done += read;
        }
    }

    /// <summary>Starts recording which pages are written through <see cref="Write"/> / <see cref="MarkDirty"/>.</summary>
    public void StartDirtyLog() => Volatile.Write(ref _dirty, new ulong[(PageCount + 63) / 64]);

    /// <summary>Stops dirty logging.</summary>
    public void StopDirtyLog() => Volatile.Write(ref _dirty, null);

    /// <summary>Marks the pages covering a byte range dirty, if logging is on.</summary>
    public void MarkDirty(long offset, long length)
    {
        ulong[]? dirty = Volatile.Read(ref _dirty);
        if (dirty is null || length <= 0)
        {
            return;
        }

        long first = offset >> PageShift;
        long last = (offset + length - 1) >> PageShift;
        for (long page = first; page <= last; page++)
        {
            Interlocked.Or(ref dirty[page >> 6], 1UL << (int)(page & 63));
        }
    }

    /// <summary>Puts bits taken by <see cref="SyncDirtyLog"/> back (they were not sent yet).</summary>
    public void MarkDirtyBitmap(ulong[] bits)
    {
        ArgumentNullException.ThrowIfNull(bits);
        ulong[]? dirty = Volatile.Read(ref _dirty);
        if (dirty is null)
        {
            return;
        }

        for (int i = 0; i < dirty.Length && i < bits.Length; i++)
        {
            if (bits[i] != 0)
            {
                Interlocked.Or(ref dirty[i], bits[i]);
            }
        }
    }

    /// <summary>
    /// Returns the pages dirtied since logging started or since the last call, and
    /// clears them (QEMU's "dirty sync").
    /// </summary>
    public ulong[] SyncDirtyLog()
    {
        ulong[]? dirty = Volatile.Read(ref _dirty) ?? throw new InvalidOperationException("Dirty logging is not active");
        ulong[] snapshot = new ulong[dirty.Length];
        for (int i = 0; i < dirty.Length; i++)
        {
            snapshot[i] = Interlocked.Exchange(ref dirty[i], 0);
        }

        return snapshot;
    }

    /// <summary>
    /// Fills <paramref name="knownZero"/> for pages starting at <paramref name="firstPage"/>
    /// from the kernel's page tables; false when no such hint is available.
    /// </summary>
    internal bool TryGetKnownZero(long firstPage, Span<ulong> scratch, Span<bool> knownZero) =>
        _residency is { Available: true } residency && residency.TryRead(firstPage, scratch, knownZero);

    /// <summary>
    /// Unmaps the RAM and closes the memfd. Only once no migration job uses the RAM any more
    /// (every job it was given to has completed): jobs read and write it by pointer.
    /// </summary>
    public void Dispose()
    {
        nint address = Interlocked.Exchange(ref _base, 0);
        if (address != 0)
        {
            _ = Libc.MUnmap(address, (nuint)Size);
        }

        _residency?.Dispose();
        _memfd?.Dispose();
    }

    private void CheckRange(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset > Size - length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Range [{offset}, +{length}) is outside guest RAM of {Size} bytes");
        }
    }
}
