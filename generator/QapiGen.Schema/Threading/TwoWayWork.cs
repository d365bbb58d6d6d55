using System;
using System.Threading;

namespace QapiGen.Schema.Threading;

/// <summary>
/// Two pieces of work at once: the first on the thread pool, the second on the calling thread. If the
/// pool has not started the first by the time the second is done, the caller does it too, so the
/// caller only ever waits for work that is running (never for a pool thread to become free, which a
/// busy pool may take long to provide, even when the caller is itself a pool thread).
/// </summary>
internal sealed class TwoWayWork
{
    private readonly Action _first;
    private int _state; // 0: not started, 1: running on the pool, 2: taken by the caller
    private Exception? _firstError;
    private readonly ManualResetEventSlim _firstDone = new(false);

    private TwoWayWork(Action first)
    {
        _first = first;
    }

    /// <summary>Runs both; returns what each threw (null: it completed).</summary>
    public static (Exception? First, Exception? Second) Run(Action first, Action second)
    {
        var work = new TwoWayWork(first);
        ThreadPool.UnsafeQueueUserWorkItem(static w => ((TwoWayWork)w!).OnPool(), work);
        Exception? secondError = Capture(second);
        if (Interlocked.CompareExchange(ref work._state, 2, 0) == 0)
        {
            return (Capture(first), secondError);
        }

        work._firstDone.Wait();
        work._firstDone.Dispose();
        return (work._firstError, secondError);
    }

    private void OnPool()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            return;
        }

        _firstError = Capture(_first);
        _firstDone.Set();
    }

    private static Exception? Capture(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
