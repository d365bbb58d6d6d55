using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Migration.Control;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;

namespace QapiGen.Bench;

/// <summary>Measurement helpers: each step starts after <c>sync</c>, so writeback of the previous file does not bill the next.</summary>
internal static class Bench
{
    /// <summary>
    /// Times <paramref name="step"/>. The previous output file is deleted first and
    /// dirty data synced, outside the timing: on a file system mounted with
    /// <c>discard</c>, deleting 1 GiB costs a visible fraction of a second.
    /// </summary>
    /// <summary>How many times each step runs; the best run is reported (the disk of a VM is noisy).</summary>
    public static int Runs { get; set; } = 3;

    /// <summary>
    /// Times <paramref name="step"/> <see cref="Runs"/> times and keeps the best. Before
    /// each run the previous output file is deleted and dirty data synced, outside the
    /// timing: on a file system mounted with <c>discard</c>, deleting 1 GiB costs a
    /// visible fraction of a second, and writeback of the last file must not bill the next.
    /// </summary>
    /// <param name="timed">Instead of timing <paramref name="step"/>, let the step report its own duration (QEMU's total-time).</param>
    public static double Measure(string name, List<(string, double)> results, Action step, string? deleteFirst = null, int? runs = null, Func<double>? timed = null)
    {
        double best = double.MaxValue;
        var all = new List<string>();
        for (int run = 0; run < (runs ?? Runs); run++)
        {
            if (deleteFirst is not null)
            {
                Delete(deleteFirst);
            }

            Run("sync", "");
            var clock = Stopwatch.StartNew();
            double seconds;
            if (timed is not null)
            {
                seconds = timed();
            }
            else
            {
                step();
                seconds = clock.Elapsed.TotalSeconds;
            }

            best = Math.Min(best, seconds);
            all.Add(seconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
        }

        results.Add((name, best));
        Console.WriteLine($"  {name}: best {best:F3} s of [{string.Join(", ", all)}]");
        return best;
    }

    /// <summary>CPU cost per GiB of the two loops every page goes through, for context.</summary>
    public static unsafe void Kernels(string fill, long size)
    {
        using MachineState machine = Machine(size, fill);
        GuestRam ram = machine.Ram;
        var clock = Stopwatch.StartNew();
        uint crc = QapiGen.Migration.Integrity.Crc32C.Initial;
        for (long offset = 0; offset < size; offset += 1 << 20)
        {
            crc = QapiGen.Migration.Integrity.Crc32C.Update(crc, ram.GetSpan(offset, 1 << 20));
        }

        double crcSeconds = clock.Elapsed.TotalSeconds;
        foreach (string line in File.ReadLines("/proc/self/smaps_rollup"))
        {
            // Guest RAM should be in transparent huge pages (MADV_HUGEPAGE).
            if (line.StartsWith("AnonHugePages", StringComparison.Ordinal))
            {
                Console.WriteLine($"  {line}");
            }
        }

        clock.Restart();
        long zero = 0;
        for (long page = 0; page < ram.PageCount; page++)
        {
            zero += ram.IsZeroPage(page) ? 1 : 0;
        }

        double scanSeconds = clock.Elapsed.TotalSeconds;
        using GuestRam written = GuestRam.Allocate(size);
        for (long offset = 0; offset < size; offset += 1 << 20)
        {
            written.GetSpan(offset, 1 << 20).Clear();
        }

        clock.Restart();
        for (long page = 0; page < written.PageCount; page++)
        {
            zero += written.IsZeroPage(page) ? 1 : 0;
        }

        double zeroScanSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  CRC32C {size / crcSeconds / 1e9:F1} GB/s (crc {crc:x8}); zero-page check on random pages {size / scanSeconds / 1e9:F1} GB/s, on written zero pages {size / zeroScanSeconds / 1e9:F1} GB/s ({zero} zero pages)");
    }

    /// <summary>The floor for writing guest RAM to a file: no format, no checks, 1 MiB pwrites.</summary>
    public static void PlainWrite(GuestRam ram, string path)
    {
        using Microsoft.Win32.SafeHandles.SafeFileHandle file = QapiGen.Common.PrivateOutputFile.Open(path);
        for (long offset = 0; offset < ram.Size; offset += 1 << 20)
        {
            RandomAccess.Write(file, ram.GetSpan(offset, 1 << 20), offset);
        }
    }

    public static void WriteRandomFile(string path, long size)
    {
        if (File.Exists(path) && new FileInfo(path).Length == size)
        {
            return;
        }

        byte[] buffer = new byte[1 << 20];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        for (long done = 0; done < size; done += buffer.Length)
        {
            Random.Shared.NextBytes(buffer);
            stream.Write(buffer, 0, (int)Math.Min(buffer.Length, size - done));
        }
    }

    public static MachineState Machine(long size, string? fill)
    {
        GuestRam ram = GuestRam.Allocate(size);
        if (fill is not null)
        {
            ram.LoadFromFile(fill);
        }

        return new MachineState(ram, [new DeviceState("timer", 0, 1, new byte[64]), new DeviceState("serial", 0, 1, new byte[4096])], RunState.Paused);
    }

    public static void Complete(MigrationJob job)
    {
        MigrationStatus status = job.Completion.GetAwaiter().GetResult();
        if (status != MigrationStatus.Completed)
        {
            throw new InvalidOperationException($"{job.Direction} migration {status}: {job.ErrorDescription}");
        }
    }

    public static void SocketMigrate(MachineState source, MachineState destination, MigrationOptions options)
    {
        string path = Path.Combine(Path.GetTempPath(), $"qapigen-bench-{Environment.ProcessId}.sock");
        Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        MigrationJob incoming = MigrationJob.StartIncoming(destination, SocketMigrationTransport.Listen(listener), options);
        MigrationJob outgoing = MigrationJob.StartOutgoing(source, SocketMigrationTransport.Connect(new UnixDomainSocketEndPoint(path)), options);
        Complete(outgoing);
        Complete(incoming);
        Delete(path);
    }

    /// <summary>The floor for socket migration: the same bytes, 1 MiB sends from RAM into a receiver's RAM-sized buffer.</summary>
    public static void SocketCopy(GuestRam ram)
    {
        string path = Path.Combine(Path.GetTempPath(), $"qapigen-bench-copy-{Environment.ProcessId}.sock");
        Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        using GuestRam sink = GuestRam.Allocate(ram.Size);
        Task receiver = Task.Run(async () =>
        {
            using Socket peer = await listener.AcceptAsync();
            long done = 0;
            while (done < sink.Size)
            {
                int n = await peer.ReceiveAsync(sink.GetMemory(done, (int)Math.Min(1 << 20, sink.Size - done)), SocketFlags.None);
                if (n == 0)
                {
                    throw new EndOfStreamException();
                }

                done += n;
            }
        });
        Task sender = Task.Run(async () =>
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
            for (long done = 0; done < ram.Size; done += 1 << 20)
            {
                ReadOnlyMemory<byte> chunk = ram.GetMemory(done, (int)Math.Min(1 << 20, ram.Size - done));
                while (!chunk.IsEmpty)
                {
                    chunk = chunk[await socket.SendAsync(chunk, SocketFlags.None)..];
                }
            }
        });
        Task.WaitAll(sender, receiver);
        Delete(path);
    }

    public static void CheckSame(GuestRam a, GuestRam b)
    {
        for (long offset = 0; offset < a.Size; offset += 1 << 20)
        {
            if (!a.GetSpan(offset, 1 << 20).SequenceEqual(b.GetSpan(offset, 1 << 20)))
            {
                throw new InvalidOperationException($"RAM differs near offset {offset}");
            }
        }
    }

    public static void Run(string program, string arguments)
    {
        using Process process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} exited with {process.ExitCode}");
        }
    }

    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
