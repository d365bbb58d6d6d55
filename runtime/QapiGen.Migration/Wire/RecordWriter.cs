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
/// Writes one stream channel: its header, RAM chunk records, device records
/// and the end record, each with its CRC32C.
/// </summary>
/// <remarks>
/// Small pieces are gathered in a 1 MiB buffer so a socket sees few large
/// writes. Long runs of pages are written straight from guest RAM when the RAM
/// cannot change under us (the guest is stopped): then the CRC computed over RAM
/// is the CRC of what was sent, and it is computed on another core during the
/// write. While the guest runs, pages are copied into the buffer first and the
/// CRC is taken over the copy, so a concurrent guest write can never make a
/// record's checksum wrong (dirty logging resends the page).
/// </remarks>
internal sealed class RecordWriter
{
    private const int BufferSize = 1 << 20;

    private readonly MigrationChannel _channel;
    private readonly BandwidthLimiter _limiter;
    private readonly MigrationCounters _counters;
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
    private readonly ReadOnlyMemory<byte>[] _gather = new ReadOnlyMemory<byte>[2];
    private int _used;

    public RecordWriter(MigrationChannel channel, BandwidthLimiter limiter, MigrationCounters counters)
    {
        _channel = channel;
        _limiter = limiter;
        _counters = counters;
    }

    public long ChunkRecords { get; private set; }

    public long NormalPages { get; private set; }

    public int DeviceRecords { get; private set; }

    public MigrationChannel Channel => _channel;

    public ValueTask WriteHeaderAsync(ChannelHeader header, CancellationToken cancellationToken)
    {
        header.Encode(Reserve(StreamFormat.ChannelHeaderSize));
        _used += StreamFormat.ChannelHeaderSize;
        return FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Writes one RAM chunk record from a completed <see cref="ChunkScan"/>; <c>stable</c>
    /// means the guest is stopped, so page runs may be sent straight from RAM.
    /// </summary>
    public async ValueTask WriteRamChunkAsync(GuestRam ram, long firstPage, ChunkScan scan, bool stable, CancellationToken cancellationToken)
    {
        int bitmapBytes = (scan.PageCount + 7) / 8;
        int metaSize = StreamFormat.RamChunkFixedSize + (2 * bitmapBytes);
        int payload = metaSize + (scan.DataCount * GuestRam.PageSize);
        int headSize = StreamFormat.RecordHeaderSize + metaSize;
        if (BufferSize - _used < headSize)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        uint crc = EncodeChunkHead(firstPage, scan, payload, bitmapBytes);
        int i = 0;
        while (i < scan.PageCount)
        {
            if (!scan.Data[i])
            {
                i++;
                continue;
            }

            int start = i;
            while (i < scan.PageCount && scan.Data[i])
            {
                i++;
            }

            long offset = (firstPage + start) << GuestRam.PageShift;
            int length = (i - start) << GuestRam.PageShift;
            if (stable && length >= PageRunCrc.MinimumLength)
            {
                // What is buffered (this record's head, the previous record's tail) and
                // the pages go out together: one pwritev for a file.
                Task<uint> pagesCrc = PageRunCrc.Start(crc, ram, offset, length);
                _gather[0] = _buffer.AsMemory(0, _used);
                _gather[1] = ram.GetMemory(offset, length);
                int total = _used + length;
                _used = 0;
                try
                {
                    await _channel.WriteGatherAsync(_gather, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    crc = await pagesCrc.ConfigureAwait(false);
                }

                _counters.AddTransferred(total);
                await _limiter.AccountAsync(total, cancellationToken).ConfigureAwait(false);
                continue;
            }

            while (length > 0)
            {
                if (_used == BufferSize)
                {
                    await FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                int part = Math.Min(length, BufferSize - _used);
                crc = CopyFromRam(crc, ram, offset, part);
                offset += part;
                length -= part;
            }
        }

        if (BufferSize - _used < StreamFormat.RecordTrailerSize)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_used), Crc32C.Finish(crc));
        _used += StreamFormat.RecordTrailerSize;
        ChunkRecords++;
        NormalPages += scan.DataCount;
    }

    public ValueTask WriteDeviceAsync(DeviceRecord device, CancellationToken cancellationToken)
    {
        DeviceRecords++;
        return WriteWholeAsync(RecordCodec.EncodeDevice(device), cancellationToken);
    }

    public ValueTask WriteEndAsync(long totalNormalPages, CancellationToken cancellationToken) =>
        WriteWholeAsync(RecordCodec.EncodeEnd(new EndRecord(ChunkRecords, NormalPages, totalNormalPages, DeviceRecords)), cancellationToken);

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_used == 0)
        {
            return;
        }

        int length = _used;
        _used = 0;
        await _channel.WriteAsync(_buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        _counters.AddTransferred(length);
        await _limiter.AccountAsync(length, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteWholeAsync(byte[] record, CancellationToken cancellationToken)
    {
        if (record.Length > BufferSize - _used)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (record.Length > BufferSize)
        {
            await _channel.WriteAsync(record, cancellationToken).ConfigureAwait(false);
            _counters.AddTransferred(record.Length);
            return;
        }

        record.CopyTo(_buffer.AsSpan(_used));
        _used += record.Length;
    }

    private Span<byte> Reserve(int size) => _buffer.AsSpan(_used, size);

    private uint EncodeChunkHead(long firstPage, ChunkScan scan, int payload, int bitmapBytes)
    {
        Span<byte> head = _buffer.AsSpan(_used, StreamFormat.RecordHeaderSize + StreamFormat.RamChunkFixedSize + (2 * bitmapBytes));
        RecordCodec.WriteHeader(head, RecordType.RamChunk, payload);
        Span<byte> meta = head[StreamFormat.RecordHeaderSize..];
        BinaryPrimitives.WriteInt64LittleEndian(meta, firstPage);
        BinaryPrimitives.WriteInt32LittleEndian(meta[8..], scan.PageCount);
        BinaryPrimitives.WriteInt32LittleEndian(meta[12..], scan.DataCount);
        PageBitmap.Pack(scan.Data.AsSpan(0, scan.PageCount), meta.Slice(StreamFormat.RamChunkFixedSize, bitmapBytes));
        PageBitmap.Pack(scan.Zero.AsSpan(0, scan.PageCount), meta.Slice(StreamFormat.RamChunkFixedSize + bitmapBytes, bitmapBytes));
        _used += head.Length;
        return Crc32C.Update(Crc32C.Initial, head);
    }

    private unsafe uint CopyFromRam(uint crc, GuestRam ram, long offset, int length)
    {
        Span<byte> target = _buffer.AsSpan(_used, length);
        new ReadOnlySpan<byte>(ram.Pointer + offset, length).CopyTo(target);
        _used += length;
        return Crc32C.Update(crc, target);
    }
}
