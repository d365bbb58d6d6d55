using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using QapiGen.Migration.Integrity;

namespace QapiGen.Migration.Format;

/// <summary>
/// Framing of small records held whole in memory (device sections, end
/// markers, the mapped-ram device area): header, payload, CRC32C trailer.
/// </summary>
internal static class RecordCodec
{
    public static void WriteHeader(Span<byte> destination, RecordType type, int payloadLength)
    {
        destination[..StreamFormat.RecordHeaderSize].Clear();
        destination[0] = (byte)type;
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], payloadLength);
    }

    /// <summary>Reads and sanity-checks a record header.</summary>
    public static (RecordType Type, int PayloadLength) ReadHeader(ReadOnlySpan<byte> header)
    {
        var type = (RecordType)header[0];
        int length = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (header[1] != 0 || header[2] != 0 || header[3] != 0 || length < 0 || length > StreamFormat.MaxPayloadSize)
        {
            throw new MigrationStreamException(MigrationStreamError.Malformed,
                $"Malformed record header (type {header[0]}, length {length}): the stream is corrupted");
        }

        if (type is not (RecordType.RamChunk or RecordType.Device or RecordType.End))
        {
            throw new MigrationStreamException(MigrationStreamError.Malformed,
                $"Unknown record type {header[0]}: the stream is corrupted or from a newer version");
        }

        return (type, length);
    }

    /// <summary>Encodes a whole record (header, payload, trailer).</summary>
    public static byte[] Encode(RecordType type, int payloadLength, SpanAction<byte> writePayload)
    {
        byte[] record = new byte[StreamFormat.RecordHeaderSize + payloadLength + StreamFormat.RecordTrailerSize];
        WriteHeader(record, type, payloadLength);
        writePayload(record.AsSpan(StreamFormat.RecordHeaderSize, payloadLength));
        int body = StreamFormat.RecordHeaderSize + payloadLength;
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(body), Crc32C.Compute(record.AsSpan(0, body)));
        return record;
    }

    public static byte[] EncodeDevice(DeviceRecord device) =>
        Encode(RecordType.Device, device.PayloadSize, device.Encode);

    public static byte[] EncodeEnd(EndRecord end) =>
        Encode(RecordType.End, EndRecord.PayloadSize, end.Encode);

    /// <summary>Splits a buffer of whole records, checking each checksum.</summary>
    public static List<(RecordType Type, byte[] Payload)> DecodeAll(ReadOnlySpan<byte> buffer, string where)
    {
        var records = new List<(RecordType, byte[])>();
        while (buffer.Length > 0)
        {
            if (buffer.Length < StreamFormat.RecordHeaderSize + StreamFormat.RecordTrailerSize)
            {
                throw new MigrationStreamException(MigrationStreamError.Truncated, $"{where} ends inside a record header");
            }

            (RecordType type, int length) = ReadHeader(buffer);
            int body = StreamFormat.RecordHeaderSize + length;
            if (buffer.Length < body + StreamFormat.RecordTrailerSize)
            {
                throw new MigrationStreamException(MigrationStreamError.Truncated, $"{where} ends inside a {type} record");
            }

            uint expected = BinaryPrimitives.ReadUInt32LittleEndian(buffer[body..]);
            if (Crc32C.Compute(buffer[..body]) != expected)
            {
                throw new MigrationStreamException(MigrationStreamError.BadChecksum, $"Checksum mismatch in a {type} record of {where}");
            }

            records.Add((type, buffer[StreamFormat.RecordHeaderSize..body].ToArray()));
            buffer = buffer[(body + StreamFormat.RecordTrailerSize)..];
        }

        return records;
    }

    /// <summary>A callback that fills a span (Span cannot be an Action type argument).</summary>
    public delegate void SpanAction<T>(Span<T> span);
}
