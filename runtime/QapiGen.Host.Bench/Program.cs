using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace QapiGen.Host.Bench;

/// <summary>
/// qapigen-host-bench [--seconds N] [--no-qemu]: round trips per second of query-version and
/// query-status over a unix socket, sequential and with 32 in flight, for the host, QEMU 7.2
/// (if installed) and the floor (floor/qmp-floor.c, compiled with cc here), all with the same
/// client in one run; then add-fd with an fd passed each time, host vs QEMU. Each figure is the
/// best of three runs after a warm-up (the host's JIT tiers up during the warm-up).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        double seconds = 2;
        bool qemu = true;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds" when i + 1 < args.Length:
                    seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--no-qemu":
                    qemu = false;
                    break;
                default:
                    Console.Error.WriteLine("usage: qapigen-host-bench [--seconds N] [--no-qemu]");
                    return 2;
            }
        }
        TimeSpan duration = TimeSpan.FromSeconds(seconds);
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        List<BenchServer> servers = new();
        try
        {
            string floorBinary = Path.Combine(dir, "qmp-floor");
            Run("cc", "-O2", "-o", floorBinary, Path.Combine(AppContext.BaseDirectory, "floor", "qmp-floor.c"));
            servers.Add(BenchServer.Start("floor (C)", Path.Combine(dir, "floor.sock"), floorBinary, Path.Combine(dir, "floor.sock")));
            servers.Add(BenchServer.Start("qapigen-host", Path.Combine(dir, "host.sock"), "dotnet",
                Path.Combine(AppContext.BaseDirectory, "qapigen-host.dll"), "-qmp", $"unix:{Path.Combine(dir, "host.sock")},server=on,wait=off"));
            string? qemuBinary = qemu ? FindOnPath("qemu-system-x86_64") : null;
            if (qemuBinary is not null)
            {
                // Not -S: QEMU 7.2 only closes removed fdset fds while "running" (seed 000).
                servers.Add(BenchServer.Start("QEMU 7.2", Path.Combine(dir, "qemu.sock"), qemuBinary,
                    "-M", "none", "-nodefaults", "-display", "none", "-qmp", $"unix:{Path.Combine(dir, "qemu.sock")},server=on,wait=off"));
            }
            else
            {
                Console.WriteLine("(QEMU not measured: qemu-system-x86_64 not found or --no-qemu)");
            }

            Console.WriteLine($"round trips per second over a unix socket, best of 3 x {seconds:0.#} s, {Environment.ProcessorCount} cores");
            Console.WriteLine();
            Dictionary<(string, string), double> results = new();
            string[] columns = servers.Select(s => s.Name).ToArray();
            Console.WriteLine($"{"measurement",-34}" + string.Concat(columns.Select(c => $"{c,16}")));
            foreach (string command in new[] { "query-version", "query-status" })
            {
                foreach (bool pipelined in new[] { false, true })
                {
                    string row = $"{command} {(pipelined ? "pipelined x32" : "sequential")}";
                    Console.Write($"{row,-34}");
                    foreach (BenchServer server in servers)
                    {
                        double rate = Best(server, duration, c => pipelined ? c.Pipelined(command, 32, duration) : c.Sequential(command, duration));
                        results[(row, server.Name)] = rate;
                        Console.Write($"{rate,16:N0}");
                    }
                    Console.WriteLine();
                }
            }
            Console.Write($"{"add-fd sequential (fd each time)",-34}");
            foreach (BenchServer server in servers)
            {
                if (server.Name.StartsWith("floor", StringComparison.Ordinal))
                {
                    Console.Write($"{"-",16}");
                    continue;
                }
                double rate = Best(server, duration, c => c.AddFd(duration));
                results[("add-fd", server.Name)] = rate;
                Console.Write($"{rate,16:N0}");
            }
            Console.WriteLine();
            Console.WriteLine();
            PrintRatios(results, qemuBinary is not null);
            return 0;
        }
        finally
        {
            foreach (BenchServer server in servers)
            {
                server.Dispose();
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Best(BenchServer server, TimeSpan duration, Func<BenchClient, double> measure)
    {
        using BenchClient client = BenchClient.Connect(server.SocketPath);
        measure(client); // warm-up: JIT tiering, caches, socket buffers
        double best = 0;
        for (int i = 0; i < 3; i++)
        {
            best = Math.Max(best, measure(client));
        }
        return best;
    }

    private static void PrintRatios(Dictionary<(string, string), double> r, bool haveQemu)
    {
        Console.WriteLine("targets:");
        foreach (string command in new[] { "query-version", "query-status" })
        {
            string seq = $"{command} sequential", pipe = $"{command} pipelined x32";
            Console.WriteLine($"  {seq}: host/floor = {r[(seq, "qapigen-host")] / r[(seq, "floor (C)")]:P0} (target >= 80%)");
            if (haveQemu)
            {
                Console.WriteLine($"  {pipe}: host/QEMU = {r[(pipe, "qapigen-host")] / r[(pipe, "QEMU 7.2")]:0.#}x (target >= 40x)");
            }
        }
        if (haveQemu)
        {
            Console.WriteLine($"  add-fd: host/QEMU = {r[("add-fd", "qapigen-host")] / r[("add-fd", "QEMU 7.2")]:0.#}x (target >= 3x)");
        }
    }

    private static void Run(string program, params string[] args)
    {
        ProcessStartInfo info = new(program);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed with {process.ExitCode}");
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
