using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Threading.Tasks;
using QapiGen.Bench;
using QapiGen.Migration.Control;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;
using QapiGen.Migration.Validation;

[assembly: SupportedOSPlatform("linux")]

// qapigen-bench [--size 1G] [--dir DIR] [--runs 5] [--no-qemu] [--no-host] [--host-only]
// Each figure is the best of --runs runs: the machine may be shared (CI, other
// builds), and the best run is the one least disturbed by neighbours.
// Migrates guest RAM of --size to files in --dir (one file system, so dd's rate
// there is the floor to compare against) and over a unix socket, and prints GB/s.
string sizeText = Arg(args, "--size") ?? "1G";
// --host-only: the end-to-end qapigen-host figures and the socket copy they are compared with.
bool engine = !args.Contains("--host-only");
string dir = Arg(args, "--dir") ?? Path.GetTempPath();
Bench.Runs = int.Parse(Arg(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
long size = RamSize.Parse(sizeText);
var results = new List<(string Name, double Seconds)>();
string source = Path.Combine(dir, "qapigen-bench-src.bin");
string target = Path.Combine(dir, "qapigen-bench-out.bin");

Console.WriteLine($"RAM {sizeText}, files in {dir} ({Environment.ProcessorCount} cores)");
Bench.WriteRandomFile(source, size);
Bench.Kernels(source, size);

double dd = Bench.Measure("dd if=SRC of=FILE bs=1M (floor)", results, () =>
    Bench.Run("dd", $"if={source} of={target} bs=1M status=none"), target);

using (MachineState random = Bench.Machine(size, source))
{
    if (engine)
    {
        MeasureFiles(random, target, results);
    }

    double copy = Bench.Measure("plain unix socket copy of the same bytes", results, () => Bench.SocketCopy(random.Ram));
    foreach ((string name, MigrationOptions options) in engine ? SocketModes() : [])
    {
        using MachineState destination = Bench.Machine(size, null);
        random.SetRunState(RunState.Paused);
        double seconds = Bench.Measure($"random RAM host -> host over unix socket, {name}", results, () =>
            Bench.SocketMigrate(random, destination, options));
        Bench.CheckSame(random.Ram, destination.Ram);
        Console.WriteLine($"    ratio to plain socket copy: {copy / seconds:P0}");
    }

    if (!args.Contains("--no-host"))
    {
        // Two qapigen-host processes and QMP: the product end to end, RAM checked after the first run.
        foreach ((bool multifd, bool running) in new[] { (false, false), (true, false), (false, true) })
        {
            bool verify = true;
            string mode = (multifd ? "multifd x2" : "one channel") + (running ? ", source running" : ", source -S");
            double seconds = Bench.Measure($"qapigen-host -> qapigen-host, QMP + unix socket, {mode}", results, () => { },
                runs: Bench.Runs, timed: () =>
                {
                    double s = HostToHost.Migrate(sizeText, source, multifd, running, verify);
                    verify = false;
                    return s;
                });
            Console.WriteLine($"    ratio to plain socket copy: {copy / seconds:P0}");
        }
    }
}

if (engine)
{
    using MachineState zero = Bench.Machine(size, null);
    foreach ((string name, MigrationOptions options) in FileModes())
    {
        Bench.Measure($"zero RAM -> file, {name}", results, () =>
        {
            zero.SetRunState(RunState.Paused);
            Bench.Complete(MigrationJob.StartOutgoing(zero, FileTransport.Open(target, MigrationDirection.Outgoing), options));
        }, target);
    }
}

if (engine && Qemu.Available() && !args.Contains("--no-qemu"))
{
    string qmpPath = "QMP";
    Console.WriteLine($"QEMU: {Qemu.CommandLine(sizeText, source, qmpPath)}");
    Console.WriteLine($"      then over QMP: qmp_capabilities, [migrate-set-parameters max-bandwidth], migrate uri=\"exec:cat > FILE\", poll query-migrate; time = its total-time");
    foreach ((string label, string? fill) in new[] { ("random", (string?)source), ("zero", null) })
    {
        foreach (long bandwidth in new long[] { 0, 1L << 40 })
        {
            string name = $"QEMU {label} RAM -> exec:cat > FILE, {(bandwidth == 0 ? "default max-bandwidth" : "max-bandwidth 1 TiB/s")}";
            Bench.Measure(name, results, () => { }, target, runs: bandwidth == 0 && fill is not null ? 1 : Bench.Runs,
                timed: () => Qemu.Migrate(sizeText, fill, target, bandwidth));
        }
    }
}

Console.WriteLine();
Console.WriteLine($"{"measurement",-70} {"seconds",8} {"GB/s",7} {"vs dd",7}");
foreach ((string name, double seconds) in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-70} {seconds,8:F3} {size / seconds / 1e9,7:F2} {dd / seconds,7:P0}"));
}

Bench.Delete(target);
Bench.Delete(source);

// Guest RAM to and from a file in each format, and to exec:cat (the engine alone).
static void MeasureFiles(MachineState random, string target, List<(string Name, double Seconds)> results)
{
    long size = random.Ram.Size;
    Bench.Measure("plain pwrite of the same RAM, 1 MiB at a time", results, () => Bench.PlainWrite(random.Ram, target), target);
    foreach ((string name, MigrationOptions options) in FileModes())
    {
        Bench.Measure($"random RAM -> file, {name}", results, () =>
        {
            random.SetRunState(RunState.Paused);
            Bench.Complete(MigrationJob.StartOutgoing(random, FileTransport.Open(target, MigrationDirection.Outgoing), options));
        }, target);
        using (MachineState destination = Bench.Machine(size, null))
        {
            Bench.Measure($"file -> RAM, {name}", results, () =>
                Bench.Complete(MigrationJob.StartIncoming(destination, FileTransport.Open(target, MigrationDirection.Incoming), options)));
            Bench.CheckSame(random.Ram, destination.Ram);
        }
    }

    Bench.Measure("random RAM -> exec:cat > FILE", results, () =>
    {
        random.SetRunState(RunState.Paused);
        Bench.Complete(MigrationJob.StartOutgoing(random, ExecTransport.FromShellCommand($"cat > {target}", MigrationDirection.Outgoing)));
    }, target);
}

static IEnumerable<(string, MigrationOptions)> FileModes()
{
    yield return ("stream", new MigrationOptions());
    yield return ("mapped-ram", new MigrationOptions { Capabilities = new MigrationCapabilities { MappedRam = true } });
    yield return ("mapped-ram + multifd x2", new MigrationOptions
    {
        Capabilities = new MigrationCapabilities { MappedRam = true, Multifd = true },
        Parameters = new MigrationParameters { MultifdChannels = 2 },
    });
}

static IEnumerable<(string, MigrationOptions)> SocketModes()
{
    yield return ("one channel", new MigrationOptions());
    yield return ("multifd x2", new MigrationOptions
    {
        Capabilities = new MigrationCapabilities { Multifd = true },
        Parameters = new MigrationParameters { MultifdChannels = 2 },
    });
}

static string? Arg(string[] args, string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
