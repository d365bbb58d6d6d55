using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Migration.Wire;

/// <summary>
/// <c>max-bandwidth</c>: after each write, waits long enough that the average
/// rate since the start stays under the limit.
/// </summary>
internal sealed class BandwidthLimiter
{
    private readonly long _bytesPerSecond;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _bytes;

    private readonly bool _synchronous;

    /// <param name="bytesPerSecond">The limit; 0 for none.</param>
    /// <param name="synchronous">The caller runs on a dedicated migration thread
    /// (file channels): sleep there instead of hopping to the thread pool, where the
    /// following blocking pwrite calls would then run.</param>
    public BandwidthLimiter(long bytesPerSecond, bool synchronous)
    {
        _bytesPerSecond = bytesPerSecond;
        _synchronous = synchronous;
    }

    public async ValueTask AccountAsync(long bytes, CancellationToken cancellationToken)
    {
        if (_bytesPerSecond <= 0)
        {
            return;
        }

        long total = Interlocked.Add(ref _bytes, bytes);
        double due = total / (double)_bytesPerSecond;
        double ahead = due - _clock.Elapsed.TotalSeconds;
        if (ahead > 0.001 && _synchronous)
        {
            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(ahead));
            cancellationToken.ThrowIfCancellationRequested();
        }
        else if (ahead > 0.001)
        {
            await Task.Delay(TimeSpan.FromSeconds(ahead), cancellationToken).ConfigureAwait(false);
        }
    }
}
