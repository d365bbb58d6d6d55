using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace QapiGen.Schema.Threading;

/// <summary>
/// Runs independent pieces of CPU work on the calling thread and on thread-pool workers, one a core:
/// each thread takes the next piece in the list's order when it is free, so list the longest first and
/// the threads end together. The calling thread works too and, once every piece is taken, waits only
/// for pieces that are running: a worker the pool starts late finds nothing left and returns, so a busy
/// pool (or a caller that is itself a pool thread, as in the source generator) never leaves the caller
/// waiting for a thread to become free.
/// </summary>
internal sealed class ParallelWork
{
    private readonly IReadOnlyList<Action> _work;
    private readonly Exception?[] _errors;
    private readonly object _gate = new();
    private int _next = -1;
    private int _done;

    private ParallelWork(IReadOnlyList<Action> work)
    {
        _work = work;
        _errors = new Exception?[work.Count];
    }

    /// <summary>
    /// Runs every piece of <paramref name="work"/> and returns when all are done. If pieces throw, every
    /// piece still runs and the exception of the first in the list that threw is rethrown, so which error
    /// a run reports does not depend on the threads' timing.
    /// </summary>
    /// <param name="threads">at most this many threads in all, the calling one included (default: one a core).</param>
    public static void Run(IReadOnlyList<Action> work, int threads = 0)
    {
        var run = new ParallelWork(work);
        int workers = Math.Min(work.Count, threads > 0 ? threads : Environment.ProcessorCount) - 1;
        for (int i = 0; i < workers; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static r => ((ParallelWork)r!).Take(), run);
        }

        run.Take();
        lock (run._gate)
        {
            while (Volatile.Read(ref run._done) < work.Count)
            {
                Monitor.Wait(run._gate);
            }
        }

        foreach (Exception? e in run._errors)
        {
            if (e != null)
            {
                ExceptionDispatchInfo.Capture(e).Throw();
            }
        }
    }

    private void Take()
    {
        for (int i = Interlocked.Increment(ref _next); i < _work.Count; i = Interlocked.Increment(ref _next))
        {
            try
            {
                _work[i]();
            }
#pragma warning disable CA1031 // handed to the caller by Run
            catch (Exception e)
            {
                _errors[i] = e;
            }
#pragma warning restore CA1031

            if (Interlocked.Increment(ref _done) == _work.Count)
            {
                lock (_gate)
                {
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }
}
