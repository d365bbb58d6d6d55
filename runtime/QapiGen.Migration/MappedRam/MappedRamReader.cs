using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;
using QapiGen.Migration.Format;
using QapiGen.Migration.Integrity;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Wire;

namespace QapiGen.Migration.MappedRam;

/// <summary>
/// Loads a mapped-ram file: header, bitmap, checksum table and device area are
/// checked first (so a truncated or foreign file is refused before RAM is
/// touched), then the channels pread the present pages of their blocks
/// straight into guest RAM in parallel and verify each block's CRC32C.
/// </summary>
internal static class MappedRamReader
{
    public static async Task LoadAsync(MachineState machine, SafeFileHandle file, long baseOffset, int channels,
        MigrationCounters counters, CancellationToken cancellationToken)
    {
        GuestRam ram = machine.Ram;
        byte[] block = new byte[StreamFormat.MappedRamHeaderSize];
        ReadFully(file, block, baseOffset, "the mapped-ram header");
        MappedRamHeader header = MappedRamHeader.Decode(block, ram.Size);

        long length = RandomAccess.GetLength(file);
        if (length < baseOffset + header.RequiredLength)
        {
            throw new MigrationStreamException(MigrationStreamError.Truncated,
                $"Migration file is truncated: it needs {baseOffset + header.RequiredLength} bytes but has {length}");
        }

        byte[] bitmap = new byte[header.BitmapLength];
        ReadFully(file, bitmap, baseOffset + header.BitmapOffset, "the page bitmap");
        byte[] table = new byte[header.BlockCount * 4];
        ReadFully(file, table, baseOffset + header.ChecksumTableOffset, "the checksum table");
        if (Crc32C.Compute(bitmap) != header.BitmapCrc)
        {
            throw new MigrationStreamException(MigrationStreamError.BadChecksum, "Mapped-ram page bitmap checksum mismatch: the file is corrupted");
        }

        if (Crc32C.Compute(table) != header.ChecksumTableCrc)
        {
            throw new MigrationStreamException(MigrationStreamError.BadChecksum, "Mapped-ram checksum table is itself corrupted");
        }

        if (PageBitmap.Count(bitmap) != header.NormalPages)
        {
            throw new MigrationStreamException(MigrationStreamError.Malformed, "Mapped-ram page bitmap disagrees with the header's page count");
        }

        byte[] deviceArea = new byte[header.DeviceAreaLength];
        ReadFully(file, deviceArea, baseOffset + header.DeviceAreaOffset, "the device area");
        List<(RecordType Type, byte[] Payload)> records = RecordCodec.DecodeAll(deviceArea, "the mapped-ram device area");
        if (records.Count == 0 || records[^1].Type != RecordType.End)
        {
            throw new MigrationStreamException(MigrationStreamError.Truncated, "Mapped-ram device area has no end marker");
        }

        var devices = new List<DeviceRecord>();
        for (int i = 0; i < records.Count - 1; i++)
        {
            if (records[i].Type != RecordType.Device)
            {
                throw new MigrationStreamException(MigrationStreamError.Malformed, $"Unexpected {records[i].Type} record in the mapped-ram device area");
            }

            devices.Add(DeviceRecord.Decode(records[i].Payload));
        }

        EndRecord end = EndRecord.Decode(records[^1].Payload);
        if (end.DeviceRecords != devices.Count || end.TotalNormalPages != header.NormalPages)
        {
            throw new MigrationStreamException(MigrationStreamError.Malformed, "Mapped-ram end marker disagrees with the file's contents");
        }

        long pageArea = baseOffset + header.PageAreaOffset;
        await DedicatedThread.RunWorkersAsync("mapped-ram load", channels, (worker, token) =>
        {
            for (long b = worker; b < header.BlockCount; b += channels)
            {
                token.ThrowIfCancellationRequested();
                long firstPage = b * StreamFormat.ChunkPages;
                int count = (int)Math.Min(StreamFormat.ChunkPages, ram.PageCount - firstPage);
                uint crc = ReadBlock(file, pageArea, ram, firstPage, count, bitmap, counters, out int present);
                if (Crc32C.Finish(crc) != BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan((int)(b * 4))))
                {
                    throw new MigrationStreamException(MigrationStreamError.BadChecksum,
                        $"Checksum mismatch in mapped-ram block {b} (pages {firstPage}-{firstPage + count - 1}): the file is corrupted");
                }

                counters.AddPages(present, count - present, count);
            }
        }, cancellationToken).ConfigureAwait(false);

        foreach (DeviceRecord device in devices)
        {
            device.ApplyTo(machine);
        }
    }

    private static unsafe uint ReadBlock(SafeFileHandle file, long pageArea, GuestRam ram, long firstPage, int count, byte[] bitmap,
        MigrationCounters counters, out int present)
    {
        uint crc = Crc32C.Initial;
        present = 0;
        int i = 0;
        while (i < count)
        {
            if (!IsPresent(bitmap, firstPage + i))
            {
                i++;
                continue;
            }

            int start = i;
            while (i < count && IsPresent(bitmap, firstPage + i))
            {
                i++;
            }

            present += i - start;
            long offset = (firstPage + start) << GuestRam.PageShift;
            var pages = new Span<byte>(ram.Pointer + offset, (i - start) << GuestRam.PageShift);
            ReadFully(file, pages, pageArea + offset, "guest RAM pages");
            crc = Crc32C.Update(crc, pages);
            counters.AddTransferred(pages.Length);
        }

        return crc;
    }

    private static bool IsPresent(byte[] bitmap, long page) => (bitmap[page >> 3] & (1 << (int)(page & 7))) != 0;

    private static void ReadFully(SafeFileHandle file, Span<byte> destination, long offset, string what)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(file, destination, offset);
            if (read == 0)
            {
                throw new MigrationStreamException(MigrationStreamError.Truncated,
                    $"Migration file is truncated: it ended while reading {what} at offset {offset}");
            }

            destination = destination[read..];
            offset += read;
        }
    }
}
