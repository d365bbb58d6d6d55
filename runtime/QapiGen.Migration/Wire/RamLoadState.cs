using System.Threading;
using QapiGen.Migration.Machine;

namespace QapiGen.Migration.Wire;

/// <summary>
/// The destination's view of RAM during a load: which pages it has written.
/// RAM is discarded to zero before loading, so a zero marker only costs work
/// for a page that an earlier pass filled.
/// </summary>
internal sealed class RamLoadState
{
    private readonly ulong[] _loaded;
    private long _normalPages;

    public RamLoadState(GuestRam ram)
    {
        Ram = ram;
        _loaded = new ulong[(ram.PageCount + 63) / 64];
    }

    public GuestRam Ram { get; }

    /// <summary>Non-zero pages received over all channels.</summary>
    public long NormalPages => Interlocked.Read(ref _normalPages);

    public void AddNormalPages(long count) => Interlocked.Add(ref _normalPages, count);

    // A 256-page chunk owns whole words of the bitmap, and a chunk always travels on
    // the same multifd channel, so no two threads touch the same word.
    public bool IsLoaded(long page) => (_loaded[page >> 6] & (1UL << (int)(page & 63))) != 0;

    public void MarkLoaded(long page) => _loaded[page >> 6] |= 1UL << (int)(page & 63);
}
