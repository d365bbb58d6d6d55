using System;
using System.Buffers.Binary;
using QapiGen.Migration.Format;
using QapiGen.Migration.Integrity;
using QapiGen.Migration.Machine;

namespace QapiGen.Migration.MappedRam;

/// <summary>
/// The 4 KiB block at the start of a mapped-ram file. It is written last, so a
/// file whose source failed half-way has no valid header and is refused.
/// All offsets are relative to the start of the migration data (the
/// <c>offset=</c> of <c>file:PATH,offset=N</c>).
/// </summary>
internal sealed record MappedRamHeader(
    long RamSize,
    long BitmapOffset,
    long BitmapLength,
    long ChecksumTableOffset,
    long BlockCount,
    long PageAreaOffset,
    long DeviceAreaOffset,
    long DeviceAreaLength,
    long NormalPages,
    uint BitmapCrc,
    uint ChecksumTableCrc)
{
    public long PageCount => RamSize >> GuestRam.PageShift;

    public long RequiredLength => DeviceAreaOffset + DeviceAreaLength;

    /// <summary>The layout for RAM of <paramref name="ramSize"/> bytes, before the counts are known.</summary>
    public static MappedRamHeader ForRam(long ramSize)
    {
        long pages = ramSize >> GuestRam.PageShift;
        long bitmapLength = (pages + 7) / 8;
        long blocks = (pages + StreamFormat.ChunkPages - 1) / StreamFormat.ChunkPages;
        long tableOffset = AlignUp(StreamFormat.MappedRamHeaderSize + bitmapLength, 8);
        long pageArea = AlignUp(tableOffset + (blocks * 4), StreamFormat.MappedRamAlignment);
        return new MappedRamHeader(ramSize, StreamFormat.MappedRamHeaderSize, bitmapLength, tableOffset, blocks,
            pageArea, pageArea + ramSize, 0, 0, 0, 0);
    }

    public void Encode(Span<byte> block)
    {
        block = block[..StreamFormat.MappedRamHeaderSize];
        block.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(block, StreamFormat.MappedRamMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], StreamFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(block[16..], GuestRam.PageSize);
        BinaryPrimitives.WriteUInt32LittleEndian(block[20..], StreamFormat.ChunkPages);
        BinaryPrimitives.WriteInt64LittleEndian(block[24..], RamSize);
        BinaryPrimitives.WriteInt64LittleEndian(block[32..], BitmapOffset);
        BinaryPrimitives.WriteInt64LittleEndian(block[40..], BitmapLength);
        BinaryPrimitives.WriteInt64LittleEndian(block[48..], ChecksumTableOffset);
        BinaryPrimitives.WriteInt64LittleEndian(block[56..], BlockCount);
        BinaryPrimitives.WriteInt64LittleEndian(block[64..], PageAreaOffset);
        BinaryPrimitives.WriteInt64LittleEndian(block[72..], DeviceAreaOffset);
        BinaryPrimitives.WriteInt64LittleEndian(block[80..], DeviceAreaLength);
        BinaryPrimitives.WriteInt64LittleEndian(block[88..], NormalPages);
        BinaryPrimitives.WriteUInt32LittleEndian(block[96..], BitmapCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(block[100..], ChecksumTableCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(block[^4..], Crc32C.Compute(block[..^4]));
    }

    public static MappedRamHeader Decode(ReadOnlySpan<byte> block, long expectedRamSize)
    {
        ulong magic = BinaryPrimitives.ReadUInt64LittleEndian(block);
        if (magic == 0 && block.IndexOfAnyExcept((byte)0) < 0)
        {
            throw new MigrationStreamException(MigrationStreamError.Truncated,
                "Incomplete mapped-ram migration file: its header was never written (the source failed or was cancelled)");
        }

        if (magic == StreamFormat.StreamMagic)
        {
            throw new MigrationStreamException(MigrationStreamError.BadMagic,
                "The file holds a sequential migration stream, not a mapped-ram one: disable capability 'mapped-ram' on the destination");
        }

        if (magic != StreamFormat.MappedRamMagic)
        {
            throw new MigrationStreamException(MigrationStreamError.BadMagic, "Not a QapiGen mapped-ram migration file (bad magic)");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(block[8..]);
        if (version != StreamFormat.Version)
        {
            throw new MigrationStreamException(MigrationStreamError.VersionMismatch,
                $"Unsupported mapped-ram file version {version}: this host reads version {StreamFormat.Version}");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(block[^4..]) != Crc32C.Compute(block[..^4]))
        {
            throw new MigrationStreamException(MigrationStreamError.BadChecksum, "Mapped-ram file header checksum mismatch: the file is corrupted");
        }

        uint pageSize = BinaryPrimitives.ReadUInt32LittleEndian(block[16..]);
        if (pageSize != GuestRam.PageSize || BinaryPrimitives.ReadUInt32LittleEndian(block[20..]) != StreamFormat.ChunkPages)
        {
            throw new MigrationStreamException(MigrationStreamError.PageSizeMismatch,
                $"Mapped-ram file page size {pageSize} differs from this host's {GuestRam.PageSize}");
        }

        long ramSize = BinaryPrimitives.ReadInt64LittleEndian(block[24..]);
        if (ramSize != expectedRamSize)
        {
            throw new MigrationStreamException(MigrationStreamError.RamSizeMismatch,
                $"RAM size mismatch: the file carries {Machine.RamSize.Format(ramSize)} ({ramSize} bytes) but this machine has {Machine.RamSize.Format(expectedRamSize)} ({expectedRamSize} bytes)");
        }

        var header = new MappedRamHeader(ramSize,
            BinaryPrimitives.ReadInt64LittleEndian(block[32..]),
            BinaryPrimitives.ReadInt64LittleEndian(block[40..]),
            BinaryPrimitives.ReadInt64LittleEndian(block[48..]),
            BinaryPrimitives.ReadInt64LittleEndian(block[56..]),
            BinaryPrimitives.ReadInt64LittleEndian(block[64..]),
            BinaryPrimitives.ReadInt64LittleEndian(block[72..]),
            BinaryPrimitives.ReadInt64LittleEndian(block[80..]),
            BinaryPrimitives.ReadInt64LittleEndian(block[88..]),
            BinaryPrimitives.ReadUInt32LittleEndian(block[96..]),
            BinaryPrimitives.ReadUInt32LittleEndian(block[100..]));
        MappedRamHeader expected = ForRam(ramSize);
        if (header.BitmapOffset != expected.BitmapOffset || header.BitmapLength != expected.BitmapLength
            || header.ChecksumTableOffset != expected.ChecksumTableOffset || header.BlockCount != expected.BlockCount
            || header.PageAreaOffset != expected.PageAreaOffset || header.DeviceAreaOffset != expected.DeviceAreaOffset
            || header.DeviceAreaLength is < 0 or > 1L << 30)
        {
            throw new MigrationStreamException(MigrationStreamError.Malformed, "Mapped-ram file header describes an impossible layout");
        }

        return header;
    }

    private static long AlignUp(long value, long alignment) => (value + alignment - 1) / alignment * alignment;
}
