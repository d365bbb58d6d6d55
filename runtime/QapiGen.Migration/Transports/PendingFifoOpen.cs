using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;

namespace QapiGen.Migration.Transports;

/// <summary>
/// The blocking open() of a FIFO, which returns only once the other end is opened, run on a
/// thread of its own so that nothing else waits for it: not the monitor, not the thread pool.
/// </summary>
/// <remarks>
/// Abandoning it (migrate_cancel, shutdown) completes <see cref="Opened"/> as cancelled at once.
/// The thread is then let go by opening the FIFO's other end ourselves, non-blocking, and closing
/// it again: that completes the waiting open() (Linux counts the open, not whether it lasts), and
/// the thread closes the fd it got. A FIFO's open cannot be woken any other way short of a signal,
/// and the runtime owns the signal handlers. The attempts repeat for a few seconds because the
/// thread may not have entered open() yet; the thread is a background thread, so even an open that
/// nothing wakes never holds up the process's exit.
/// </remarks>
internal sealed class PendingFifoOpen
{
    private static readonly TimeSpan UnblockInterval = TimeSpan.FromMilliseconds(20);
    private const int UnblockAttempts = 250;

    private readonly object _gate = new();
    private readonly string _path;
    private readonly MigrationDirection _direction;
    private readonly TaskCompletionSource<SafeFileHandle> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _finished = Task.CompletedTask;
    private bool _abandoned;

    private PendingFifoOpen(string path, MigrationDirection direction)
    {
        _path = path;
        _direction = direction;
    }

    /// <summary>The open fd (blocking), or an <see cref="IOException"/> with QEMU's text; cancelled once abandoned.</summary>
    public Task<SafeFileHandle> Opened => _opened.Task;

    /// <summary>Completes when the thread has left open() and let go of anything it got.</summary>
    public Task Finished => _finished;

    /// <summary>Starts opening <paramref name="path"/> for <paramref name="direction"/> on a new thread.</summary>
    public static PendingFifoOpen Start(string path, MigrationDirection direction)
    {
        var pending = new PendingFifoOpen(path, direction);
        pending._finished = DedicatedThread.RunAsync("migration fifo open", pending.Run);
        return pending;
    }

    /// <summary>
    /// Gives up: <see cref="Opened"/> is cancelled now (or, if it had already opened, its fd is
    /// closed), and the thread is woken and cleans up after itself.
    /// </summary>
    public void Abandon()
    {
        lock (_gate)
        {
            if (_abandoned)
            {
                return;
            }

            _abandoned = true;
            if (!_opened.TrySetCanceled() && _opened.Task.IsCompletedSuccessfully)
            {
                // The open won the race: whoever abandons will not take the fd, so it is closed here.
                _opened.Task.Result.Dispose();
            }
        }

        if (!_finished.IsCompleted)
        {
            _ = UnblockAsync();
        }
    }

    private void Run()
    {
        try
        {
            lock (_gate)
            {
                if (_abandoned)
                {
                    return;
                }
            }

            int fd = MigrationFileOpen.Open(_path, MigrationFileOpen.Flags(_direction), out int errno);
            lock (_gate)
            {
                if (fd < 0)
                {
                    _opened.TrySetException(MigrationFileOpen.Error(_path, _direction, errno));
                }
                else if (_abandoned)
                {
                    Libc.Close(fd);
                }
                else
                {
                    _opened.TrySetResult(new SafeFileHandle(fd, ownsHandle: true));
                }
            }
        }
        catch (Exception e)
        {
            _opened.TrySetException(e);
        }
    }

    private async Task UnblockAsync()
    {
        int otherEnd = (_direction == MigrationDirection.Outgoing ? Libc.O_RDONLY : Libc.O_WRONLY) | Libc.O_NONBLOCK | Libc.O_CLOEXEC;
        for (int attempt = 0; attempt < UnblockAttempts && !_finished.IsCompleted; attempt++)
        {
            // Only ever the other end of a FIFO: never create, truncate or open anything else.
            if (UnixFd.ClassifyPath(_path) == FdKind.Pipe)
            {
                int fd = MigrationFileOpen.Open(_path, otherEnd, out _);
                if (fd >= 0)
                {
                    Libc.Close(fd);
                }
            }

            await Task.WhenAny(_finished, Task.Delay(UnblockInterval)).ConfigureAwait(false);
        }
    }
}
