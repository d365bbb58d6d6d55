using System;
using System.Buffers.Binary;
using QapiGen.Migration.Integrity;
using QapiGen.Migration.Machine;

namespace QapiGen.Migration.Format;

/// <summary>
/// The 64 bytes that open every stream channel. Multifd channels may be
/// accepted in any order, so each names its index, the channel count and the
/// session it belongs to.
/// </summary>
internal readonly record struct ChannelHeader(
    ushort ChannelIndex,
    ushort ChannelCount,
    long RamSize,
    Guid Session)
{
    public void Encode(Span<byte> destination)
    {
        Span<byte> h = destination[..StreamFormat.ChannelHeaderSize];
        h.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(h, StreamFormat.StreamMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], StreamFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], 0); // flags: none defined in version 1
        BinaryPrimitives.WriteUInt16LittleEndian(h[16..], ChannelIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(h[18..], ChannelCount);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], GuestRam.PageSize);
        BinaryPrimitives.WriteInt64LittleEndian(h[24..], RamSize);
        Session.TryWriteBytes(h[32..48]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[60..], Crc32C.Compute(h[..60]));
    }

    /// <summary>Decodes and checks a header against the machine that will load it.</summary>
    public static ChannelHeader Decode(ReadOnlySpan<byte> h, long expectedRamSize)
    {
        ulong magic = BinaryPrimitives.ReadUInt64LittleEndian(h);
        if (magic == StreamFormat.MappedRamMagic)
        {
            throw new MigrationStreamException(MigrationStreamError.BadMagic,
                "The file holds a mapped-ram migration: enable capability 'mapped-ram' on the destination");
        }

        if (magic != StreamFormat.StreamMagic)
        {
            throw new MigrationStreamException(MigrationStreamError.BadMagic,
                "Not a QapiGen migration stream (bad magic in the channel header)");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(h[8..]);
        if (version != StreamFormat.Version)
        {
            throw new MigrationStreamException(MigrationStreamError.VersionMismatch,
                $"Unsupported migration stream version {version}: this host reads version {StreamFormat.Version}");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(h[60..]) != Crc32C.Compute(h[..60]))
        {
            throw new MigrationStreamException(MigrationStreamError.BadChecksum,
                "Migration stream channel header checksum mismatch");
        }

        uint pageSize = BinaryPrimitives.ReadUInt32LittleEndian(h[20..]);
        if (pageSize != GuestRam.PageSize)
        {
            throw new MigrationStreamException(MigrationStreamError.PageSizeMismatch,
                $"Migration stream page size {pageSize} differs from this host's {GuestRam.PageSize}");
        }

        long ramSize = BinaryPrimitives.ReadInt64LittleEndian(h[24..]);
        if (ramSize != expectedRamSize)
        {
            throw new MigrationStreamException(MigrationStreamError.RamSizeMismatch,
                $"RAM size mismatch: the stream carries {Machine.RamSize.Format(ramSize)} ({ramSize} bytes) but this machine has {Machine.RamSize.Format(expectedRamSize)} ({expectedRamSize} bytes)");
        }

        ushort index = BinaryPrimitives.ReadUInt16LittleEndian(h[16..]);
        ushort count = BinaryPrimitives.ReadUInt16LittleEndian(h[18..]);
        if (count == 0 || index >= count)
        {
            throw new MigrationStreamException(MigrationStreamError.Malformed,
                $"Migration stream channel header names channel {index} of {count}");
        }

        return new ChannelHeader(index, count, ramSize, new Guid(h[32..48]));
    }
}
