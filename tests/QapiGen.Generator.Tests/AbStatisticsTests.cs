using System;
using System.Linq;
using QapiGen.Benchmarks;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// The A/B bench's statistics (tests/QapiGen.Benchmarks/AbStatistics.cs, compiled in here): the median of
/// per-round ratios and its bootstrap interval decide whether the generated code's speed is "within 5 %",
/// so they are checked on inputs whose answers are known.
/// </summary>
public sealed class AbStatisticsTests
{
    [Fact]
    public void MedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes()
    {
        Assert.Equal(3, AbStatistics.Median([5, 1, 3]));
        Assert.Equal(2.5, AbStatistics.Median([4, 1, 3, 2]));
        Assert.Equal(7, AbStatistics.Median([7]));
        Assert.Throws<ArgumentException>(() => AbStatistics.Median([]));
    }

    [Fact]
    public void RatiosAreAfterOverBeforeRoundByRound()
    {
        Assert.Equal([2.0, 0.5, 1.0], AbStatistics.Ratios([100, 200, 300], [200, 100, 300]));
        Assert.Throws<ArgumentException>(() => AbStatistics.Ratios([1, 2], [1]));
    }

    [Fact]
    public void PercentilesInterpolateBetweenRanks()
    {
        double[] sorted = [10, 20, 30, 40];
        Assert.Equal(10, AbStatistics.PercentileOfSorted(sorted, 0));
        Assert.Equal(40, AbStatistics.PercentileOfSorted(sorted, 1));
        Assert.Equal(25, AbStatistics.PercentileOfSorted(sorted, 0.5));
        Assert.Equal(20, AbStatistics.PercentileOfSorted(sorted, 1.0 / 3), 12);
    }

    [Fact]
    public void IntervalOfEqualRatiosIsThatRatio()
    {
        Assert.Equal((1.02, 1.02), AbStatistics.BootstrapMedianInterval([1.02, 1.02, 1.02, 1.02, 1.02]));
    }

    [Fact]
    public void IntervalOfTwoValuesSpansBoth()
    {
        // A resample of {1, 3} has median 1, 2 or 3 with chances 1/4, 1/2, 1/4: the 2.5 % and 97.5 %
        // percentiles of 10,000 such medians are 1 and 3.
        Assert.Equal((1.0, 3.0), AbStatistics.BootstrapMedianInterval([1, 3]));
    }

    [Fact]
    public void IntervalOfManyRoundsIsAboutTwoStandardErrorsOfTheMedian()
    {
        // 201 ratios spread evenly over 0.90..1.10: median 1.00; the median's standard error is about
        // 1.25 × (0.2 / √12) / √201 ≈ 0.005, so the 95 % interval is about 1.00 ± 0.01.
        double[] ratios = [.. Enumerable.Range(0, 201).Select(i => 0.90 + (i * 0.001))];
        (double low, double high) = AbStatistics.BootstrapMedianInterval(ratios);
        Assert.InRange(low, 0.980, 0.997);
        Assert.InRange(high, 1.003, 1.020);
        // The same interval, reproducible from its rounds (fixed seed).
        Assert.Equal((low, high), AbStatistics.BootstrapMedianInterval(ratios));
    }

    [Fact]
    public void WithinFivePercentOnlyWhenTheWholeIntervalIsBelowTheLimit()
    {
        double[] even = [.. Enumerable.Range(0, 201).Select(i => 0.90 + (i * 0.001))];
        double[] slower = [.. even.Select(r => r + 0.10)];
        double[] straddling = [.. even.Select(r => r + 0.05)];
        Assert.True(AbStatistics.WithinLimit(AbStatistics.BootstrapMedianInterval(even), 1.05));
        Assert.False(AbStatistics.WithinLimit(AbStatistics.BootstrapMedianInterval(slower), 1.05));
        Assert.Null(AbStatistics.WithinLimit(AbStatistics.BootstrapMedianInterval(straddling), 1.05));
    }

    [Fact]
    public void IntervalOverSessionsIsAsWideAsTheSessionsDisagree()
    {
        // Two processes' sessions, steady at 1.0 and at 1.2: a resample draws both (median 1.1), or one twice
        // (1.0 or 1.2, a chance of 1/4 each), so the interval spans 1.0 to 1.2 where either session's rounds alone look exact.
        double[] low = [.. Enumerable.Repeat(1.0, 50)];
        double[] high = [.. Enumerable.Repeat(1.2, 50)];
        Assert.Equal((1.0, 1.2), AbStatistics.BootstrapMedianInterval([low, high]));
        Assert.Equal((1.0, 1.0), AbStatistics.BootstrapMedianInterval(low));
        Assert.Equal((1.2, 1.2), AbStatistics.BootstrapMedianInterval(high));
    }

    [Fact]
    public void IntervalOverAgreeingSessionsIsThatOfTheirRounds()
    {
        // Four sessions of the same evenly spread rounds: as narrow as the rounds of all four pooled.
        double[] rounds = [.. Enumerable.Range(0, 51).Select(i => 0.90 + (i * 0.004))];
        (double low, double high) = AbStatistics.BootstrapMedianInterval([rounds, rounds, rounds, rounds]);
        Assert.InRange(low, 0.980, 0.997);
        Assert.InRange(high, 1.003, 1.020);
        Assert.Throws<ArgumentException>(() => AbStatistics.BootstrapMedianInterval([rounds, []]));
    }
}
