using System.Threading.Tasks;
using QapiGen.Migration.Machine;

namespace QapiGen.Migration.Integrity;

/// <summary>
/// The CRC of a run of guest pages, computed on another core while the same
/// pages are being written.
/// </summary>
/// <remarks>
/// Only for RAM that cannot change (the guest is stopped), so the checksum
/// taken beside the write is the checksum of what was written. Writing and
/// checksumming both only read the pages; run one after the other they cost
/// about a third more than the write alone on a file in the page cache.
/// </remarks>
internal static class PageRunCrc
{
    /// <summary>Below this, a thread-pool hop costs more than it saves.</summary>
    public const int MinimumLength = 128 << 10;

    /// <summary>Starts <c>Crc32C.Update(state, RAM[offset, offset + length))</c> on the thread pool.</summary>
    public static Task<uint> Start(uint state, GuestRam ram, long offset, int length) =>
        Task.Run(() => Crc32C.Update(state, ram.GetSpan(offset, length)));
}
