using System;
using System.IO;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using QapiGen.Runtime.Buffers;
using QapiGen.Runtime.Framing;

namespace QapiGen.Runtime.Protocol;

// Output: replies and events queued for the writer loop, which coalesces what is ready into one
// send; a reply produced on an idle connection is sent directly (staged).
public sealed partial class QmpSession
{
    private void EnqueueEvent(Outgoing message)
    {
        if (Interlocked.Read(ref _pendingOutputBytes) > _options.OutputHardLimit)
        {
            // A client that reads nothing while events pile up would cost unbounded memory.
            message.Owner?.Dispose();
            Close();
            return;
        }
        Enqueue(message);
    }

    private void Enqueue(Outgoing message)
    {
        Interlocked.Add(ref _pendingOutputBytes, message.Data.Length);
        if (!_output.Writer.TryWrite(message))
        {
            Interlocked.Add(ref _pendingOutputBytes, -message.Data.Length);
            message.Owner?.Dispose();
        }
    }

    private ValueTask DeliverStagedReply()
    {
        _stageReplies = false;
        if (_stagedReply is { } staged)
        {
            _stagedReply = null;
            return DeliverStagedReplyAsync(staged);
        }
        return default;
    }

    /// <summary>
    /// Sends a staged in-band reply directly when the writer is idle and nothing is queued ahead
    /// of it (so order is kept), saving a thread wake-up per round trip; else queues it.
    /// </summary>
    private ValueTask DeliverStagedReplyAsync(Outgoing reply)
    {
        if (_sendLock.Wait(0))
        {
            // TryPeek, not Count: the single-reader channel cannot count. The writer only reads under the lock.
            if (!_output.Reader.TryPeek(out _) && !_closing.IsCancellationRequested)
            {
                Interlocked.Add(ref _pendingOutputBytes, reply.Data.Length);
                // Usually the whole reply fits in the socket buffer: one system call, no await.
                int done = _transport.TrySendNow(reply.Data.Span);
                if (done == reply.Data.Length)
                {
                    Release(reply);
                    _sendLock.Release();
                    return default;
                }
                return SendRestOfStagedReplyAsync(reply, done);
            }
            _sendLock.Release();
        }
        Enqueue(reply);
        return default;
    }

    /// <summary>The slow end of <see cref="DeliverStagedReplyAsync"/>: called holding the send lock, releases it.</summary>
    private async ValueTask SendRestOfStagedReplyAsync(Outgoing reply, int done)
    {
        try
        {
            await _transport.SendAsync(reply.Data[done..], null, _closing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or NotSupportedException)
        {
            Close(); // the peer is gone: same as a failed send on the writer
        }
        finally
        {
            Release(reply);
            _sendLock.Release();
        }
    }

    /// <summary>Queues a reply, or stages it for the executor's direct send (in-band only).</summary>
    private void EnqueueReply(JsonMessageWriter writer, Outgoing message)
    {
        if (_stageReplies && ReferenceEquals(writer, _inBandWriter) && _stagedReply is null)
        {
            _stagedReply = message;
            return;
        }
        if (Interlocked.Read(ref _pendingOutputBytes) > _options.OutputHardLimit)
        {
            // Back-pressure keeps replies near the watermark; past the hard limit (events piled up
            // meanwhile) the client is not reading at all: drop it rather than buffer more.
            message.Owner?.Dispose();
            Close();
            return;
        }
        Enqueue(message);
    }

    private async Task WriterLoopAsync()
    {
        ChannelReader<Outgoing> reader = _output.Reader;
        CancellationToken token = _closing.Token;
        using PooledBufferWriter batch = new(16 * 1024);
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                // Held while sending, so the executor's direct send never overtakes queued output.
                await _sendLock.WaitAsync(token).ConfigureAwait(false);
                try
                {
                while (reader.TryRead(out Outgoing message))
                {
                    if (message.Fds is { Count: > 0 })
                    {
                        await FlushBatchAsync(batch, token).ConfigureAwait(false);
                        await SendAndReleaseAsync(message, token).ConfigureAwait(false);
                        continue;
                    }
                    if (batch.WrittenCount == 0 && !reader.TryPeek(out _))
                    {
                        // Common case, one message ready: send it without copying.
                        await SendAndReleaseAsync(message, token).ConfigureAwait(false);
                        continue;
                    }
                    // Several messages ready (pipelining, events): coalesce into one send.
                    batch.Write(message.Data.Span);
                    Release(message);
                    if (batch.WrittenCount >= 64 * 1024)
                    {
                        await FlushBatchAsync(batch, token).ConfigureAwait(false);
                    }
                }
                await FlushBatchAsync(batch, token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or ObjectDisposedException)
        {
            // The peer is gone (EPIPE/ECONNRESET): nothing more can be delivered.
            Close();
        }
        finally
        {
            while (reader.TryRead(out Outgoing message))
            {
                Release(message);
            }
        }
    }

    private async ValueTask FlushBatchAsync(PooledBufferWriter batch, CancellationToken token)
    {
        if (batch.WrittenCount == 0)
        {
            return;
        }
        await _transport.SendAsync(batch.WrittenMemory, null, token).ConfigureAwait(false);
        batch.Clear();
    }

    private async ValueTask SendAndReleaseAsync(Outgoing message, CancellationToken token)
    {
        try
        {
            await _transport.SendAsync(message.Data, message.Fds, token).ConfigureAwait(false);
        }
        finally
        {
            Release(message);
        }
    }

    private void Release(Outgoing message)
    {
        message.Owner?.Dispose();
        Interlocked.Add(ref _pendingOutputBytes, -message.Data.Length);
        Interlocked.Exchange(ref _drainWaiter, null)?.TrySetResult();
    }
}
