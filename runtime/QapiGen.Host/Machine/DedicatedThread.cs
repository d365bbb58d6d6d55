using System;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Host.Machine;

/// <summary>
/// Runs one blocking job (reading or writing all of guest RAM from or to a file) on a thread of
/// its own, so a gigabyte of file I/O never holds a thread-pool thread that QMP sessions need.
/// </summary>
internal static class DedicatedThread
{
    public static Task RunAsync(string name, Action body)
    {
        TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Thread thread = new(() =>
        {
            try
            {
                body();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
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
