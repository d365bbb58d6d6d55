using System;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Migration.Threading;

/// <summary>
/// Runs blocking work (pread/pwrite loops over a whole guest's RAM) on threads
/// of its own, so the thread pool stays free for QMP and socket I/O; the caller
/// awaits a task.
/// </summary>
internal static class DedicatedThreads
{
    /// <summary>
    /// Runs <paramref name="body"/> once per worker index on its own thread. The first
    /// failure cancels the others through the token they receive and is rethrown.
    /// </summary>
    public static Task RunAsync(string name, int workers, Action<int, CancellationToken> body, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? first = null;
        int remaining = workers;
        for (int w = 0; w < workers; w++)
        {
            int index = w;
            var thread = new Thread(() =>
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
            })
            {
                IsBackground = true,
                Name = workers == 1 ? name : $"{name} {index}",
            };
            thread.Start();
        }

        return done.Task;
    }

    /// <summary>Runs an async body whose I/O completes synchronously (file channels) on a thread of its own.</summary>
    public static Task<T> RunAsync<T>(string name, Func<Task<T>> body)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Task<T> task = body();
                task.ContinueWith(static (t, state) =>
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
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }
}
