using System;
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
/// Saves RAM to a file with each page at a fixed offset. Blocks of 256 pages
/// are dealt round-robin to the channels, each a thread issuing pwrite straight
/// from guest RAM; zero pages are left as holes and only their bitmap bit stays
/// clear. The guest is stopped for the whole save, as libvirt does for mapped-ram
/// saves, so one pass is exact.
/// </summary>
internal static class MappedRamWriter
{
    public static async Task SaveAsync(MachineState machine, SafeFileHandle file, long baseOffset, int channels,
        MigrationCounters counters, CancellationToken cancellationToken)
    {
        GuestRam ram = machine.Ram;
        MappedRamHeader layout = MappedRamHeader.ForRam(ram.Size);
        byte[] bitmap = new byte[layout.BitmapLength];
        uint[] blockCrcs = new uint[layout.BlockCount];
        long normalPages = 0;

        // Invalidate whatever header a previous save left here before writing pages:
        // until the final header lands, a reader sees "incomplete".
        RandomAccess.Write(file, new byte[StreamFormat.MappedRamHeaderSize], baseOffset);

        await DedicatedThread.RunWorkersAsync("mapped-ram save", channels, (worker, token) =>
        {
            var scan = new ChunkScan();
            long mine = 0;
            for (long block = worker; block < layout.BlockCount; block += channels)
            {
                token.ThrowIfCancellationRequested();
                long firstPage = block * StreamFormat.ChunkPages;
                int count = (int)Math.Min(StreamFormat.ChunkPages, ram.PageCount - firstPage);
                scan.Scan(ram, firstPage, count, dirty: null);
                blockCrcs[block] = Crc32C.Finish(WriteBlock(file, baseOffset + layout.PageAreaOffset, ram, firstPage, scan, counters));
                PageBitmap.Pack(scan.Data.AsSpan(0, count), bitmap.AsSpan((int)(firstPage / 8), (count + 7) / 8));
                counters.AddPages(scan.DataCount, scan.DuplicateCount, count);
                mine += scan.DataCount;
            }

            Interlocked.Add(ref normalPages, mine);
        }, cancellationToken).ConfigureAwait(false);

        byte[] table = new byte[blockCrcs.Length * 4];
        for (int i = 0; i < blockCrcs.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(i * 4), blockCrcs[i]);
        }

        var deviceArea = new List<byte>();
        foreach (DeviceState device in machine.Devices)
        {
            deviceArea.AddRange(RecordCodec.EncodeDevice(new DeviceRecord(device.Name, device.InstanceId, device.Version, device.Save())));
        }

        deviceArea.AddRange(RecordCodec.EncodeEnd(new EndRecord(layout.BlockCount, normalPages, normalPages, machine.Devices.Count)));
        byte[] devices = deviceArea.ToArray();

        cancellationToken.ThrowIfCancellationRequested();
        RandomAccess.Write(file, bitmap, baseOffset + layout.BitmapOffset);
        RandomAccess.Write(file, table, baseOffset + layout.ChecksumTableOffset);
        RandomAccess.Write(file, devices, baseOffset + layout.DeviceAreaOffset);
        counters.AddTransferred(bitmap.Length + table.Length + devices.Length + StreamFormat.MappedRamHeaderSize);

        MappedRamHeader header = layout with
        {
            DeviceAreaLength = devices.Length,
            NormalPages = normalPages,
            BitmapCrc = Crc32C.Compute(bitmap),
            ChecksumTableCrc = Crc32C.Compute(table),
        };
        byte[] block = new byte[StreamFormat.MappedRamHeaderSize];
        header.Encode(block);
        RandomAccess.Write(file, block, baseOffset);
    }

    private static unsafe uint WriteBlock(SafeFileHandle file, long pageArea, GuestRam ram, long firstPage, ChunkScan scan, MigrationCounters counters)
    {
        uint crc = Crc32C.Initial;
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
            var pages = new ReadOnlySpan<byte>(ram.Pointer + offset, length);
            // A dedicated thread (not the pool) waits for the checksum computed beside its write.
            Task<uint>? pagesCrc = length >= PageRunCrc.MinimumLength ? PageRunCrc.Start(crc, ram, offset, length) : null;
            try
            {
                RandomAccess.Write(file, pages, pageArea + offset);
            }
            catch (IOException e)
            {
                throw new IOException($"Unable to write guest RAM to the migration file: {e.Message}", e);
            }
            finally
            {
                crc = pagesCrc?.GetAwaiter().GetResult() ?? Crc32C.Update(crc, pages);
            }

            counters.AddTransferred(length);
        }

        return crc;
    }
}
