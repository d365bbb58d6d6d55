using System;
using System.Collections.Generic;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Runtime.Transports;

/// <summary>
/// One connected QMP peer: a byte stream in each direction plus, where the medium allows
/// (unix sockets), file descriptors. Input is exposed as a <see cref="PipeReader"/> filled by
/// a receive pump; output is sent message by message with <see cref="SendAsync"/>.
/// </summary>
/// <remarks>
/// <para>Which message do received fds belong to? The kernel hands fds over with the bytes of
/// the sendmsg that carried them, and a recvmsg stops right after such a segment, so the fds
/// of a read belong with the messages of that read. Each batch is therefore anchored at the
/// stream offsets just past the read's first (if the read began with the fds' own bytes) and
/// last non-whitespace bytes (both one past its
/// start if the read was only whitespace, as when a client sends a lone space with the fds
/// before the command, like python's qemu.qmp does): the messages ending between them came with
/// the fds (<see cref="ReceivedFdBatch"/> says how they share them). Unclaimed batches are
/// bounded (<see cref="MaxUnclaimedFds"/>) and closed on dispose.</para>
/// </remarks>
public abstract class QmpTransport : IAsyncDisposable
{
    private const int ReceiveBufferSize = 16 * 1024;

    /// <summary>
    /// Only the runtime's transports derive from this class (receiving is entangled with fd
    /// passing and the pump); <see cref="StreamTransport"/> carries QMP over any other stream.
    /// </summary>
    private protected QmpTransport()
    {
    }

    // Inline schedulers: the session's reader continues on the receive pump's thread instead
    // of hopping to the thread pool. Each hop costs a wake-up of a pool thread, which on a
    // small machine is most of a sequential round trip's latency.
    private readonly Pipe _input = new(new PipeOptions(
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 1024 * 1024,
        resumeWriterThreshold: 512 * 1024,
        useSynchronizationContext: false));

    private readonly CancellationTokenSource _closed = new();
    private readonly Queue<ReceivedFdBatch> _fdBatches = new();
    private readonly object _startLock = new();
    private Task? _pump;
    private long _received;
    private int _queuedFdBatches;
    private int _unclaimedFds;
    private int _disposed;

    /// <summary>Bytes from the peer. The pump starts on first access.</summary>
    internal PipeReader Input
    {
        get
        {
            EnsurePumpStarted();
            return _input.Reader;
        }
    }

    /// <summary>True when fds can travel over this transport (unix sockets).</summary>
    public virtual bool SupportsFdPassing => false;

    /// <summary>Most fds accepted with one message (0 when fds cannot be passed).</summary>
    public virtual int MaxFdsPerMessage => 0;

    /// <summary>
    /// Fds received and not yet claimed by a message (sent ahead of their command, or with an
    /// incomplete one) that are kept; beyond this the oldest are closed, so a peer cannot park
    /// fds here without bound. QEMU keeps only the last read's.
    /// </summary>
    internal int MaxUnclaimedFds { get; set; } = 64;

    /// <summary>Human-readable peer description for logs and query-chardev-like output.</summary>
    public abstract string Description { get; }

    /// <summary>Cancelled when the transport is closed (by either side).</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Sends all of <paramref name="data"/>, with <paramref name="fds"/> attached to its first byte.</summary>
    /// <exception cref="System.IO.IOException">The peer went away (EPIPE, ECONNRESET) or the transport was closed.</exception>
    public abstract ValueTask SendAsync(ReadOnlyMemory<byte> data, IReadOnlyList<SafeHandle>? fds, CancellationToken cancellationToken);

    /// <summary>
    /// Sends what can go out right now without waiting and returns how many bytes that was (0 when
    /// the transport has no such shortcut, or on any error: <see cref="SendAsync"/> with the rest
    /// reports it). Callers keep ordering with other sends themselves.
    /// </summary>
    internal virtual int TrySendNow(ReadOnlySpan<byte> data) => 0;

    /// <summary>
    /// After end of input: true when the peer is gone altogether, not merely done sending (a
    /// client may send its last command, shut down its sending side and wait for the reply).
    /// False when the transport cannot tell.
    /// </summary>
    internal virtual bool PeerGone => false;

    /// <summary>
    /// Receives some bytes into <paramref name="buffer"/>; 0 means end of stream. Fds that came
    /// with them go to <paramref name="fds"/>; <c>FdsRejected</c> reports that the
    /// peer passed more than the transport accepts (the excess was closed by the kernel);
    /// <c>FdTableFull</c> that the kernel could not install them all (EMFILE: the process is out
    /// of fd slots); <c>FdsAtStart</c> that the read began with the bytes that carried the fds
    /// (else it began with bytes of earlier sends, which carried none).
    /// </summary>
    private protected abstract ValueTask<ReceiveResult> ReceiveAsync(Memory<byte> buffer, List<SafeFileHandle> fds, CancellationToken cancellationToken);

    /// <summary>
    /// Outcome of one receive: byte count (0 = end of stream), whether fds were refused, and
    /// whether the bytes were only peeked: still in the socket until <see cref="ReleasePeeked"/>.
    /// </summary>
    internal readonly record struct ReceiveResult(int Count, bool FdsRejected = false, bool Peeked = false, bool FdTableFull = false, bool FdsAtStart = false);

    /// <summary>
    /// Lets the <paramref name="count"/> bytes a peeking receive returned leave the socket, now or
    /// with later ones; the pump calls it once they have been handed to the reader, which by then
    /// has usually answered them (see <see cref="UnixSocketReceiver"/> for why).
    /// </summary>
    private protected virtual void ReleasePeeked(int count) => throw new NotSupportedException("This transport does not peek.");

    /// <summary>Releases the underlying handle(s), making pending operations fail promptly.</summary>
    private protected abstract void CloseCore();

    /// <summary>
    /// Moves the fds of every batch offered to a message ending at <paramref name="messageEndOffset"/>
    /// to <paramref name="destination"/> (ownership passes): the client's way, which keeps every
    /// fd a server sends. Returns false if one of those batches was refused, so the message can be.
    /// </summary>
    internal bool TakeReceivedFds(long messageEndOffset, List<SafeFileHandle> destination)
    {
        if (Volatile.Read(ref _queuedFdBatches) == 0)
        {
            return true;
        }
        bool ok = true;
        lock (_fdBatches)
        {
            while (TryDequeueBatch(messageEndOffset, out ReceivedFdBatch? batch))
            {
                ok &= batch.Rejection == FdRejection.None;
                batch.TakeAll(destination);
            }
        }
        return ok;
    }

    /// <summary>
    /// Appends to <paramref name="open"/> every batch a message ending at
    /// <paramref name="messageEndOffset"/> came with or after (the server's way: see
    /// <see cref="ReceivedFdBatch"/>). Almost no message carries fds: then this costs a read.
    /// </summary>
    internal void ClaimFdBatches(long messageEndOffset, List<ReceivedFdBatch> open)
    {
        // A batch is queued before the bytes it came with are handed to the reader, so the
        // message it belongs to always sees the count.
        if (Volatile.Read(ref _queuedFdBatches) == 0)
        {
            return;
        }
        lock (_fdBatches)
        {
            while (TryDequeueBatch(messageEndOffset, out ReceivedFdBatch? batch))
            {
                open.Add(batch);
            }
        }
    }

    /// <summary>Under the lock.</summary>
    private bool TryDequeueBatch(long messageEndOffset, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ReceivedFdBatch? batch)
    {
        if (_fdBatches.TryPeek(out batch) && batch.StartAnchor <= messageEndOffset)
        {
            _fdBatches.Dequeue();
            Interlocked.Decrement(ref _queuedFdBatches);
            _unclaimedFds -= batch.Remaining;
            return true;
        }
        batch = null;
        return false;
    }

    /// <summary>Closes the connection now; pending receives end and sends fail.</summary>
    public void Abort()
    {
        if (!_closed.IsCancellationRequested)
        {
            try
            {
                _closed.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
        CloseCore();
    }

    private void EnsurePumpStarted()
    {
        if (_pump is not null)
        {
            return;
        }
        lock (_startLock)
        {
            _pump ??= StartPump();
        }
    }

    /// <summary>
    /// True when <see cref="ReceiveAsync"/> blocks its thread until data arrives (poll + recvmsg),
    /// so the pump runs on a thread of its own and never on the thread pool.
    /// </summary>
    private protected virtual bool UsesDedicatedReceiveThread => false;

    /// <summary>Starts the receive loop; stdio overrides this to use a dedicated thread.</summary>
    private protected virtual Task StartPump()
    {
        if (!UsesDedicatedReceiveThread)
        {
            return Task.Run(() => PumpAsync(dedicated: false));
        }
        // One thread per connection, blocked in poll() while idle: a request wakes exactly this
        // thread, which frames it and (inline continuations) runs it and sends the reply, with no
        // hand-off through epoll and the thread pool. That hand-off was most of a sequential
        // round trip's cost. QMP servers have a handful of connections, so threads are cheap here.
        return Common.DedicatedThread.RunAsync("qmp-receive", () => PumpAsync(dedicated: true).GetAwaiter().GetResult());
    }

    /// <summary>On the dedicated thread, waits synchronously (it is not a pool thread); else awaits.</summary>
    private static T Block<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    private async Task PumpAsync(bool dedicated)
    {
        PipeWriter writer = _input.Writer;
        List<SafeFileHandle> fds = new();
        Exception? failure = null;
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                Memory<byte> memory = writer.GetMemory(ReceiveBufferSize);
                ReceiveResult result = dedicated
                    ? Block(ReceiveAsync(memory, fds, _closed.Token))
                    : await ReceiveAsync(memory, fds, _closed.Token).ConfigureAwait(false);
                int n = result.Count;
                if (n <= 0)
                {
                    CloseAll(fds);
                    break;
                }
                if (fds.Count > 0 || result.FdsRejected || result.FdTableFull)
                {
                    FdRejection rejection = result.FdTableFull ? FdRejection.NoRoom
                        : result.FdsRejected ? FdRejection.TooMany
                        : FdRejection.None;
                    RecordFds(memory.Span[..n], fds, rejection, result.FdsAtStart);
                }
                writer.Advance(n);
                _received += n;
                FlushResult flush = dedicated
                    ? Block(writer.FlushAsync(_closed.Token))
                    : await writer.FlushAsync(_closed.Token).ConfigureAwait(false);
                if (result.Peeked)
                {
                    ReleasePeeked(n);
                }
                if (flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is System.IO.IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // A reset or a closed socket is the end of the conversation, not an error of ours.
            failure = null;
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            CloseAll(fds);
        }
        writer.Complete(failure);
    }

    /// <summary>Queues the fds of one read, anchored as described on the class.</summary>
    private void RecordFds(ReadOnlySpan<byte> chunk, List<SafeFileHandle> fds, FdRejection rejection, bool fdsAtStart)
    {
        int first = chunk.IndexOfAnyExcept(" \t\r\n"u8);
        int last = chunk.LastIndexOfAnyExcept(" \t\r\n"u8);
        long end = last >= 0 ? _received + last + 1 : _received + 1;
        // When earlier sends' bytes lead the read, where the fds' own bytes begin is unknown: then
        // only the read's last message, which is surely theirs, is offered them.
        long start = !fdsAtStart ? end
            : first >= 0 ? _received + first + 1
            : _received + 1;
        SafeFileHandle[] batch = fds.ToArray();
        fds.Clear();
        if (rejection == FdRejection.None && !Common.FdHeadroom.TryAdmit(batch))
        {
            rejection = FdRejection.NoRoom;
        }
        if (rejection != FdRejection.None)
        {
            // The message gets an error instead of running; none of its fds are kept (closing them
            // at once also gives back the slots of a full fd table).
            CloseAll(batch);
            batch = [];
        }
        lock (_fdBatches)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                CloseAll(batch);
                return;
            }
            _fdBatches.Enqueue(new ReceivedFdBatch(start, end, batch, rejection));
            Interlocked.Increment(ref _queuedFdBatches);
            _unclaimedFds += batch.Length;
            if (_unclaimedFds > MaxUnclaimedFds)
            {
                // Bound what a peer can park ahead of its commands: the oldest go first.
                foreach (ReceivedFdBatch queued in _fdBatches)
                {
                    if (_unclaimedFds <= MaxUnclaimedFds)
                    {
                        break;
                    }
                    _unclaimedFds -= queued.Remaining;
                    queued.CloseRemaining();
                }
            }
        }
    }

    private static void CloseAll(IList<SafeFileHandle> fds)
    {
        foreach (SafeFileHandle fd in fds)
        {
            fd.Dispose();
        }
        if (!fds.IsReadOnly)
        {
            fds.Clear();
        }
    }

    /// <summary>Closes the connection and releases every fd it still holds.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Abort();
        Task? pump;
        lock (_startLock)
        {
            pump = _pump;
        }
        if (pump is not null)
        {
            try
            {
                await pump.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The pump reports its failures through the pipe.
            }
        }
        await _input.Reader.CompleteAsync().ConfigureAwait(false);
        lock (_fdBatches)
        {
            while (_fdBatches.TryDequeue(out ReceivedFdBatch? batch))
            {
                batch.CloseRemaining();
            }
            _unclaimedFds = 0;
        }
        GC.SuppressFinalize(this);
    }
}
