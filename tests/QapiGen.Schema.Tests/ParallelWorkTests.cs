using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using QapiGen.Schema.Threading;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>
/// <see cref="ParallelWork"/>, which <c>qapigen generate</c> builds its spec and files with and the checker its two halves: every piece
/// runs once, on more than one thread when there are cores, and an error is the same whatever the timing.
/// </summary>
public sealed class ParallelWorkTests
{
    // Long enough for a loaded machine; the pieces meet at once when they run at once.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void EveryPieceRunsOnce()
    {
        int[] runs = new int[50];
        ParallelWork.Run(Enumerable.Range(0, runs.Length).Select(i => (Action)(() => Interlocked.Increment(ref runs[i]))).ToList(), threads: 2);
        Assert.All(runs, n => Assert.Equal(1, n));
    }

    [Fact]
    public void TwoThreadsRunTwoPiecesAtOnce()
    {
        // Each piece waits for the other: they finish only if they run at the same time.
        using var both = new Barrier(2);
        bool[] met = new bool[2];
        int[] threads = new int[2];
        ParallelWork.Run(new Action[]
        {
            () => { threads[0] = Environment.CurrentManagedThreadId; met[0] = both.SignalAndWait(Patience); },
            () => { threads[1] = Environment.CurrentManagedThreadId; met[1] = both.SignalAndWait(Patience); },
        }, threads: 2);
        Assert.Equal(new[] { true, true }, met);
        Assert.NotEqual(threads[0], threads[1]);
        Assert.Contains(Environment.CurrentManagedThreadId, threads); // the calling thread works too
    }

    [Fact]
    public void OneThreadIsTheCallingThreadInTheListsOrder()
    {
        var order = new List<(int Piece, int Thread)>();
        ParallelWork.Run(Enumerable.Range(0, 5).Select(i => (Action)(() => order.Add((i, Environment.CurrentManagedThreadId)))).ToList(), threads: 1);
        Assert.Equal(Enumerable.Range(0, 5), order.Select(o => o.Piece));
        Assert.All(order, o => Assert.Equal(Environment.CurrentManagedThreadId, o.Thread));
    }

    [Fact]
    public void TheFirstFailingPieceInTheListIsReportedAndTheRestStillRun()
    {
        // The later piece fails first (the earlier one waits for it), yet the earlier one's error is rethrown.
        using var laterFailed = new ManualResetEventSlim();
        bool lastRan = false;
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => ParallelWork.Run(new Action[]
        {
            () =>
            {
                laterFailed.Wait(Patience);
                throw new InvalidOperationException("first");
            },
            () =>
            {
                try
                {
                    throw new ArgumentException("second");
                }
                finally
                {
                    laterFailed.Set();
                }
            },
            () => lastRan = true,
        }, threads: 2));
        Assert.Equal("first", e.Message);
        Assert.True(lastRan);
    }
}
