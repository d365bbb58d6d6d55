using System;
using System.IO;
using System.IO.Pipes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;

namespace QapiGen.Migration.Transports;

/// <summary>
/// <c>file:PATH</c> where PATH is a FIFO: a single stream, not seekable (so mapped-ram and multifd
/// are refused up front, as for a pipe fd). Its open() waits for the other end, so it is not done
/// when the transport is made but when the job opens its channel, on a thread of its own
/// (<see cref="PendingFifoOpen"/>): migrate answers at once, the job is in <c>setup</c> until a
/// reader (or writer) comes, and migrate_cancel or the host's shutdown abandon the open.
/// </summary>
public sealed class FifoTransport : MigrationTransport
{
    private readonly object _gate = new();
    private readonly string _path;
    private readonly MigrationDirection _direction;
    private SafeFileHandle? _alreadyOpen;
    private PendingFifoOpen? _pending;
    private Stream? _stream;
    private bool _channelOpened;
    private bool _closed;

    /// <param name="path">The FIFO.</param>
    /// <param name="direction">Outgoing (write end) or incoming (read end).</param>
    /// <param name="alreadyOpen">The FIFO's end when an open without waiting already got it
    /// (a reader was there); blocking, owned by the transport from here on.</param>
    internal FifoTransport(string path, MigrationDirection direction, SafeFileHandle? alreadyOpen = null)
    {
        _path = path;
        _direction = direction;
        _alreadyOpen = alreadyOpen;
        Description = $"file:{path}";
    }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override TransportKind Kind => TransportKind.Stream;

    /// <inheritdoc />
    public override MigrationDirection? Direction => _direction;

    /// <inheritdoc />
    public override bool SupportsMultipleChannels => false;

    /// <summary>Completes when no thread of this transport is left inside open() (for tests that count threads and fds).</summary>
    public Task OpenFinished
    {
        get
        {
            lock (_gate)
            {
                return _pending?.Finished ?? Task.CompletedTask;
            }
        }
    }

    internal override async ValueTask<MigrationChannel> OpenChannelAsync(MigrationDirection direction, CancellationToken cancellationToken)
    {
        PendingFifoOpen? pending = null;
        SafeFileHandle? handle;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_channelOpened)
            {
                throw new InvalidOperationException($"{Description} carries a single channel");
            }

            _channelOpened = true;
            handle = _alreadyOpen;
            _alreadyOpen = null;
            if (handle is null)
            {
                _pending = pending = PendingFifoOpen.Start(_path, _direction);
            }
        }

        if (pending is not null)
        {
            try
            {
                handle = await pending.Opened.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                pending.Abandon();
                throw;
            }
        }

        lock (_gate)
        {
            if (_closed)
            {
                // Closed while the open completed: the handle is nobody else's.
                handle!.Dispose();
                throw new OperationCanceledException($"{Description} was closed while it was being opened");
            }

            var pipe = new SafePipeHandle(handle!.DangerousGetHandle(), ownsHandle: true);
            handle.SetHandleAsInvalid();
            _stream = new AnonymousPipeClientStream(_direction == MigrationDirection.Outgoing ? PipeDirection.Out : PipeDirection.In, pipe);
            // The channel closes the stream when it completes: that is the reader's end of file.
            return new StreamChannel(_stream, ownsStream: true, Description);
        }
    }

    internal override void Abort() => Close();

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private void Close()
    {
        PendingFifoOpen? pending;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            pending = _pending;
            _alreadyOpen?.Dispose();
            _alreadyOpen = null;
            _stream?.Dispose();
        }

        // Also closes an fd the open delivered that no channel took.
        pending?.Abandon();
    }
}
