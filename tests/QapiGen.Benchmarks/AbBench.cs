using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Benchmarks;

/// <summary>
/// <c>ab</c>: two builds' dispatch and reply-reading loops compared in many short interleaved rounds.
/// <para>
/// Each build runs as its own process, <c>loops --serve</c> of its own benchmark assembly (<see cref="LoopBench"/>),
/// so each measures its own generated code with the same loops, and this driver only takes turns and parses
/// answers. A round runs every benchmark once on both sides back to back, the order alternating round by round
/// (before, after, after, before, ...), so the drift of a loaded machine hits both sides alike; only one process
/// runs at a time. Per benchmark the report gives the median of the per-round ratios after / before with a
/// bootstrap 95 % interval (<see cref="AbStatistics"/>), the median ns per call and the bytes per call of each side.
/// A ratio is shown within 5 % when its interval's upper end is at most 1.05, and shown slower when its lower
/// end is above 1.05; otherwise the rounds do not decide.
/// </para>
/// </summary>
public static class AbBench
{
    public const string Usage =
        "usage: QapiGen.Benchmarks ab --before BENCH.dll [--after BENCH.dll] [--rounds N] [--warmup N] [--calls N] [--only NAME,...] [--raw FILE]";

    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        string? before = null;
        string after = typeof(AbBench).Assembly.Location;
        int rounds = 200;
        int warmup = 20;
        int calls = 20_000;
        string[]? only = null;
        string? raw = null;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--before" when i + 1 < args.Length: before = args[++i]; break;
                case "--after" when i + 1 < args.Length: after = args[++i]; break;
                case "--rounds" when i + 1 < args.Length: rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup" when i + 1 < args.Length: warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--calls" when i + 1 < args.Length: calls = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--only" when i + 1 < args.Length: only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                case "--raw" when i + 1 < args.Length: raw = args[++i]; break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        if (before is null || rounds < 2 || warmup < 0 || calls < 1)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        string loadAtStart = LoadAverage();
        await using LoopProcess a = await LoopProcess.StartAsync(Path.GetFullPath(before), cancellationToken);
        await using LoopProcess b = await LoopProcess.StartAsync(Path.GetFullPath(after), cancellationToken);
        string[] names = [.. a.Benchmarks.Intersect(b.Benchmarks, StringComparer.Ordinal).Where(n => only is null || only.Contains(n, StringComparer.Ordinal))];
        if (names.Length == 0)
        {
            Console.Error.WriteLine($"ab: no benchmark to compare (before has {string.Join(',', a.Benchmarks)}; after has {string.Join(',', b.Benchmarks)})");
            return 2;
        }
        Console.WriteLine($"ab: before {a.Path}");
        Console.WriteLine($"ab: after  {b.Path}");
        Console.WriteLine($"ab: {warmup} warm-up and {rounds} measured rounds of {calls:N0} calls per benchmark and side; load average at start {loadAtStart}");

        Dictionary<string, Samples> samples = names.ToDictionary(n => n, _ => new Samples(rounds), StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        for (int round = -warmup; round < rounds; round++)
        {
            foreach (string name in names)
            {
                // Even rounds before first, odd ones after first: A B B A A B ...
                bool beforeFirst = (round & 1) == 0;
                (double ns, double bytes) first = await (beforeFirst ? a : b).RunAsync(name, calls, cancellationToken);
                (double ns, double bytes) second = await (beforeFirst ? b : a).RunAsync(name, calls, cancellationToken);
                if (round >= 0)
                {
                    samples[name].Add(beforeFirst ? first : second, beforeFirst ? second : first);
                }
            }
        }
        string loadAtEnd = LoadAverage();
        Console.WriteLine($"ab: {watch.Elapsed.TotalSeconds:F0} s; load average at end {loadAtEnd}");
        Console.WriteLine();
        Console.WriteLine("| benchmark | before ns/call | after ns/call | median ratio after/before | 95 % interval | bytes/call before → after | within 5 % |");
        Console.WriteLine("| --- | ---: | ---: | ---: | :---: | ---: | --- |");
        foreach (string name in names)
        {
            Samples s = samples[name];
            double[] ratios = AbStatistics.Ratios(s.BeforeNs, s.AfterNs);
            double median = AbStatistics.Median(ratios);
            (double low, double high) = AbStatistics.BootstrapMedianInterval(ratios);
            string verdict = AbStatistics.WithinLimit((low, high), 1.05) switch
            {
                true => "shown",
                false => "**no: slower**",
                null => "not shown",
            };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| `{name}` | {AbStatistics.Median(s.BeforeNs):F0} | {AbStatistics.Median(s.AfterNs):F0} | {median:F3} | {low:F3}–{high:F3} | {AbStatistics.Median(s.BeforeBytes):F0} → {AbStatistics.Median(s.AfterBytes):F0} | {verdict} |"));
        }
        if (raw is not null)
        {
            var text = new StringBuilder("benchmark\tround\tbefore_ns\tafter_ns\tbefore_bytes\tafter_bytes\n");
            foreach (string name in names)
            {
                Samples s = samples[name];
                for (int r = 0; r < s.BeforeNs.Count; r++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{name}\t{r}\t{s.BeforeNs[r]:R}\t{s.AfterNs[r]:R}\t{s.BeforeBytes[r]:R}\t{s.AfterBytes[r]:R}\n");
                }
            }
            await File.WriteAllTextAsync(raw, text.ToString(), cancellationToken);
        }
        return 0;
    }

    /// <summary>The 1, 5 and 15 minute load averages, or "unknown" off Linux.</summary>
    private static string LoadAverage()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{fields[0]} {fields[1]} {fields[2]}";
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private sealed class Samples(int capacity)
    {
        public List<double> BeforeNs { get; } = new(capacity);
        public List<double> AfterNs { get; } = new(capacity);
        public List<double> BeforeBytes { get; } = new(capacity);
        public List<double> AfterBytes { get; } = new(capacity);

        public void Add((double Ns, double Bytes) before, (double Ns, double Bytes) after)
        {
            BeforeNs.Add(before.Ns);
            AfterNs.Add(after.Ns);
            BeforeBytes.Add(before.Bytes);
            AfterBytes.Add(after.Bytes);
        }
    }

    /// <summary>One build's <c>loops --serve</c> process.</summary>
    private sealed class LoopProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private LoopProcess(Process process, string path, string[] benchmarks)
        {
            _process = process;
            Path = path;
            Benchmarks = benchmarks;
        }

        public string Path { get; }

        public string[] Benchmarks { get; }

        public static async Task<LoopProcess> StartAsync(string assembly, CancellationToken cancellationToken)
        {
            if (!File.Exists(assembly))
            {
                throw new FileNotFoundException($"ab: no benchmark assembly at {assembly}", assembly);
            }
            var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
                WorkingDirectory = System.IO.Path.GetDirectoryName(assembly)!,
            };
            start.ArgumentList.Add(assembly);
            start.ArgumentList.Add("loops");
            start.ArgumentList.Add("--serve");
            Process process = Process.Start(start) ?? throw new InvalidOperationException($"ab: could not start {assembly}");
            process.StandardInput.AutoFlush = true;
            var loop = new LoopProcess(process, assembly, []);
            string greeting = await loop.ReadLineAsync(cancellationToken);
            string prefix = LoopBench.ServeGreeting + " ";
            if (!greeting.StartsWith(prefix, StringComparison.Ordinal))
            {
                await loop.DisposeAsync();
                throw new InvalidDataException($"ab: {assembly} answered '{greeting}', not '{LoopBench.ServeGreeting} NAMES' (build it with tests/QapiGen.Benchmarks/ab-build.sh)");
            }
            return new LoopProcess(process, assembly, greeting[prefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries));
        }

        public async Task<(double Ns, double Bytes)> RunAsync(string name, int calls, CancellationToken cancellationToken)
        {
            await _process.StandardInput.WriteLineAsync($"run {calls.ToString(CultureInfo.InvariantCulture)} {name}".AsMemory(), cancellationToken);
            string line = await ReadLineAsync(cancellationToken);
            string[] words = line.Split(' ');
            if (words.Length != 3 || words[0] != name
                || !double.TryParse(words[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double ns)
                || !double.TryParse(words[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double bytes))
            {
                throw new InvalidDataException($"ab: {Path} answered '{line}' to run {name}");
            }
            return (ns, bytes);
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AnswerTimeout);
            return await _process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidDataException($"ab: {Path} ended (exit code {(_process.HasExited ? _process.ExitCode : -1)})");
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!_process.HasExited)
                {
                    await _process.StandardInput.WriteLineAsync("quit");
                    using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    try
                    {
                        await _process.WaitForExitAsync(wait.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        _process.Kill();
                    }
                }
            }
            catch (IOException)
            {
                // The process already closed its input: it is ending.
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
