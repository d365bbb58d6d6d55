using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace QapiGen.Host.Bench;

/// <summary>
/// qapigen-host-bench [--seconds S] [--rounds R] [--no-qemu] [--native PATH]... [--baseline DIR]: round trips
/// per second of query-version and query-status over a unix socket, sequential and with 32 in flight,
/// for the host, QEMU 7.2 (if installed) and the floor (floor/qmp-floor.c, compiled with cc here), all
/// with the same client in one run; then the requests with arguments, host vs QEMU: add-fd with an fd
/// passed each time and migrate-set-capabilities (an argument that is a list of structs), sequential
/// and with 32 in flight; then, as a cross-check, the sequential rows again with a C client
/// (floor/qmp-seq-client.c). --native adds a native build of the host (docs/native.md) as one more
/// server, and given again another ("host native 2", ...: builds with other compiler options side by
/// side), each compared with the JIT host round by round; --baseline adds the qapigen-host.dll of
/// another build (DIR), "host before", to compare two versions of the host round by round.
/// </summary>
/// <remarks>
/// Each row gives every server S seconds, cut into R short rounds taken in turn (floor, host,
/// QEMU, floor, host, ...) after a warm-up. A ratio is the median of the R ratios of rounds taken
/// side by side, so the machine's drift (a shared 2-core VM here, whose speed moves by a third
/// from one second to the next) cancels out instead of favouring whichever server ran in a quiet
/// moment; the quartiles show the spread. Rates are the medians of each server's rounds.
/// </remarks>
internal static class Program
{
    private static int Main(string[] args)
    {
        double seconds = 4;
        int rounds = 16;
        bool qemu = true;
        List<string> natives = new();
        string? baseline = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds" when i + 1 < args.Length:
                    seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--rounds" when i + 1 < args.Length:
                    rounds = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--no-qemu":
                    qemu = false;
                    break;
                case "--native" when i + 1 < args.Length:
                    natives.Add(Path.GetFullPath(args[++i]));
                    break;
                case "--baseline" when i + 1 < args.Length:
                    baseline = Path.GetFullPath(args[++i]);
                    break;
                default:
                    Console.Error.WriteLine("usage: qapigen-host-bench [--seconds S] [--rounds R] [--no-qemu] [--native PATH]... [--baseline DIR]");
                    return 2;
            }
        }
        TimeSpan round = TimeSpan.FromSeconds(seconds / rounds);
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
            for (int n = 0; n < natives.Count; n++)
            {
                string socket = Path.Combine(dir, $"native{n}.sock");
                servers.Add(BenchServer.Start(NativeName(n), socket, natives[n], "-qmp", $"unix:{socket},server=on,wait=off"));
            }
            if (baseline is not null)
            {
                servers.Add(BenchServer.Start(Before, Path.Combine(dir, "before.sock"), "dotnet",
                    Path.Combine(baseline, "qapigen-host.dll"), "-qmp", $"unix:{Path.Combine(dir, "before.sock")},server=on,wait=off"));
            }
            string? qemuBinary = qemu ? FindOnPath("qemu-system-x86_64") : null;
            if (qemuBinary is not null)
            {
                // Not -S: QEMU 7.2 only closes removed fdset fds while "running" (the host closes them in any run state).
                servers.Add(BenchServer.Start("QEMU 7.2", Path.Combine(dir, "qemu.sock"), qemuBinary,
                    "-M", "none", "-nodefaults", "-display", "none", "-qmp", $"unix:{Path.Combine(dir, "qemu.sock")},server=on,wait=off"));
            }
            else
            {
                Console.WriteLine("(QEMU not measured: qemu-system-x86_64 not found or --no-qemu)");
            }

            Console.WriteLine($"round trips per second over a unix socket: medians of {rounds} alternating rounds of {round.TotalSeconds:0.###} s per server, {Environment.ProcessorCount} cores");
            Console.WriteLine();
            Dictionary<(string Row, string Server), double[]> results = new();
            Console.WriteLine($"{"measurement",-40}" + string.Concat(servers.Select(s => $"{s.Name,16}")));
            foreach (string command in new[] { "query-version", "query-status" })
            {
                foreach (bool pipelined in new[] { false, true })
                {
                    string row = $"{command} {(pipelined ? "pipelined x32" : "sequential")}";
                    Measure(row, servers, servers, rounds, results,
                        c => pipelined ? c.Pipelined(BenchClient.Plain(command), 32, round) : c.Sequential(BenchClient.Plain(command), round));
                }
            }
            List<BenchServer> fdServers = servers.Where(s => !s.Name.StartsWith("floor", StringComparison.Ordinal)).ToList();
            Measure("add-fd", fdServers, servers, rounds, results, c => c.AddFd(round));
            Measure("add-fd pipelined x32", fdServers, servers, rounds, results, c => c.AddFdPipelined(32, round));
            foreach (bool pipelined in new[] { false, true })
            {
                Measure($"{Nested} {(pipelined ? "pipelined x32" : "sequential")}", fdServers, servers, rounds, results,
                    c => pipelined ? c.Pipelined(NestedRequest, 32, round) : c.Sequential(NestedRequest, round));
            }
            string cClient = Path.Combine(dir, "qmp-seq-client");
            Run("cc", "-O2", "-o", cClient, Path.Combine(AppContext.BaseDirectory, "floor", "qmp-seq-client.c"));
            foreach (string command in new[] { "query-version", "query-status" })
            {
                Measure($"{command} sequential, C client", servers, servers, rounds, results,
                    s => new CClientRun(cClient, s.SocketPath, command, round), c => c.Measure());
            }
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

    /// <summary>
    /// Warms every server up, then measures them in turn, <paramref name="rounds"/> times, and
    /// prints the median rate of each (a dash for servers not measured in this row).
    /// </summary>
    private static void Measure(string row, IReadOnlyList<BenchServer> measured, IReadOnlyList<BenchServer> all, int rounds,
        Dictionary<(string Row, string Server), double[]> results, Func<BenchClient, double> measure) =>
        Measure(row, measured, all, rounds, results, s => BenchClient.Connect(s.SocketPath), measure);

    private static void Measure<TClient>(string row, IReadOnlyList<BenchServer> measured, IReadOnlyList<BenchServer> all, int rounds,
        Dictionary<(string Row, string Server), double[]> results, Func<BenchServer, TClient> open, Func<TClient, double> measure)
    {
        Console.Write($"{(row == "add-fd" ? "add-fd sequential (fd each time)" : row),-40}");
        TClient[] clients = measured.Select(open).ToArray();
        try
        {
            foreach (TClient client in clients)
            {
                measure(client); // warm-up: JIT tiering, caches, socket buffers
            }
            double[][] rates = measured.Select(_ => new double[rounds]).ToArray();
            for (int r = 0; r < rounds; r++)
            {
                for (int i = 0; i < clients.Length; i++)
                {
                    rates[i][r] = measure(clients[i]);
                }
            }
            for (int i = 0; i < measured.Count; i++)
            {
                results[(row, measured[i].Name)] = rates[i];
            }
        }
        finally
        {
            foreach (TClient client in clients)
            {
                (client as IDisposable)?.Dispose();
            }
        }
        foreach (BenchServer server in all)
        {
            Console.Write(results.TryGetValue((row, server.Name), out double[]? rates) ? $"{Median(rates),16:N0}" : $"{"-",16}");
        }
        Console.WriteLine();
    }

    private const string Before = "host before";

    private const string Native = "host native";

    private static string NativeName(int index) => index == 0 ? Native : $"{Native} {index + 1}";

    /// <summary>A command whose argument is a list of structs (nested objects to read), known to the host and QEMU 7.2.</summary>
    private const string Nested = "migrate-set-capabilities";

    private const string NestedRequest = "{\"execute\":\"migrate-set-capabilities\",\"arguments\":{\"capabilities\":[{\"capability\":\"multifd\",\"state\":false},{\"capability\":\"events\",\"state\":false}]}}";

    private static void PrintRatios(Dictionary<(string Row, string Server), double[]> r, bool haveQemu)
    {
        if (r.Keys.Any(k => k.Server == Before))
        {
            Console.WriteLine("this build against --baseline (median of the per-round ratios, quartiles in brackets):");
            foreach (string row in r.Keys.Where(k => k.Server == Before).Select(k => k.Row).Distinct())
            {
                Console.WriteLine($"  {row}: host/host before = {Ratio(r, row, "qapigen-host", Before, "0.00x")}");
            }
        }
        foreach (string native in r.Keys.Select(k => k.Server).Where(s => s.StartsWith(Native, StringComparison.Ordinal)).Distinct().Order())
        {
            Console.WriteLine($"{native} against the JIT host (median of the per-round ratios, quartiles in brackets; target >= 0.95x):");
            foreach (string row in r.Keys.Where(k => k.Server == native).Select(k => k.Row).Distinct())
            {
                Console.WriteLine($"  {row}: native/JIT = {Ratio(r, row, native, "qapigen-host", "0.000x")}");
            }
        }
        Console.WriteLine("targets (median of the per-round ratios, quartiles in brackets):");
        foreach (string command in new[] { "query-version", "query-status" })
        {
            string seq = $"{command} sequential", pipe = $"{command} pipelined x32";
            Console.WriteLine($"  {seq}: host/floor = {Ratio(r, seq, "qapigen-host", "floor (C)", "P0")} (target >= 80%)");
            if (haveQemu)
            {
                Console.WriteLine($"  {pipe}: host/QEMU = {Ratio(r, pipe, "qapigen-host", "QEMU 7.2", "0.#x")} (target >= 40x)");
            }
        }
        foreach (string command in new[] { "query-version", "query-status" })
        {
            string row = $"{command} sequential, C client";
            Console.WriteLine($"  {row}: host/floor = {Ratio(r, row, "qapigen-host", "floor (C)", "P0")} (cross-check)");
        }
        if (haveQemu)
        {
            Console.WriteLine($"  add-fd: host/QEMU = {Ratio(r, "add-fd", "qapigen-host", "QEMU 7.2", "0.#x")} (target >= 3x)");
            foreach (string row in new[] { "add-fd pipelined x32", $"{Nested} sequential", $"{Nested} pipelined x32" })
            {
                Console.WriteLine($"  {row}: host/QEMU = {Ratio(r, row, "qapigen-host", "QEMU 7.2", "0.#x")}");
            }
        }
    }

    /// <summary>Median and quartiles of the ratios of rounds measured side by side.</summary>
    private static string Ratio(Dictionary<(string Row, string Server), double[]> r, string row, string server, string baseline, string format)
    {
        double[] a = r[(row, server)], b = r[(row, baseline)];
        double[] ratios = a.Zip(b, (x, y) => x / y).Order().ToArray();
        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        return $"{F(Quantile(ratios, 0.5))} [{F(Quantile(ratios, 0.25))} - {F(Quantile(ratios, 0.75))}]";
    }

    private static double Median(double[] values) => Quantile(values.Order().ToArray(), 0.5);

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    /// <summary>One round of floor/qmp-seq-client.c against a server: a process per round, its rate on stdout.</summary>
    private sealed class CClientRun(string binary, string socketPath, string command, TimeSpan round)
    {
        public double Measure()
        {
            ProcessStartInfo info = new(binary) { RedirectStandardOutput = true };
            info.ArgumentList.Add(socketPath);
            info.ArgumentList.Add(command);
            info.ArgumentList.Add(round.TotalSeconds.ToString(CultureInfo.InvariantCulture));
            using Process process = Process.Start(info) ?? throw new InvalidOperationException("qmp-seq-client did not start");
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"qmp-seq-client failed with {process.ExitCode} against {socketPath}");
            }
            return double.Parse(output, CultureInfo.InvariantCulture);
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
