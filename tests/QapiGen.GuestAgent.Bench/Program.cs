using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Runtime.Client;

// Reads one file through a real qemu-ga (a plain process on a unix socket) in several ways, timed
// in rounds (--runs), and reports MB/s (best and median round) with the CPU time the agent and this
// process spent in the median round:
// the client's stream helper at several chunk sizes, and the naive loop a user writes from the
// schema alone (guest-file-read with the default count, 4096 bytes, decoded with
// JsonElement.GetBytesFromBase64). A plain read of the same file is the floor.
//   dotnet run -c Release --project tests/QapiGen.GuestAgent.Bench -- [--size MiB] [--runs N]
int sizeMiB = 64;
int runs = 3;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--size": sizeMiB = int.Parse(args[++i]); break;
        case "--runs": runs = int.Parse(args[++i]); break;
        default: Console.Error.WriteLine("usage: qapigen-qga-bench [--size MiB] [--runs N]"); return 2;
    }
}
const string Binary = "/usr/sbin/qemu-ga";
if (!File.Exists(Binary))
{
    Console.Error.WriteLine(Binary + " is not installed (Debian: qemu-guest-agent)");
    return 1;
}

string directory = Path.Combine(Path.GetTempPath(), "qga-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(Path.Combine(directory, "state"));
string socketPath = Path.Combine(directory, "qga.sock");
string file = Path.Combine(directory, "data.bin");
byte[] data = new byte[sizeMiB * 1024 * 1024];
new Random(64).NextBytes(data);
await File.WriteAllBytesAsync(file, data);

using Process agent = Process.Start(new ProcessStartInfo(Binary)
{
    ArgumentList = { "-m", "unix-listen", "-p", socketPath, "-t", Path.Combine(directory, "state") },
    UseShellExecute = false,
})!;
try
{
    await WaitForSocketAsync(socketPath);
    await using QgaClient client = await QgaClient.ConnectAsync("unix:" + socketPath, new QgaClientOptions { Timeout = TimeSpan.FromMinutes(5) });
    Console.WriteLine($"qemu-ga {(await client.ExecuteAsync("guest-info")).GetProperty("version").GetString()}, {sizeMiB} MiB file, best of {runs}, load average {File.ReadAllText("/proc/loadavg").Trim()}");

    var rows = new List<(string Name, Func<Task<int>> Run)>
    {
        ("floor: File.ReadAllBytes of the same file", async () => { await File.ReadAllBytesAsync(file); return 0; }),
        ("naive: guest-file-read, default count 4096", () => NaiveAsync(client, file, data.Length)),
    };
    foreach (int chunk in new[] { 16 * 1024, 64 * 1024, 128 * 1024, 256 * 1024, 1024 * 1024, 4096 * 1024 })
    {
        rows.Add(($"helper: CopyFromGuestAsync, chunk {chunk / 1024} KiB" + (chunk == QgaFileStream.DefaultChunkSize ? " (default)" : ""),
            () => HelperAsync(client, file, data, chunk)));
    }

    foreach (int chunk in new[] { 64 * 1024, 1024 * 1024, 4096 * 1024 })
    {
        rows.Add(($"helper: CopyToGuestAsync (write), chunk {chunk / 1024} KiB", async () =>
        {
            await client.CopyToGuestAsync(new MemoryStream(data, writable: false), file + ".w", chunk);
            return (data.Length + chunk - 1) / chunk + 2;
        }));
    }

    // Rounds in turn (every row once per round), so that the machine's changing load falls on all
    // rows alike; each row reports its best and median round.
    var times = new List<(double Seconds, double Agent, double Client, int Calls)>[rows.Count];
    for (int i = 0; i < rows.Count; i++)
    {
        times[i] = new();
    }

    for (int r = 0; r < runs; r++)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            TimeSpan agentBefore = CpuOf(agent.Id);
            TimeSpan clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            int calls = await rows[i].Run();
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            times[i].Add((seconds, (CpuOf(agent.Id) - agentBefore).TotalSeconds,
                (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalSeconds, calls));
        }
    }
    Console.WriteLine($"{"how",-50} {"best MB/s",9} {"median",7} {"calls",6} {"agent CPU s",11} {"client CPU s",12}");
    for (int i = 0; i < rows.Count; i++)
    {
        var sorted = times[i].OrderBy(t => t.Seconds).ToList();
        (double Seconds, double Agent, double Client, int Calls) best = sorted[0];
        (double Seconds, double Agent, double Client, int Calls) median = sorted[sorted.Count / 2];
        Console.WriteLine($"{rows[i].Name,-50} {data.Length / best.Seconds / 1e6,9:F1} {data.Length / median.Seconds / 1e6,7:F1} {best.Calls,6} {median.Agent,11:F3} {median.Client,12:F3}");
    }
    return 0;
}
finally
{
    agent.Kill();
    await agent.WaitForExitAsync();
    Directory.Delete(directory, recursive: true);
}

static async Task<int> HelperAsync(QgaClient client, string file, byte[] expected, int chunk)
{
    MemoryStream back = new(expected.Length);
    await client.CopyFromGuestAsync(file, back, chunk);
    if (!back.GetBuffer().AsSpan(0, (int)back.Length).SequenceEqual(expected))
    {
        throw new InvalidOperationException("read back differs");
    }

    return (expected.Length + chunk - 1) / chunk + 1;
}

// What a user writes from the schema alone: open, guest-file-read without a count until eof, close.
static async Task<int> NaiveAsync(QgaClient client, string file, int length)
{
    long handle = (await client.ExecuteAsync("guest-file-open", JsonSerializerArgs(file))).GetInt64();
    MemoryStream back = new(length);
    int calls = 0;
    while (true)
    {
        JsonElement chunk = await client.ExecuteAsync("guest-file-read", JsonDocument.Parse($"{{\"handle\": {handle}}}").RootElement);
        calls++;
        back.Write(chunk.GetProperty("buf-b64").GetBytesFromBase64());
        if (chunk.GetProperty("eof").GetBoolean() || chunk.GetProperty("count").GetInt64() == 0)
        {
            break;
        }
    }
    await client.ExecuteAsync("guest-file-close", JsonDocument.Parse($"{{\"handle\": {handle}}}").RootElement);
    if (back.Length != length)
    {
        throw new InvalidOperationException($"read {back.Length} of {length} bytes");
    }

    return calls;
}

static JsonElement JsonSerializerArgs(string path)
{
    var buffer = new System.Buffers.ArrayBufferWriter<byte>();
    using (var w = new Utf8JsonWriter(buffer))
    {
        w.WriteStartObject();
        w.WriteString("path", path);
        w.WriteEndObject();
    }
    return JsonDocument.Parse(buffer.WrittenMemory).RootElement;
}

// utime + stime of a process, from /proc/PID/stat (clock ticks of 10 ms on Linux).
static TimeSpan CpuOf(int pid)
{
    string stat = File.ReadAllText($"/proc/{pid}/stat");
    string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    long ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
    return TimeSpan.FromMilliseconds(ticks * 10);
}

static async Task WaitForSocketAsync(string path)
{
    DateTime until = DateTime.UtcNow.AddSeconds(60);
    while (true)
    {
        if (File.Exists(path))
        {
            using Socket probe = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await probe.ConnectAsync(new UnixDomainSocketEndPoint(path));
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
            }
        }
        if (DateTime.UtcNow > until)
        {
            throw new TimeoutException("qemu-ga did not open its socket");
        }

        await Task.Delay(50);
    }
}
