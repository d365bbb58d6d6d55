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
    public static double Measure(string name, List<(string, double)> results, Action step, string? deleteFirst = null)
    {
        if (deleteFirst is not null)
        {
            Delete(deleteFirst);
        }

        Run("sync", "");
        var clock = Stopwatch.StartNew();
        step();
        double seconds = clock.Elapsed.TotalSeconds;
        results.Add((name, seconds));
        Console.WriteLine($"  {name}: {seconds:F3} s");
        return seconds;
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
        MigrationJob incoming = MigrationJob.StartIncoming(destination, SocketTransport.Listen(listener), options);
        MigrationJob outgoing = MigrationJob.StartOutgoing(source, SocketTransport.Connect(new UnixDomainSocketEndPoint(path)), options);
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
