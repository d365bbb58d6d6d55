using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Runtime.Framing;
using QapiGen.Runtime.Transports;

namespace QapiGen.Runtime.Protocol;

// The reader and the executor: frames from the input pipe, out-of-band requests run at once,
// in-band ones run inline when nothing is queued, else queued for the executor, in order.
public sealed partial class QmpSession
{
    private async Task ReaderLoopAsync()
    {
        // Set once per loop rather than per command (an ExecutionContext copy each time): the
        // reader runs out-of-band commands, and in-band ones when the executor runs inline.
        CurrentSession.Value = this;
        System.IO.Pipelines.PipeReader input = _transport.Input;
        using JsonMessageReader reader = new(input, _options.Framing);
        CancellationToken token = _stopReading.Token;
        // One registration for the session instead of one per read (a pending pipe read with a
        // cancellable token registers it each time): stopping cancels the pending read, which
        // the reader sees as the end of input.
        using CancellationTokenRegistration stop = token.UnsafeRegister(static p => ((System.IO.Pipelines.PipeReader)p!).CancelPendingRead(), input);
        while (true)
        {
            JsonFrame? frame;
            try
            {
                if (token.IsCancellationRequested)
                {
                    return;
                }
                // The pipe is awaited here rather than through reader.ReadAsync: one async layer
                // less to resume per request.
                while (!reader.TryTake(out frame))
                {
                    if (reader.IsFinished)
                    {
                        return;
                    }
                    reader.Consume(await input.ReadAsync(CancellationToken.None).ConfigureAwait(false));
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
                return; // the transport failed or was torn down: the conversation is over
            }
            QmpMessageFds fds = ClaimFds(frame.EndOffset);
            if (_oobEnabled && !frame.IsError && IsOutOfBandRequest(frame.Json.Span))
            {
                // Out-of-band: run now, on the reader, ahead of queued in-band requests; but, as
                // in-band, only while the client reads its replies. Every oob request is answered
                // (refused ones too), so a client that writes them without reading would otherwise
                // queue replies without bound: the reader waits, and stops reading, instead.
                if (Interlocked.Read(ref _pendingOutputBytes) > _options.OutputHighWatermark)
                {
                    try
                    {
                        await WaitForOutputRoomAsync().ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        DropFrame(frame, fds);
                        return;
                    }
                }
                await ProcessFrameAsync(frame, fds, _oobWriter).ConfigureAwait(false);
                continue;
            }
            _inputIdle = reader.BufferedFrames == 0;
            if (TryRunInBandInline(frame, fds))
            {
                continue;
            }
            try
            {
                await _inBand.Writer.WriteAsync(new InboundRequest(frame, fds), token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                DropFrame(frame, fds);
                return;
            }
        }
    }

    private async Task ExecutorLoopAsync()
    {
        try
        {
            await ExecuteQueuedAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A bug here must end this session, not wedge it (or the monitor awaiting it).
            _options.UnhandledException?.Invoke(this, "<executor>", ex);
            Close();
            while (_inBand.Reader.TryRead(out InboundRequest request))
            {
                DropFrame(request.Frame, request.Fds);
            }
        }
    }

    private async Task ExecuteQueuedAsync()
    {
        CurrentSession.Value = this; // see ReaderLoopAsync

        // Not cancelled by Close(): it must drain (and dispose) whatever was queued.
        // WaitToReadAsync + TryRead rather than ReadAllAsync: the async iterator would resume
        // on the thread pool, losing the inline hand-off from the reader.
        ChannelReader<InboundRequest> queue = _inBand.Reader;
        while (await queue.WaitToReadAsync().ConfigureAwait(false))
        {
            _executorIdle = false;
            while (queue.TryRead(out InboundRequest request))
            {
                // A request the reader started inline comes before anything queued after it.
                await AwaitInlineRunAsync().ConfigureAwait(false);
                await RunInBandAsync(request.Frame, request.Fds).ConfigureAwait(false);
            }
            _executorIdle = true;
        }
        await AwaitInlineRunAsync().ConfigureAwait(false);
    }

    private async ValueTask AwaitInlineRunAsync()
    {
        if (_inlineRun is { } pending)
        {
            _inlineRun = null;
            await pending.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The reader's shortcut for the usual case of one request at a time: when the executor is
    /// idle and nothing is queued, the reader runs the in-band request itself instead of handing
    /// it over through the queue (a hand-off per round trip). A command that does not finish at
    /// once goes on by itself; the reader returns to reading (so out-of-band commands still get
    /// through) and the next in-band request is queued, for the executor, which waits for the
    /// unfinished one first. In-band order is kept either way.
    /// </summary>
    private bool TryRunInBandInline(JsonFrame frame, QmpMessageFds fds)
    {
        // Only the reader queues frames, so while it runs this one the executor stays parked.
        if (!_executorIdle || _inBand.Reader.Count != 0 || _inlineRun is { IsCompleted: false })
        {
            return false;
        }
        ValueTask run = RunInBandAsync(frame, fds);
        if (run.IsCompletedSuccessfully)
        {
            run.GetAwaiter().GetResult();
            return true;
        }
        _inlineRun = GuardInlineRunAsync(run);
        return true;
    }

    /// <summary>As the executor loop does for its commands: a bug ends the session instead of going unnoticed.</summary>
    private async Task GuardInlineRunAsync(ValueTask run)
    {
        try
        {
            await run.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _options.UnhandledException?.Invoke(this, "<executor>", ex);
            Close();
        }
    }

    /// <summary>Runs one in-band request and delivers its reply (the executor's work for one frame).</summary>
    /// <remarks>
    /// Not an async method: almost every request completes at once, and then this and the methods
    /// below it run as plain calls. Only a command that really waits continues in
    /// <see cref="FinishInBandAsync"/>. (Each async layer costs a state machine and an execution
    /// context save and restore per request, a measurable part of a sequential round trip.)
    /// </remarks>
    private ValueTask RunInBandAsync(JsonFrame frame, QmpMessageFds fds)
    {
        if (_closing.IsCancellationRequested || _finishing)
        {
            DropFrame(frame, fds);
            return default;
        }
        if (Interlocked.Read(ref _pendingOutputBytes) > _options.OutputHighWatermark)
        {
            return RunInBandAfterOutputRoomAsync(frame, fds);
        }
        // Nothing else to answer soon (no further request read or queued): stage the reply
        // and send it right here; otherwise replies go through the writer, which coalesces them.
        _stageReplies = _inputIdle && _inBand.Reader.Count == 0;
        ValueTask processing = ProcessFrameAsync(frame, fds, _inBandWriter);
        if (!processing.IsCompletedSuccessfully)
        {
            return FinishInBandAsync(processing);
        }
        processing.GetAwaiter().GetResult();
        return DeliverStagedReply();
    }

    /// <summary>Back-pressure: waits until the client has read enough of its replies, then runs the request.</summary>
    private async ValueTask RunInBandAfterOutputRoomAsync(JsonFrame frame, QmpMessageFds fds)
    {
        try
        {
            await WaitForOutputRoomAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            DropFrame(frame, fds);
            return;
        }
        await RunInBandAsync(frame, fds).ConfigureAwait(false);
    }

    private async ValueTask FinishInBandAsync(ValueTask processing)
    {
        await processing.ConfigureAwait(false);
        await DeliverStagedReply().ConfigureAwait(false);
    }

    private static void DropFrame(JsonFrame frame, QmpMessageFds fds)
    {
        fds.Dispose();
        frame.Dispose();
    }

    /// <summary>
    /// Back-pressure: in-band execution (the executor) and out-of-band execution (the reader) wait
    /// while the client is not reading its replies. Both may wait at once, so they share one
    /// waiter, which the writer completes when it takes output off the backlog.
    /// </summary>
    private async ValueTask WaitForOutputRoomAsync()
    {
        while (Interlocked.Read(ref _pendingOutputBytes) > _options.OutputHighWatermark)
        {
            TaskCompletionSource? waiter = Volatile.Read(ref _drainWaiter);
            if (waiter is null)
            {
                TaskCompletionSource created = new(TaskCreationOptions.RunContinuationsAsynchronously);
                waiter = Interlocked.CompareExchange(ref _drainWaiter, created, null) ?? created;
            }
            if (Interlocked.Read(ref _pendingOutputBytes) <= _options.OutputHighWatermark)
            {
                return;
            }
            await waiter.Task.WaitAsync(_closing.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The fds a message ending at <paramref name="endOffset"/> came with (see
    /// <see cref="ReceivedFdBatch"/>); called by the reader for every message, in stream order.
    /// </summary>
    private QmpMessageFds ClaimFds(long endOffset)
    {
        _transport.ClaimFdBatches(endOffset, _openFdBatches);
        if (_openFdBatches.Count == 0)
        {
            return QmpMessageFds.None;
        }
        ReceivedFdBatch[] batches = _openFdBatches.ToArray();
        foreach (ReceivedFdBatch batch in batches)
        {
            batch.AddReference(last: batch.EndAnchor <= endOffset);
        }
        _openFdBatches.RemoveAll(batch => batch.EndAnchor <= endOffset);
        return new QmpMessageFds(batches);
    }
}
