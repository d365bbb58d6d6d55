using System;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Common;

/// <summary>
/// Runs blocking work on threads of its own, so it never holds a thread-pool thread that QMP
/// sessions and socket I/O need: reading or writing a whole guest's RAM from or to a file, a
/// FIFO's open, a connection's receive loop blocked in poll(). The caller awaits a task. The
/// threads are background threads: none holds up the process's exit.
/// </summary>
internal static class DedicatedThread
{
    /// <summary>Runs <paramref name="body"/> on a new thread; the task ends with it.</summary>
    public static Task RunAsync(string name, Action body)
    {
        TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Start(name, () =>
        {
            try
            {
                body();
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        });
        return done.Task;
    }

    /// <summary>
    /// Runs an async body whose I/O completes synchronously (file channels) on a thread of its
    /// own: its awaits continue on that thread, not on the pool.
    /// </summary>
    public static Task<T> RunAsync<T>(string name, Func<Task<T>> body)
    {
        TaskCompletionSource<T> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Start(name, () =>
        {
            try
            {
                body().ContinueWith(static (t, state) =>
                {
                    var tcs = (TaskCompletionSource<T>)state!;
                    if (t.IsCanceled)
                    {
                        tcs.SetCanceled();
                    }
                    else if (t.IsFaulted)
                    {
                        tcs.SetException(t.Exception!.InnerExceptions);
                    }
                    else
                    {
                        tcs.SetResult(t.Result);
                    }
                }, done, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    /// <summary>
    /// Runs <paramref name="body"/> once per worker index, each on its own thread. The first
    /// failure cancels the others through the token they receive and is what the task reports.
    /// </summary>
    public static Task RunWorkersAsync(string name, int workers, Action<int, CancellationToken> body, CancellationToken cancellationToken)
    {
        TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? first = null;
        int remaining = workers;
        for (int w = 0; w < workers; w++)
        {
            int index = w;
            Start(workers == 1 ? name : $"{name} {index}", () =>
            {
                try
                {
                    body(index, stop.Token);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref first, e, null);
                    stop.Cancel();
                }

                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    stop.Dispose();
                    if (first is null)
                    {
                        done.SetResult();
                    }
                    else
                    {
                        // A worker that saw the token fire reports cancellation; prefer the cause.
                        done.SetException(first);
                    }
                }
            });
        }

        return done.Task;
    }

    private static void Start(string name, ThreadStart body) =>
        new Thread(body) { IsBackground = true, Name = name }.Start();
}
