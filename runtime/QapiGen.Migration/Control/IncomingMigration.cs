using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Migration.Format;
using QapiGen.Migration.Machine;
using QapiGen.Migration.MappedRam;
using QapiGen.Migration.Transports;
using QapiGen.Migration.Wire;

namespace QapiGen.Migration.Control;

/// <summary>
/// The destination side: verify every header, record and count, then apply the
/// device sections and leave the guest paused or running. On any error the
/// machine stays <c>inmigrate</c> and no device section has been applied.
/// </summary>
internal static class IncomingMigration
{
    public static async Task RunAsync(MigrationJob job)
    {
        MachineState machine = job.Machine;
        machine.SetRunState(RunState.InMigrate);

        // Loading starts from zero RAM, so zero pages need no work at all.
        machine.Ram.Discard();
        List<DeviceRecord> devices = job.Options.Capabilities.MappedRam
            ? await LoadMappedRamAsync(job).ConfigureAwait(false)
            : await ReceiveStreamAsync(job).ConfigureAwait(false);

        foreach (DeviceRecord device in devices)
        {
            device.ApplyTo(machine);
        }

        RunState after = job.Options.RunStateAfterLoad?.Invoke() ?? (job.Options.StartAfterLoad ? RunState.Running : RunState.Paused);
        machine.SetRunState(after);
    }

    private static async Task<List<DeviceRecord>> LoadMappedRamAsync(MigrationJob job)
    {
        var file = (FileTransport)job.Transport;
        int channels = job.Options.Capabilities.Multifd ? job.Options.Parameters.MultifdChannels : 1;
        job.MarkActive();
        job.Counters.SetRemainingPages(job.Machine.Ram.PageCount);
        job.RaisePass(job.Counters.NextPass());

        // The reader applies device state itself, only after all of RAM verified.
        await MappedRamReader.LoadAsync(job.Machine, file.Handle, file.Offset, channels, job.Counters, job.Token).ConfigureAwait(false);
        return [];
    }

    private static async Task<List<DeviceRecord>> ReceiveStreamAsync(MigrationJob job)
    {
        GuestRam ram = job.Machine.Ram;
        CancellationToken token = job.Token;
        var state = new RamLoadState(ram);

        MigrationChannel first = await job.OpenChannelAsync().ConfigureAwait(false);
        var firstReader = new RecordReader(first, first.Description, job.Counters);
        ChannelHeader firstHeader = await firstReader.ReadHeaderAsync(ram.Size, token).ConfigureAwait(false);

        // The stream says how many channels it has; multifd channels can arrive in
        // any order, so each is placed by the index in its header.
        var readers = new RecordReader?[firstHeader.ChannelCount];
        readers[firstHeader.ChannelIndex] = firstReader;
        for (int i = 1; i < firstHeader.ChannelCount; i++)
        {
            MigrationChannel channel = await job.OpenChannelAsync().ConfigureAwait(false);
            var reader = new RecordReader(channel, channel.Description, job.Counters);
            ChannelHeader header = await reader.ReadHeaderAsync(ram.Size, token).ConfigureAwait(false);
            if (header.Session != firstHeader.Session || header.ChannelCount != firstHeader.ChannelCount || readers[header.ChannelIndex] is not null)
            {
                throw new MigrationStreamException(MigrationStreamError.ChannelMismatch,
                    $"Multifd channel {header.ChannelIndex} of {header.ChannelCount} does not belong to this migration (or arrived twice)");
            }

            readers[header.ChannelIndex] = reader;
        }

        job.MarkActive();
        job.RaisePass(job.Counters.NextPass());
        RecordReader main = readers[0]!;
        bool multifd = readers.Length > 1;

        var ramTasks = readers.Skip(1).Select(r => ReceiveRamChannelAsync(r!, state, token)).ToList();
        Task<(List<DeviceRecord>, EndRecord)> mainTask = ReceiveMainAsync(main, state, allowRam: !multifd, token);
        var all = new List<Task>(ramTasks) { mainTask };
        try
        {
            await Task.WhenAll(all).ConfigureAwait(false);
        }
        catch
        {
            job.AbortIo();
            throw;
        }

        (List<DeviceRecord> devices, EndRecord end) = await mainTask.ConfigureAwait(false);
        if (end.TotalNormalPages != state.NormalPages)
        {
            throw new MigrationStreamException(MigrationStreamError.ChannelMismatch,
                $"The source sent {end.TotalNormalPages} pages but {state.NormalPages} arrived over {readers.Length} channel(s)");
        }

        return devices;
    }

    private static async Task<(List<DeviceRecord>, EndRecord)> ReceiveMainAsync(RecordReader reader, RamLoadState state, bool allowRam, CancellationToken token)
    {
        var devices = new List<DeviceRecord>();
        while (true)
        {
            (RecordType type, byte[]? payload) = await reader.ReadRecordAsync(state, token).ConfigureAwait(false);
            switch (type)
            {
                case RecordType.RamChunk when !allowRam:
                    throw new MigrationStreamException(MigrationStreamError.Malformed, "RAM pages arrived on the multifd main channel");
                case RecordType.RamChunk:
                    break;
                case RecordType.Device:
                    devices.Add(DeviceRecord.Decode(payload!));
                    break;
                case RecordType.End:
                    EndRecord end = EndRecord.Decode(payload!);
                    CheckCounts(reader, end, "main channel");
                    return (devices, end);
            }
        }
    }

    private static async Task ReceiveRamChannelAsync(RecordReader reader, RamLoadState state, CancellationToken token)
    {
        // Each multifd channel reads on its own; yield so they start in parallel.
        await Task.Yield();
        while (true)
        {
            (RecordType type, byte[]? payload) = await reader.ReadRecordAsync(state, token).ConfigureAwait(false);
            if (type == RecordType.Device)
            {
                throw new MigrationStreamException(MigrationStreamError.Malformed, "A device section arrived on a multifd RAM channel");
            }

            if (type == RecordType.End)
            {
                CheckCounts(reader, EndRecord.Decode(payload!), "a multifd channel");
                return;
            }
        }
    }

    private static void CheckCounts(RecordReader reader, EndRecord end, string where)
    {
        if (end.ChunkRecords != reader.ChunkRecords || end.NormalPages != reader.NormalPages || end.DeviceRecords != reader.DeviceRecords)
        {
            throw new MigrationStreamException(MigrationStreamError.Malformed,
                $"End of {where}: the source sent {end.ChunkRecords} RAM chunks, {end.NormalPages} pages and {end.DeviceRecords} device sections, but {reader.ChunkRecords}, {reader.NormalPages} and {reader.DeviceRecords} arrived");
        }
    }
}
