using System;
using System.Buffers.Binary;

namespace QapiGen.Migration.Format;

/// <summary>
/// Payload of the <see cref="RecordType.End"/> record that closes each channel.
/// The reader compares the counts with what it received, so a lost chunk or a
/// missing device section is an error even when every record checksum is good.
/// </summary>
/// <param name="ChunkRecords">RAM chunk records this channel carried.</param>
/// <param name="NormalPages">Non-zero pages this channel carried.</param>
/// <param name="TotalNormalPages">On the main channel: non-zero pages over all channels.</param>
/// <param name="DeviceRecords">Device records this channel carried.</param>
internal readonly record struct EndRecord(long ChunkRecords, long NormalPages, long TotalNormalPages, int DeviceRecords)
{
    public const int PayloadSize = 28;

    public void Encode(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, ChunkRecords);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], NormalPages);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], TotalNormalPages);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], DeviceRecords);
    }

    public static EndRecord Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != PayloadSize)
        {
            throw new MigrationStreamException(MigrationStreamError.Malformed,
                $"Malformed end record: {payload.Length} bytes instead of {PayloadSize}");
        }

        return new EndRecord(
            BinaryPrimitives.ReadInt64LittleEndian(payload),
            BinaryPrimitives.ReadInt64LittleEndian(payload[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(payload[24..]));
    }
}
