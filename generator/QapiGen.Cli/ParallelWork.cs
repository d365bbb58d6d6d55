using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace QapiGen.Cli;

/// <summary>
/// Runs independent pieces of CPU work on the calling thread and dedicated threads, one a core: each
/// thread takes the next piece in the list's order when it is free, so list the longest first and the
/// threads end together. A run of <c>generate</c> lasts a few hundred milliseconds, so threads of its
/// own rather than the thread pool (no pool to start, no pool thread blocked while it waits).
/// </summary>
internal static class ParallelWork
{
    /// <summary>
    /// Runs every piece of <paramref name="work"/> and returns when all are done. If pieces throw, every
    /// piece still runs and the exception of the first in the list that threw is rethrown, so which error
    /// a run reports does not depend on the threads' timing.
    /// </summary>
    /// <param name="threads">at most this many threads in all, the calling one included (default: one a core).</param>
    public static void Run(IReadOnlyList<Action> work, int threads = 0)
    {
        int count = Math.Min(work.Count, threads > 0 ? threads : Environment.ProcessorCount);
        var errors = new Exception?[work.Count];
        int next = -1;
        void Take()
        {
            for (int i = Interlocked.Increment(ref next); i < work.Count; i = Interlocked.Increment(ref next))
            {
                try
                {
                    work[i]();
                }
#pragma warning disable CA1031 // handed to the caller below
                catch (Exception e)
                {
                    errors[i] = e;
                }
#pragma warning restore CA1031
            }
        }

        var started = new Thread[Math.Max(0, count - 1)];
        for (int t = 0; t < started.Length; t++)
        {
            started[t] = new Thread(Take) { IsBackground = true, Name = "qapigen work" };
            started[t].Start();
        }

        Take();
        foreach (Thread t in started)
        {
            t.Join();
        }

        foreach (Exception? e in errors)
        {
            if (e != null)
            {
                ExceptionDispatchInfo.Capture(e).Throw();
            }
        }
    }
}
