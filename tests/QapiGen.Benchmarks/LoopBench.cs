using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace QapiGen.Benchmarks;

/// <summary>
/// <c>loops</c>: the dispatch and reply-reading benchmarks (<see cref="DispatchBenchmarks"/>,
/// <see cref="ReplyReadBenchmarks"/>) as plain loops: per benchmark, after a warm-up long enough for the JIT's
/// last tier, the best of 7 timed runs of <c>--calls</c> calls, and the bytes allocated per call. On a machine
/// other builds load, BenchmarkDotNet's short job gives error bars larger than the means; a best-of-runs
/// figure, taken from two builds run in turn (several rounds each), compares generated code more steadily.
/// </summary>
public static class LoopBench
{
    public const string Usage = "usage: QapiGen.Benchmarks loops [--calls N]";

    public static int Run(string[] args)
    {
        int calls = 200_000;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--calls" when i + 1 < args.Length: calls = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        var dispatch = new DispatchBenchmarks();
        dispatch.Setup();
        var replies = new ReplyReadBenchmarks();
        var cases = new List<(string Name, Action Call)>
        {
            ("AddFdLike", () => dispatch.AddFdLike()),
            ("EchoStruct", () => dispatch.EchoStruct()),
            ("QueryThings", () => dispatch.QueryThings()),
            ("Strict", () => replies.Strict()),
            ("Output", () => replies.Output()),
            ("OutputFromNewerServer", () => replies.OutputFromNewerServer()),
        };
        foreach ((string name, Action call) in cases)
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
