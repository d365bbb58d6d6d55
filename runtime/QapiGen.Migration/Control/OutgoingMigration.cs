using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Migration.Format;
using QapiGen.Migration.Machine;
using QapiGen.Migration.MappedRam;
using QapiGen.Migration.Transports;
using QapiGen.Migration.Wire;

namespace QapiGen.Migration.Control;

/// <summary>
/// The source side: pre-copy passes over RAM while the guest runs, then stop,
/// send what is still dirty and the device sections, end marker.
/// </summary>
internal static class OutgoingMigration
{
    public static async Task RunAsync(MigrationJob job)
    {
        MachineState machine = job.Machine;
        RunState before = machine.RunState;
        bool stopped = false;
        try
        {
            if (job.Options.Capabilities.MappedRam)
            {
                await SaveMappedRamAsync(job, before).ConfigureAwait(false);
                stopped = true;
            }
            else
            {
                stopped = await SendStreamAsync(job, before).ConfigureAwait(false);
            }

            machine.SetRunState(RunState.PostMigrate);
        }
        catch
        {
            // The source keeps its guest: undo the stop for the final pass.
            if (stopped || machine.RunState == RunState.FinishMigrate)
            {
                machine.TrySetRunState(RunState.FinishMigrate, before);
            }

            throw;
        }
        finally
        {
            machine.Ram.StopDirtyLog();
        }
    }

    private static async Task SaveMappedRamAsync(MigrationJob job, RunState before)
    {
        var file = (FileTransport)job.Transport;
        MachineState machine = job.Machine;
        int channels = job.Options.Capabilities.Multifd ? job.Options.Parameters.MultifdChannels : 1;
        job.MarkActive();
        var downtime = Stopwatch.StartNew();
        machine.SetRunState(RunState.FinishMigrate);
        job.Counters.SetRemainingPages(machine.Ram.PageCount);
        job.RaisePass(job.Counters.NextPass());
        await MappedRamWriter.SaveAsync(machine, file.Handle, file.Offset, channels, job.Counters, job.Token).ConfigureAwait(false);
        job.SetDowntime(before == RunState.Running ? downtime.ElapsedMilliseconds : 0);
    }

    /// <returns>True once the guest has been stopped for the final pass.</returns>
    private static async Task<bool> SendStreamAsync(MigrationJob job, RunState before)
    {
        MachineState machine = job.Machine;
        GuestRam ram = machine.Ram;
        CancellationToken token = job.Token;
        bool multifd = job.Options.Capabilities.Multifd;
        int ramChannels = multifd ? job.Options.Parameters.MultifdChannels : 0;
        var session = Guid.NewGuid();
        bool synchronous = job.Transport.Kind == TransportKind.File;
        var limiter = new BandwidthLimiter(job.Options.Parameters.MaxBandwidth, synchronous);

        // Main channel first, then the multifd channels, so that a destination that
        // accepts in order sees the main channel first.
        var writers = new List<RecordWriter>();
        for (int i = 0; i <= ramChannels; i++)
        {
            MigrationChannel channel = await job.OpenChannelAsync().ConfigureAwait(false);
            var writer = new RecordWriter(channel, limiter, job.Counters);
            writers.Add(writer);
            await writer.WriteHeaderAsync(new ChannelHeader((ushort)i, (ushort)(ramChannels + 1), ram.Size, session), token).ConfigureAwait(false);
        }

        RecordWriter main = writers[0];
        List<RecordWriter> ramWriters = multifd ? writers.Skip(1).ToList() : [main];
        job.MarkActive();

        bool running = before == RunState.Running;
        if (running)
        {
            ram.StartDirtyLog();
        }

        // Pass 1 sends everything; later passes send what the guest dirtied meanwhile.
        await SendPassAsync(job, ramWriters, dirty: null, stable: !running).ConfigureAwait(false);
        int passes = 1;
        while (running && passes < job.Options.MaxPasses)
        {
            ulong[] dirty = ram.SyncDirtyLog();
            long dirtyPages = dirty.Sum(w => (long)BitOperations.PopCount(w));
            double rate = job.GetStats().Mbps * 1e6 / 8;
            if (dirtyPages == 0 || (rate > 0 && dirtyPages * GuestRam.PageSize / rate * 1000 < job.Options.Parameters.DowntimeLimitMs))
            {
                // Small enough to send with the guest stopped: put the bits back for the final pass.
                ram.MarkDirtyBitmap(dirty);
                break;
            }

            await SendPassAsync(job, ramWriters, dirty, stable: false).ConfigureAwait(false);
            passes++;
        }

        var downtime = Stopwatch.StartNew();
        machine.SetRunState(RunState.FinishMigrate);
        if (running)
        {
            await SendPassAsync(job, ramWriters, ram.SyncDirtyLog(), stable: true).ConfigureAwait(false);
        }

        foreach (DeviceState device in machine.Devices)
        {
            await main.WriteDeviceAsync(new DeviceRecord(device.Name, device.InstanceId, device.Version, device.Save()), token).ConfigureAwait(false);
        }

        // RAM channels close first; the main channel's end marker carries the totals
        // the destination checks them against.
        long totalNormal = ramWriters.Sum(w => w.NormalPages);
        foreach (RecordWriter writer in writers.Skip(1))
        {
            await writer.WriteEndAsync(0, token).ConfigureAwait(false);
            await writer.FlushAsync(token).ConfigureAwait(false);
            await writer.Channel.CompleteAsync(token).ConfigureAwait(false);
        }

        await main.WriteEndAsync(totalNormal, token).ConfigureAwait(false);
        await main.FlushAsync(token).ConfigureAwait(false);
        await main.Channel.CompleteAsync(token).ConfigureAwait(false);
        job.SetDowntime(running ? downtime.ElapsedMilliseconds : 0);
        return true;
    }

    /// <summary>
    /// One pass over RAM. Chunk k always goes to RAM channel k mod n, so that a page
    /// resent in a later pass can never overtake its older copy on another channel.
    /// </summary>
    private static async Task SendPassAsync(MigrationJob job, List<RecordWriter> writers, ulong[]? dirty, bool stable)
    {
        GuestRam ram = job.Machine.Ram;
        long chunks = (ram.PageCount + StreamFormat.ChunkPages - 1) / StreamFormat.ChunkPages;
        job.Counters.SetRemainingPages(dirty is null ? ram.PageCount : dirty.Sum(w => (long)BitOperations.PopCount(w)));
        job.RaisePass(job.Counters.NextPass());
        int n = writers.Count;
        var tasks = new Task[n];
        for (int c = 0; c < n; c++)
        {
            RecordWriter writer = writers[c];
            int channel = c;
            tasks[c] = SendChunksAsync(job, writer, channel, n, chunks, dirty, stable);
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            // One channel failed: close the others so their tasks end too.
            job.AbortIo();
            throw;
        }
    }

    private static async Task SendChunksAsync(MigrationJob job, RecordWriter writer, int channel, int channels, long chunks, ulong[]? dirty, bool stable)
    {
        GuestRam ram = job.Machine.Ram;
        CancellationToken token = job.Token;
        var scan = new ChunkScan();
        if (channels > 1)
        {
            // Let the channels scan on different cores.
            await Task.Yield();
        }

        for (long k = channel; k < chunks; k += channels)
        {
            token.ThrowIfCancellationRequested();
            long firstPage = k * StreamFormat.ChunkPages;
            int count = (int)Math.Min(StreamFormat.ChunkPages, ram.PageCount - firstPage);
            if (dirty is not null && !ChunkScan.AnyDirty(dirty, firstPage, count))
            {
                continue;
            }

            scan.Scan(ram, firstPage, count, dirty);
            long processed = dirty is null ? count : scan.DataCount + scan.DuplicateCount;
            if (scan.DataCount > 0 || scan.ZeroCount > 0)
            {
                await writer.WriteRamChunkAsync(ram, firstPage, scan, stable, token).ConfigureAwait(false);
            }

            job.Counters.AddPages(scan.DataCount, scan.DuplicateCount, processed);
        }

        await writer.FlushAsync(token).ConfigureAwait(false);
    }
}
