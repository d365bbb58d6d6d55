using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace QapiGen.Cli;

/// <summary>
/// <c>QAPIGEN_TIMINGS=1</c>: at exit, each stage of the run on stderr, with its wall time and what it
/// allocated (fresh memory is most of a short native run's cost, docs/native.md), then the process's
/// CPU time, its page faults and how much of the heap has huge pages (<see cref="HugePageHeap"/>). The
/// CPU time spent before <c>Main</c> is the runtime's start-up. Off (the variable unset or anything but
/// 1), a mark costs one test of a static field.
/// </summary>
internal static class StageTimings
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("QAPIGEN_TIMINGS") == "1";

    private static readonly List<(string Stage, long Ticks, long Bytes)> Stages = new();
    private static TimeSpan _cpuAtStart;
    private static long _startTicks;
    private static long _lastTicks;
    private static long _lastBytes;

    /// <summary>How much of the young generation <see cref="HugePageHeap"/> prepared (0: none), reported at exit.</summary>
    public static long HugePageBytes { get; set; }

    /// <summary>Starts the clock (first thing in <c>Main</c>).</summary>
    public static void Start()
    {
        if (!Enabled)
        {
            return;
        }

        _cpuAtStart = Environment.CpuUsage.TotalTime;
        _startTicks = _lastTicks = Stopwatch.GetTimestamp();
        _lastBytes = GC.GetTotalAllocatedBytes(precise: true);
    }

    /// <summary>Ends the stage named <paramref name="stage"/>: the time and allocation since the last mark.</summary>
    public static void Mark(string stage)
    {
        if (!Enabled)
        {
            return;
        }

        long ticks = Stopwatch.GetTimestamp();
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        Stages.Add((stage, ticks - _lastTicks, bytes - _lastBytes));
        _lastTicks = ticks;
        _lastBytes = bytes;
    }

    /// <summary>Prints the stages and the totals to <paramref name="stderr"/> (last thing in <c>Main</c>).</summary>
    public static void Report(TextWriter stderr)
    {
        if (!Enabled)
        {
            return;
        }

        Mark("exit");
        CultureInfo c = CultureInfo.InvariantCulture;
        stderr.WriteLine(string.Format(c, "qapigen timings: {0,-20} cpu {1,7:F1} ms", "before Main", _cpuAtStart.TotalMilliseconds));
        long allBytes = 0;
        foreach ((string stage, long ticks, long bytes) in Stages)
        {
            allBytes += bytes;
            stderr.WriteLine(string.Format(c, "qapigen timings: {0,-20} wall {1,7:F1} ms {2,9:N0} KB allocated",
                stage, Stopwatch.GetElapsedTime(0, ticks).TotalMilliseconds, bytes / 1024));
        }
        Environment.ProcessCpuUsage cpu = Environment.CpuUsage;
        stderr.WriteLine(string.Format(c,
            "qapigen timings: {0,-20} wall {1,7:F1} ms {2,9:N0} KB allocated, {3} GCs; cpu {4:F1} ms (user {5:F1}, sys {6:F1}); {7} page faults; huge pages: {8}",
            "Main", Stopwatch.GetElapsedTime(_startTicks).TotalMilliseconds, allBytes / 1024, GC.CollectionCount(0),
            cpu.TotalTime.TotalMilliseconds, cpu.UserTime.TotalMilliseconds, cpu.PrivilegedTime.TotalMilliseconds, PageFaults(),
            HugePageBytes > 0 ? (HugePageBytes >> 20).ToString(c) + " MiB" : "none"));
    }

    /// <summary>
    /// The process's page faults so far (minor and major: <c>/proc/self/stat</c> fields 10 and 12), the
    /// measure of the fresh memory a run touched; "?" where there is no such file.
    /// </summary>
    private static string PageFaults()
    {
        try
        {
            // The fields after the command's closing parenthesis start at field 3 (the state).
            string stat = File.ReadAllText("/proc/self/stat");
            string[] fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
            long faults = long.Parse(fields[10 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[12 - 3], CultureInfo.InvariantCulture);
            return faults.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return "?";
        }
    }
}
