using System;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Common;
using Xunit;

namespace QapiGen.Runtime.Tests.Common;

/// <summary>runtime/Common's one way to run blocking work off the thread pool.</summary>
public sealed class DedicatedThreadTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WorkRunsOnANamedBackgroundThreadOutsideThePool()
    {
        // Read on the thread itself: once it has ended, its state can no longer be asked.
        (bool Pool, bool Background, string? Name)? seen = null;
        await DedicatedThread.RunAsync("test worker", () =>
        {
            Thread self = Thread.CurrentThread;
            seen = (self.IsThreadPoolThread, self.IsBackground, self.Name);
        }).WaitAsync(Timeout);
        Assert.Equal((false, true, "test worker"), seen);
    }

    [Fact]
    public async Task AFailureIsWhatTheTaskReports()
    {
        InvalidOperationException thrown = new("boom");
        Task task = DedicatedThread.RunAsync("test worker", () => throw thrown);
        Assert.Same(thrown, await Assert.ThrowsAsync<InvalidOperationException>(() => task.WaitAsync(Timeout)));
    }

    [Fact]
    public async Task AnAsyncBodyContinuesOnItsOwnThread()
    {
        int result = await DedicatedThread.RunAsync("test async", async () =>
        {
            await Task.CompletedTask;
            Assert.False(Thread.CurrentThread.IsThreadPoolThread);
            return 42;
        }).WaitAsync(Timeout);
        Assert.Equal(42, result);
    }

    [Fact]
    public async Task TheFirstWorkerFailureCancelsTheOthersAndIsReported()
    {
        InvalidOperationException thrown = new("worker 2 failed");
        int cancelled = 0;
        Task task = DedicatedThread.RunWorkersAsync("test workers", 4, (worker, token) =>
        {
            if (worker == 2)
            {
                throw thrown;
            }
            // The others block until the failure cancels them.
            token.WaitHandle.WaitOne(Timeout);
            if (token.IsCancellationRequested)
            {
                Interlocked.Increment(ref cancelled);
            }
            token.ThrowIfCancellationRequested();
        }, CancellationToken.None);
        Assert.Same(thrown, await Assert.ThrowsAsync<InvalidOperationException>(() => task.WaitAsync(Timeout)));
        Assert.Equal(3, cancelled);
    }
}
