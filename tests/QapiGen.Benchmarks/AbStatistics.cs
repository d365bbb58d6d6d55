using System;
using System.Collections.Generic;

namespace QapiGen.Benchmarks;

/// <summary>
/// The statistics of the A/B bench (<see cref="AbBench"/>): per round one ratio after / before of the same
/// benchmark measured back to back, their median, and a percentile bootstrap interval of that median.
/// A ratio per round cancels the drift a loaded machine adds to both builds alike; the median ignores the
/// rounds another process spoiled for one side; the interval says how far the median itself can be trusted
/// (resampling, not assuming any distribution of the noise). Rounds come in sessions, one pair of processes
/// each: a process keeps for its whole life what its JIT made of the code (two processes of the same build
/// differ by several per cent), so the interval resamples sessions first and rounds within them
/// (<see cref="BootstrapMedianInterval(IReadOnlyList{IReadOnlyList{double}}, int, double, int)"/>).
/// </summary>
public static class AbStatistics
{
    /// <summary>The median of <paramref name="values"/> (the mean of the two middle ones for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        }
        double[] sorted = [.. values];
        Array.Sort(sorted);
        return MedianOfSorted(sorted);
    }

    /// <summary>The ratios <c>after[i] / before[i]</c> of rounds measured in pairs.</summary>
    public static double[] Ratios(IReadOnlyList<double> before, IReadOnlyList<double> after)
    {
        if (before.Count != after.Count)
        {
            throw new ArgumentException($"{before.Count} rounds before, {after.Count} after: ratios need pairs.", nameof(after));
        }
        double[] ratios = new double[before.Count];
        for (int i = 0; i < ratios.Length; i++)
        {
            ratios[i] = after[i] / before[i];
        }
        return ratios;
    }

    /// <summary>
    /// The <paramref name="confidence"/> percentile bootstrap interval of the median of <paramref name="values"/> (rounds of one session):
    /// <paramref name="resamples"/> samples of the same size drawn with replacement, the median of each, and the
    /// (1 − confidence) / 2 and (1 + confidence) / 2 percentiles of those medians. A fixed <paramref name="seed"/>
    /// makes a report reproducible from its rounds.
    /// </summary>
    public static (double Low, double High) BootstrapMedianInterval(IReadOnlyList<double> values, int resamples = 10_000,
        double confidence = 0.95, int seed = 1)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("The interval of no values is undefined.", nameof(values));
        }
        if (resamples < 1 || confidence is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(resamples), "At least one resample and a confidence strictly between 0 and 1.");
        }
        var random = new Random(seed);
        double[] sample = new double[values.Count];
        double[] medians = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < sample.Length; i++)
            {
                sample[i] = values[random.Next(values.Count)];
            }
            Array.Sort(sample);
            medians[r] = MedianOfSorted(sample);
        }
        Array.Sort(medians);
        double tail = (1 - confidence) / 2;
        return (PercentileOfSorted(medians, tail), PercentileOfSorted(medians, 1 - tail));
    }

    /// <summary>
    /// The percentile bootstrap interval of the median of rounds grouped in <paramref name="sessions"/>: each
    /// resample draws as many sessions as there are, with replacement, and from each drawn session as many of its
    /// rounds, with replacement; its median is that of the rounds drawn. So the interval is as wide as the
    /// sessions disagree, not only as the rounds of one session do. One session gives the plain bootstrap.
    /// </summary>
    public static (double Low, double High) BootstrapMedianInterval(IReadOnlyList<IReadOnlyList<double>> sessions, int resamples = 10_000,
        double confidence = 0.95, int seed = 1)
    {
        int total = 0;
        foreach (IReadOnlyList<double> session in sessions)
        {
            if (session.Count == 0)
            {
                throw new ArgumentException("A session without rounds has no ratios.", nameof(sessions));
            }
            total += session.Count;
        }
        if (total == 0)
        {
            throw new ArgumentException("The interval of no values is undefined.", nameof(sessions));
        }
        if (resamples < 1 || confidence is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(resamples), "At least one resample and a confidence strictly between 0 and 1.");
        }
        var random = new Random(seed);
        var sample = new List<double>(total * 2);
        double[] medians = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            sample.Clear();
            for (int s = 0; s < sessions.Count; s++)
            {
                IReadOnlyList<double> session = sessions[random.Next(sessions.Count)];
                for (int i = 0; i < session.Count; i++)
                {
                    sample.Add(session[random.Next(session.Count)]);
                }
            }
            sample.Sort();
            medians[r] = MedianOfSorted(sample);
        }
        Array.Sort(medians);
        double tail = (1 - confidence) / 2;
        return (PercentileOfSorted(medians, tail), PercentileOfSorted(medians, 1 - tail));
    }

    /// <summary>
    /// Whether an interval of ratios after / before shows "at most <paramref name="limit"/>": true when its upper
    /// end is at most the limit, false when its lower end is above it (really slower), null when it straddles
    /// the limit (the rounds do not decide).
    /// </summary>
    public static bool? WithinLimit((double Low, double High) interval, double limit)
        => interval.High <= limit ? true : interval.Low > limit ? false : null;

    /// <summary>
    /// The <paramref name="fraction"/> percentile (0 to 1) of sorted values, interpolated linearly between
    /// the two nearest ranks (the 0.5 percentile is the median).
    /// </summary>
    public static double PercentileOfSorted(IReadOnlyList<double> sorted, double fraction)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("The percentile of no values is undefined.", nameof(sorted));
        }
        double position = fraction * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    private static double MedianOfSorted(IReadOnlyList<double> sorted)
    {
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
