using System;
using System.Buffers.Binary;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Migration.Format;
using QapiGen.Migration.Integrity;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;

namespace QapiGen.Migration.Wire;

/// <summary>
/// Reads one stream channel, verifying every record. RAM pages are read
/// straight into guest RAM when a run is long, through the buffer otherwise.
/// </summary>
internal sealed class RecordReader
{
    // Large enough for the largest record read whole (a device section).
    private const int BufferSize = StreamFormat.MaxPayloadSize + 4096;
    private const int DirectThreshold = 128 << 10;

    // A full RAM chunk head: fixed part and both bitmaps.
    private const int ChunkHeadLookahead = StreamFormat.RamChunkFixedSize + (2 * (StreamFormat.ChunkPages / 8));

    private readonly MigrationChannel _channel;
    private readonly string _name;
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
    private int _start;
    private int _end;
    private long _bytesRead;

    private readonly MigrationCounters _counters;

    public RecordReader(MigrationChannel channel, string name, MigrationCounters counters)
    {
        _channel = channel;
        _name = name;
        _counters = counters;
    }

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long ChunkRecords { get; private set; }

    public long NormalPages { get; private set; }

    public int DeviceRecords { get; private set; }

    public async ValueTask<ChannelHeader> ReadHeaderAsync(long ramSize, CancellationToken cancellationToken)
    {
        await FillAsync(StreamFormat.ChannelHeaderSize, "the channel header", cancellationToken, ChunkHeadLookahead + StreamFormat.RecordHeaderSize).ConfigureAwait(false);
        ChannelHeader header = ChannelHeader.Decode(_buffer.AsSpan(_start, StreamFormat.ChannelHeaderSize), ramSize);
        _start += StreamFormat.ChannelHeaderSize;
        return header;
    }

    /// <summary>
    /// Reads the next record. RAM chunks are loaded into <paramref name="ram"/> and
    /// return a null payload; device and end records return their payload.
    /// </summary>
    public async ValueTask<(RecordType Type, byte[]? Payload)> ReadRecordAsync(RamLoadState ram, CancellationToken cancellationToken)
    {
        await FillAsync(StreamFormat.RecordHeaderSize, "a record header", cancellationToken, ChunkHeadLookahead).ConfigureAwait(false);
        (RecordType type, int length) = RecordCodec.ReadHeader(_buffer.AsSpan(_start, StreamFormat.RecordHeaderSize));
        if (type == RecordType.RamChunk)
        {
            await ReadRamChunkAsync(ram, length, cancellationToken).ConfigureAwait(false);
            return (type, null);
        }

        int total = StreamFormat.RecordHeaderSize + length + StreamFormat.RecordTrailerSize;
        await FillAsync(total, $"a {type} record", cancellationToken).ConfigureAwait(false);
        ReadOnlySpan<byte> record = _buffer.AsSpan(_start, total);
        int body = StreamFormat.RecordHeaderSize + length;
        if (Crc32C.Compute(record[..body]) != BinaryPrimitives.ReadUInt32LittleEndian(record[body..]))
        {
            throw new MigrationStreamException(MigrationStreamError.BadChecksum,
                $"Checksum mismatch in a {(type == RecordType.Device ? "device section" : "end")} record on {_name}: the stream is corrupted");
        }

        byte[] payload = record[StreamFormat.RecordHeaderSize..body].ToArray();
        _start += total;
        if (type == RecordType.Device)
        {
            DeviceRecords++;
        }

        return (type, payload);
    }

    private async ValueTask ReadRamChunkAsync(RamLoadState state, int payloadLength, CancellationToken cancellationToken)
    {
        int fixedEnd = StreamFormat.RecordHeaderSize + StreamFormat.RamChunkFixedSize;
        await FillAsync(fixedEnd, "a RAM chunk header", cancellationToken, ChunkHeadLookahead).ConfigureAwait(false);
        ReadOnlySpan<byte> meta = _buffer.AsSpan(_start + StreamFormat.RecordHeaderSize, StreamFormat.RamChunkFixedSize);
        long firstPage = BinaryPrimitives.ReadInt64LittleEndian(meta);
        int count = BinaryPrimitives.ReadInt32LittleEndian(meta[8..]);
        int dataCount = BinaryPrimitives.ReadInt32LittleEndian(meta[12..]);
        int bitmapBytes = (count + 7) / 8;
        GuestRam ram = state.Ram;
        if (count < 1 || count > StreamFormat.ChunkPages || firstPage < 0 || firstPage % StreamFormat.ChunkPages != 0
            || firstPage > ram.PageCount - count || dataCount < 0 || dataCount > count
            || payloadLength != StreamFormat.RamChunkFixedSize + (2 * bitmapBytes) + (dataCount * GuestRam.PageSize))
        {
            throw new MigrationStreamException(MigrationStreamError.Malformed,
                $"Malformed RAM chunk record on {_name} (first page {firstPage}, {count} pages, {dataCount} with data, {payloadLength} bytes) for {ram.PageCount} pages of RAM");
        }

        int headSize = fixedEnd + (2 * bitmapBytes);
        await FillAsync(headSize, "a RAM chunk bitmap", cancellationToken, 0).ConfigureAwait(false);
        byte[] dataBitmap = _buffer.AsSpan(_start + fixedEnd, bitmapBytes).ToArray();
        byte[] zeroBitmap = _buffer.AsSpan(_start + fixedEnd + bitmapBytes, bitmapBytes).ToArray();
        if (PageBitmap.Count(dataBitmap) != dataCount)
        {
            throw new MigrationStreamException(MigrationStreamError.Malformed,
                $"Malformed RAM chunk record on {_name}: bitmap and page count disagree at page {firstPage}");
        }

        uint crc = Crc32C.Update(Crc32C.Initial, _buffer.AsSpan(_start, headSize));
        _start += headSize;

        int i = 0;
        while (i < count)
        {
            if (!PageBitmap.Get(dataBitmap, i))
            {
                i++;
                continue;
            }

            int start = i;
            while (i < count && PageBitmap.Get(dataBitmap, i))
            {
                i++;
            }

            long offset = (firstPage + start) << GuestRam.PageShift;
            int length = (i - start) << GuestRam.PageShift;
            await ReadIntoRamAsync(ram, offset, length, cancellationToken).ConfigureAwait(false);
            crc = UpdateCrc(crc, ram, offset, length);
        }

        await FillAsync(StreamFormat.RecordTrailerSize, "a RAM chunk checksum", cancellationToken, ChunkHeadLookahead + StreamFormat.RecordHeaderSize).ConfigureAwait(false);
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_start));
        _start += StreamFormat.RecordTrailerSize;
        if (Crc32C.Finish(crc) != expected)
        {
            throw new MigrationStreamException(MigrationStreamError.BadChecksum,
                $"Checksum mismatch in the RAM chunk at page {firstPage} on {_name}: the stream is corrupted");
        }

        for (int p = 0; p < count; p++)
        {
            long page = firstPage + p;
            if (PageBitmap.Get(dataBitmap, p))
            {
                state.MarkLoaded(page);
            }
            else if (PageBitmap.Get(zeroBitmap, p) && state.IsLoaded(page))
            {
                ram.GetPage(page).Clear();
            }
        }

        ChunkRecords++;
        NormalPages += dataCount;
        state.AddNormalPages(dataCount);
    }

    private async ValueTask ReadIntoRamAsync(GuestRam ram, long offset, int length, CancellationToken cancellationToken)
    {
        int buffered = Math.Min(length, _end - _start);
        if (buffered > 0)
        {
            _buffer.AsSpan(_start, buffered).CopyTo(ram.GetSpan(offset, buffered));
            _start += buffered;
            offset += buffered;
            length -= buffered;
        }

        if (length >= DirectThreshold)
        {
            Memory<byte> target = ram.GetMemory(offset, length);
            while (!target.IsEmpty)
            {
                int read = await _channel.ReadAsync(target, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw Truncated("RAM pages");
                }

                Interlocked.Add(ref _bytesRead, read);
                _counters.AddTransferred(read);
                target = target[read..];
            }

            return;
        }

        while (length > 0)
        {
            await FillAsync(Math.Min(length, BufferSize), "RAM pages", cancellationToken).ConfigureAwait(false);
            int part = Math.Min(length, _end - _start);
            _buffer.AsSpan(_start, part).CopyTo(ram.GetSpan(offset, part));
            _start += part;
            offset += part;
            length -= part;
        }
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available at <c>_start</c>.</summary>
    /// <remarks>
    /// Reads at most <paramref name="lookahead"/> bytes beyond what is needed: bytes
    /// that land in the buffer must be copied again, so before a run of pages the
    /// reader stops short and lets the pages be read straight into RAM.
    /// </remarks>
    private async ValueTask FillAsync(int count, string what, CancellationToken cancellationToken, int lookahead = 64 << 10)
    {
        if (_end - _start >= count)
        {
            return;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        while (_end < count)
        {
            int want = Math.Min(BufferSize - _end, count - _end + lookahead);
            int read = await _channel.ReadAsync(_buffer.AsMemory(_end, want), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw Truncated(what);
            }

            Interlocked.Add(ref _bytesRead, read);
                _counters.AddTransferred(read);
            _end += read;
        }
    }

    private MigrationStreamException Truncated(string what) =>
        new(MigrationStreamError.Truncated, $"Migration stream on {_name} ended early while reading {what} (after {BytesRead} bytes): the source stopped or the data is truncated");

    private static unsafe uint UpdateCrc(uint crc, GuestRam ram, long offset, int length) =>
        Crc32C.Update(crc, ram.Pointer + offset, length);
}
