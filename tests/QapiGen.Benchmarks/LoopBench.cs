using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;

namespace QapiGen.Benchmarks;

/// <summary>
/// <c>loops</c>: the dispatch and reply-reading benchmarks (<see cref="DispatchBenchmarks"/>,
/// <see cref="ReplyReadBenchmarks"/>) as plain loops: per benchmark, after a warm-up long enough for the JIT's
/// last tier, the best of 7 timed runs of <c>--calls</c> calls, and the bytes allocated per call. On a machine
/// other builds load, BenchmarkDotNet's short job gives error bars larger than the means; a best-of-runs
/// figure, taken from two builds run in turn (several rounds each), compares generated code more steadily.
/// <para>
/// <c>loops --serve</c> is the same loops driven from outside, one at a time, for the A/B bench
/// (<c>AbBench</c>): it prints <see cref="ServeGreeting"/>, then reads commands from standard input,
/// <c>run CALLS NAME</c> (one timed loop of CALLS calls of benchmark NAME, answered by the line
/// <c>NAME NS_PER_CALL BYTES_PER_CALL</c>) or <c>quit</c>. Between commands it waits on its input and takes no
/// processor time, so two builds' processes can take turns without disturbing each other. A build from before
/// the bench gets this file copied into its own benchmark project (tests/QapiGen.Benchmarks/ab-build.sh), so
/// both sides run these loops over their own generated code.
/// </para>
/// </summary>
public static class LoopBench
{
    public const string Usage = "usage: QapiGen.Benchmarks loops [--calls N] | loops --serve";

    /// <summary>The first line of <c>loops --serve</c>, naming the protocol; the A/B bench refuses another.</summary>
    public const string ServeGreeting = "qapigen-loops 1";

    public static int Run(string[] args)
    {
        int calls = 200_000;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--calls" when i + 1 < args.Length: calls = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--serve": return Serve();
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        foreach ((string name, Action call) in Cases())
        {
            for (int r = 0; r < 3; r++)
            {
                Loop(call, calls);
            }
            long best = long.MaxValue;
            long allocated = 0;
            for (int r = 0; r < 7; r++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                long ticks = Loop(call, calls);
                allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
                best = Math.Min(best, ticks);
            }
            Console.WriteLine($"{name,-22} {best * 1e9 / Stopwatch.Frequency / calls,8:F0} ns/call (best of 7 x {calls:N0})  {allocated} B/call");
        }
        return 0;
    }

    /// <summary>Every benchmark by name, set up once.</summary>
    private static List<(string Name, Action Call)> Cases()
    {
        var dispatch = new DispatchBenchmarks();
        dispatch.Setup();
        var replies = new ReplyReadBenchmarks();
        return
        [
            ("AddFdLike", () => dispatch.AddFdLike()),
            ("EchoStruct", () => dispatch.EchoStruct()),
            ("QueryThings", () => dispatch.QueryThings()),
            ("Strict", () => replies.Strict()),
            ("Output", () => replies.Output()),
            ("OutputFromNewerServer", () => replies.OutputFromNewerServer()),
        ];
    }

    private static int Serve()
    {
        var cases = new Dictionary<string, Action>(StringComparer.Ordinal);
        foreach ((string name, Action call) in Cases())
        {
            cases.Add(name, call);
        }
        Console.WriteLine($"{ServeGreeting} {string.Join(',', cases.Keys)}");
        while (Console.ReadLine() is string line)
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words is ["quit"])
            {
                return 0;
            }
            if (words is not ["run", string count, string name]
                || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int calls) || calls < 1
                || !cases.TryGetValue(name, out Action? call))
            {
                Console.WriteLine($"error unknown command: {line}");
                continue;
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            long ticks = Loop(call, calls);
            double allocated = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / calls;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {ticks * 1e9 / Stopwatch.Frequency / calls:R} {allocated:R}"));
        }
        return 0;
    }

    private static long Loop(Action call, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            call();
        }
        return Stopwatch.GetTimestamp() - start;
    }
}
