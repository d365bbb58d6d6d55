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
/// runs at a time. Rounds come in sessions, each with a fresh pair of processes: two processes of one build
/// differ by several per cent for their whole life (what the JIT made of the code), which rounds within one
/// pair cannot show. Per benchmark the report gives the median of the per-round ratios after / before with a
/// bootstrap 95 % interval over sessions and rounds (<see cref="AbStatistics"/>), the range of the sessions'
/// medians, the median ns per call and the bytes per call of each side.
/// A ratio is shown within 5 % when its interval's upper end is at most 1.05, and shown slower when its lower
/// end is above 1.05; otherwise the rounds do not decide.
/// </para>
/// </summary>
public static class AbBench
{
    public const string Usage =
        "usage: QapiGen.Benchmarks ab --before BENCH.dll [--after BENCH.dll] [--sessions N] [--rounds N] [--warmup N] [--calls N] [--only NAME,...] [--raw FILE]";

    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        string? before = null;
        string after = typeof(AbBench).Assembly.Location;
        int sessions = 10;
        int rounds = 40;
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
                case "--sessions" when i + 1 < args.Length: sessions = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
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
        if (before is null || sessions < 1 || rounds < 2 || warmup < 0 || calls < 1)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        string loadAtStart = LoadAverage();
        before = Path.GetFullPath(before);
        after = Path.GetFullPath(after);
        Console.WriteLine($"ab: before {before}");
        Console.WriteLine($"ab: after  {after}");
        Console.WriteLine($"ab: {sessions} sessions of {warmup} warm-up and {rounds} measured rounds, {calls:N0} calls per benchmark and side; load average at start {loadAtStart}");
        var watch = Stopwatch.StartNew();
        string[] names = [];
        Dictionary<string, Samples> samples = new(StringComparer.Ordinal);
        for (int session = 0; session < sessions; session++)
        {
            // Fresh processes per session, the first started alternating too.
            LoopProcess? a = null;
            LoopProcess? b = null;
            try
            {
                if ((session & 1) == 0)
                {
                    a = await LoopProcess.StartAsync(before, cancellationToken);
                    b = await LoopProcess.StartAsync(after, cancellationToken);
                }
                else
                {
                    b = await LoopProcess.StartAsync(after, cancellationToken);
                    a = await LoopProcess.StartAsync(before, cancellationToken);
                }
                if (session == 0)
                {
                    names = [.. a.Benchmarks.Intersect(b.Benchmarks, StringComparer.Ordinal).Where(n => only is null || only.Contains(n, StringComparer.Ordinal))];
                    if (names.Length == 0)
                    {
                        Console.Error.WriteLine($"ab: no benchmark to compare (before has {string.Join(',', a.Benchmarks)}; after has {string.Join(',', b.Benchmarks)})");
                        return 2;
                    }
                    foreach (string name in names)
                    {
                        samples.Add(name, new Samples());
                    }
                }
                foreach (Samples s in samples.Values)
                {
                    s.StartSession();
                }
                for (int round = -warmup; round < rounds; round++)
                {
                    foreach (string name in names)
                    {
                        // Even rounds before first, odd ones after first: A B B A A B ...
                        bool beforeFirst = (round & 1) == 0;
                        (double Ns, double Bytes) first = await (beforeFirst ? a : b).RunAsync(name, calls, cancellationToken);
                        (double Ns, double Bytes) second = await (beforeFirst ? b : a).RunAsync(name, calls, cancellationToken);
                        if (round >= 0)
                        {
                            samples[name].Add(beforeFirst ? first : second, beforeFirst ? second : first);
                        }
                    }
                }
            }
            finally
            {
                if (a is not null)
                {
                    await a.DisposeAsync();
                }
                if (b is not null)
                {
                    await b.DisposeAsync();
                }
            }
        }
        if (sessions < 8)
        {
            // Two processes of one build differ by several per cent for their whole life: few sessions, narrow lies.
            Console.WriteLine($"ab: only {sessions} session(s): the intervals hardly cover the difference between processes; use --sessions 8 or more");
        }
        string loadAtEnd = LoadAverage();
        Console.WriteLine($"ab: {watch.Elapsed.TotalSeconds:F0} s; load average at end {loadAtEnd}");
        Console.WriteLine();
        Console.WriteLine("| benchmark | before ns/call | after ns/call | median ratio after/before | 95 % interval | sessions' medians | bytes/call before → after | within 5 % |");
        Console.WriteLine("| --- | ---: | ---: | ---: | :---: | :---: | ---: | --- |");
        foreach (string name in names)
        {
            Samples s = samples[name];
            double[][] ratios = [.. s.Sessions.Select(x => AbStatistics.Ratios(x.BeforeNs, x.AfterNs))];
            double median = AbStatistics.Median([.. ratios.SelectMany(r => r)]);
            (double low, double high) = AbStatistics.BootstrapMedianInterval(ratios);
            double[] sessionMedians = [.. ratios.Select(r => AbStatistics.Median(r))];
            string verdict = AbStatistics.WithinLimit((low, high), 1.05) switch
            {
                true => "shown",
                false => "**no: slower**",
                null => "not shown",
            };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| `{name}` | {Pooled(s, x => x.BeforeNs):F0} | {Pooled(s, x => x.AfterNs):F0} | {median:F3} | {low:F3}–{high:F3} | {sessionMedians.Min():F2}–{sessionMedians.Max():F2} | {Pooled(s, x => x.BeforeBytes):F0} → {Pooled(s, x => x.AfterBytes):F0} | {verdict} |"));
        }
        if (raw is not null)
        {
            var text = new StringBuilder("benchmark\tsession\tround\tbefore_ns\tafter_ns\tbefore_bytes\tafter_bytes\n");
            foreach (string name in names)
            {
                for (int session = 0; session < samples[name].Sessions.Count; session++)
                {
                    Session x = samples[name].Sessions[session];
                    for (int r = 0; r < x.BeforeNs.Count; r++)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"{name}\t{session}\t{r}\t{x.BeforeNs[r]:R}\t{x.AfterNs[r]:R}\t{x.BeforeBytes[r]:R}\t{x.AfterBytes[r]:R}\n");
                    }
                }
            }
            await File.WriteAllTextAsync(raw, text.ToString(), cancellationToken);
        }
        return 0;
    }

    /// <summary>The median of one measure over every round of every session.</summary>
    private static double Pooled(Samples samples, Func<Session, List<double>> measure)
        => AbStatistics.Median([.. samples.Sessions.SelectMany(measure)]);

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

    /// <summary>One benchmark's rounds, session by session.</summary>
    private sealed class Samples
    {
        public List<Session> Sessions { get; } = [];

        public void StartSession() => Sessions.Add(new Session());

        public void Add((double Ns, double Bytes) before, (double Ns, double Bytes) after)
        {
            Session s = Sessions[^1];
            s.BeforeNs.Add(before.Ns);
            s.AfterNs.Add(after.Ns);
            s.BeforeBytes.Add(before.Bytes);
            s.AfterBytes.Add(after.Bytes);
        }
    }

    /// <summary>The rounds of one pair of processes.</summary>
    private sealed class Session
    {
        public List<double> BeforeNs { get; } = [];
        public List<double> AfterNs { get; } = [];
        public List<double> BeforeBytes { get; } = [];
        public List<double> AfterBytes { get; } = [];
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
