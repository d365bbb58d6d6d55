using System;
using System.Runtime.CompilerServices;
using QapiGen.Migration.Format;
using QapiGen.Migration.Machine;

namespace QapiGen.Migration.Wire;

/// <summary>
/// Sorts the pages of one 256-page chunk into "send data", "send as zero" and
/// "skip". Shared by the stream writer and mapped-ram.
/// </summary>
internal sealed class ChunkScan
{
    private readonly ulong[] _pagemapScratch = new ulong[StreamFormat.ChunkPages];
    private readonly bool[] _knownZero = new bool[StreamFormat.ChunkPages];
    private bool _useHint = true;

    /// <summary>Pages whose contents must be sent.</summary>
    public bool[] Data { get; } = new bool[StreamFormat.ChunkPages];

    /// <summary>Pages the destination must make zero (only in passes after the first).</summary>
    public bool[] Zero { get; } = new bool[StreamFormat.ChunkPages];

    public int DataCount { get; private set; }

    public int ZeroCount { get; private set; }

    /// <summary>Pages looked at and found zero (QEMU's "duplicate" counter).</summary>
    public int DuplicateCount { get; private set; }

    public int PageCount { get; private set; }

    /// <summary>
    /// Scans pages [firstPage, firstPage + count). <c>dirty</c> is null for a first
    /// pass (every page; zero pages skipped because the destination starts zeroed);
    /// otherwise it is the dirty bitmap, and dirty zero pages become zero markers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void Scan(GuestRam ram, long firstPage, int count, ulong[]? dirty)
    {
        PageCount = count;
        DataCount = 0;
        ZeroCount = 0;
        DuplicateCount = 0;
        // The kernel's "never written" hint costs a pagemap read per chunk. It pays off
        // where RAM is zero, so it is skipped after a chunk that had no zero page (random
        // data) and used again after one that had (reading untouched pages to check them
        // would fault each one in).
        Span<bool> knownZero = _knownZero.AsSpan(0, count);
        bool hinted = dirty is null && _useHint && ram.TryGetKnownZero(firstPage, _pagemapScratch, knownZero);
        byte* basePointer = ram.Pointer + (firstPage << GuestRam.PageShift);
        for (int i = 0; i < count; i++)
        {
            Data[i] = false;
            Zero[i] = false;
            long page = firstPage + i;
            if (dirty is not null && (dirty[page >> 6] & (1UL << (int)(page & 63))) == 0)
            {
                continue;
            }

            bool zero = (hinted && knownZero[i]) || ZeroPage.IsZero(basePointer + ((long)i << GuestRam.PageShift));
            if (zero)
            {
                DuplicateCount++;
                if (dirty is not null)
                {
                    Zero[i] = true;
                    ZeroCount++;
                }

                continue;
            }

            Data[i] = true;
            DataCount++;
        }

        _useHint = DuplicateCount > 0;
    }

    /// <summary>Whether any dirty bit is set in [first, first+count).</summary>
    public static bool AnyDirty(ulong[] dirty, long firstPage, int count)
    {
        // Chunks are 256-page aligned, so they cover whole words.
        for (long word = firstPage >> 6; word < (firstPage + count + 63) >> 6; word++)
        {
            if (dirty[word] != 0)
            {
                return true;
            }
        }

        return false;
    }
}
