using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Runtime.Buffers;
using QapiGen.Runtime.Framing;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Transports;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// One QMP conversation over one transport: greeting, capabilities negotiation, request
/// checks with QEMU's wording, in-order in-band execution, out-of-band execution, events.
/// </summary>
/// <remarks>
/// <para>Three loops, so that no side can wedge another (seed 002: a client that leaves
/// without reading its reply must never block the monitor):</para>
/// <list type="bullet">
/// <item>the reader frames input and queues in-band requests (at most
/// <see cref="QmpSessionOptions.InBandQueueLength"/>, then it stops reading as QEMU does);
/// <c>exec-oob</c> requests run right there, overtaking the queue;</item>
/// <item>the executor runs queued requests one at a time and queues their replies;</item>
/// <item>the writer sends queued output, coalescing whatever is ready into one send.</item>
/// </list>
/// <para>Fast path: channels and the input pipe continue inline, so on an idle connection a
/// request is framed, run and (when nothing else is queued) answered directly on the thread
/// that received it; pipelined requests go through the writer, which coalesces replies.</para>
/// <para>The reader keeps reading while replies are pending, so a peer that goes away is
/// seen at once; the writer never blocks a thread (async sends, cancelled on close).
/// At end of input the requests already received still run (a client may send a command
/// and half-close) and their replies are attempted; a send failure or <see cref="Close"/>
/// abandons everything at once.</para>
/// </remarks>
public sealed class QmpSession : IAsyncDisposable
{
    private static readonly AsyncLocal<QmpSession?> CurrentSession = new();
    private static readonly JsonDocument EmptyArguments = JsonDocument.Parse("{}");
    private static long _nextId;

    private readonly QmpTransport _transport;
    private readonly IQmpDispatcher _dispatcher;
    private readonly QmpSessionOptions _options;
    private readonly JsonDocumentOptions _documentOptions;
    private readonly Channel<JsonFrame> _inBand;
    private readonly Channel<Outgoing> _output;
    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationTokenSource _stopReading;
    private readonly JsonMessageWriter _inBandWriter;
    private readonly JsonMessageWriter _oobWriter;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Action<QmpSession>> _closeCallbacks = new();
    private readonly List<SafeFileHandle> _fdScratchInBand = new();
    private readonly List<SafeFileHandle> _fdScratchOob = new();
    private long _pendingOutputBytes;
    private TaskCompletionSource? _drainWaiter;
    private volatile bool _negotiated;
    private volatile bool _oobEnabled;
    private volatile bool _closeAfterReply;
    private volatile bool _finishing;
    private int _started;
    private bool _callbacksRan;

    // Sequential fast path (see DeliverStagedReplyAsync): the in-band reply of a request that
    // arrived on an idle connection is sent by the executor itself instead of waking the writer.
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private volatile bool _inputIdle;
    // True while the executor waits for work; see TryRunInBandInline.
    private volatile bool _executorIdle = true;
    // An in-band command the reader started inline that had not finished when the reader moved on.
    private Task? _inlineRun;
    private bool _stageReplies;
    private Outgoing? _stagedReply;

    private readonly record struct Outgoing(ReadOnlyMemory<byte> Data, PooledBufferWriter? Owner, IReadOnlyList<SafeHandle>? Fds);

    public QmpSession(QmpTransport transport, IQmpDispatcher dispatcher, QmpSessionOptions? options = null, QmpEventHub? eventHub = null, QmpMonitor? monitor = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _options = options ?? QmpSessionOptions.Default;
        EventHub = eventHub;
        Monitor = monitor;
        Id = Interlocked.Increment(ref _nextId);
        ReceivedFds = new QmpFdQueue(_options.MaxPendingFds);
        _inBandWriter = new JsonMessageWriter(_options.Pretty);
        _oobWriter = new JsonMessageWriter(_options.Pretty);
        _documentOptions = new JsonDocumentOptions { MaxDepth = _options.Framing.MaxDepth + 1 };
        // Synchronous continuations: a request read from an idle session runs, and its reply is
        // sent, on the thread that received it (no thread-pool hop per stage). Nothing is held
        // while writing to these channels, and every loop yields as soon as it would wait, so
        // a slow client or command still only parks its own loop (seed 002).
        _inBand = Channel.CreateBounded<JsonFrame>(new BoundedChannelOptions(Math.Max(1, _options.InBandQueueLength))
        {
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = true,
        });
        _output = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
        _stopReading = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
    }

    /// <summary>
    /// The session whose command is running on the current async flow (QEMU's monitor_cur()),
    /// or null outside command execution.
    /// </summary>
    public static QmpSession? Current => CurrentSession.Value;

    /// <summary>Process-unique session number.</summary>
    public long Id { get; }

    /// <summary>The monitor this session belongs to, if it was started by one.</summary>
    public QmpMonitor? Monitor { get; }

    /// <summary>The hub events are broadcast through, if any.</summary>
    public QmpEventHub? EventHub { get; }

    public QmpTransport Transport => _transport;

    /// <summary>Fds received and not yet claimed by a command.</summary>
    public QmpFdQueue ReceivedFds { get; }

    /// <summary>True once qmp_capabilities succeeded (command mode).</summary>
    public bool IsNegotiated => _negotiated;

    /// <summary>True when the client enabled the oob capability.</summary>
    public bool IsOobEnabled => _oobEnabled;

    /// <summary>Cancelled when the session is being torn down.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>Completes when the session has ended and released everything.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Per-session state for the host (e.g. named fds), disposed by its own callbacks.</summary>
    public ConcurrentDictionary<string, object?> Items { get; } = new();

    /// <summary>Registers a callback run once when the session has ended (after the transport closed).</summary>
    public void OnClosed(Action<QmpSession> callback)
    {
        lock (_closeCallbacks)
        {
            if (!_callbacksRan)
            {
                _closeCallbacks.Add(callback);
                return;
            }
        }
        callback(this);
    }

    /// <summary>
    /// Runs the conversation until the peer leaves or the session is closed. Returns after
    /// the transport is closed and every unclaimed fd released.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A session runs once.");
        }
        using CancellationTokenRegistration registration = cancellationToken.Register(static s => ((QmpSession)s!).Close(), this);
        Task writer = Task.Run(WriterLoopAsync);
        Task executor = Task.Run(ExecutorLoopAsync);
        try
        {
            SendGreeting();
            await ReaderLoopAsync().ConfigureAwait(false);
        }
        finally
        {
            _inBand.Writer.TryComplete();
            await executor.ConfigureAwait(false);
            // The reader has stopped, so this is final: a command it ran inline (quit, say, whose
            // reply did not fit the socket at once) finishes before the session is torn down.
            await AwaitInlineRunAsync().ConfigureAwait(false);
            _output.Writer.TryComplete();
            await writer.ConfigureAwait(false);
            EventHub?.Unregister(this);
            _closing.Cancel();
            await _transport.DisposeAsync().ConfigureAwait(false);
            ReceivedFds.Dispose();
            RunCloseCallbacks();
            _completion.TrySetResult();
        }
    }

    /// <summary>Ends the session now: pending requests are dropped, the connection closed.</summary>
    public void Close()
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        _transport.Abort();
    }

    /// <summary>
    /// Ends the session gently: stops reading, lets the command now running finish, sends
    /// everything already queued (replies, events), then closes. Requests read but not yet
    /// started are dropped, as when QEMU shuts down. Use <see cref="Close"/> to bound the wait
    /// for a client that does not read.
    /// </summary>
    public void CloseGracefully()
    {
        if (Volatile.Read(ref _started) == 0)
        {
            Close();
            return;
        }
        FinishAfterReply();
    }

    /// <summary>
    /// Ends the session once the reply of the command now running has been sent (a monitor
    /// removing itself must still answer, seed 003). Called outside a command of this session,
    /// it is <see cref="Close"/>.
    /// </summary>
    public void CloseAfterReply()
    {
        if (Current != this)
        {
            Close();
            return;
        }
        _closeAfterReply = true;
    }

    /// <summary>Sends an event to this session only (ignored before negotiation, as QEMU does).</summary>
    public void SendEvent<TState>(string name, TState state, Action<Utf8JsonWriter, TState>? writeData)
    {
        if (!_negotiated)
        {
            return;
        }
        JsonMessageWriter writer = new(_options.Pretty);
        QmpMessages.WriteEvent(writer.Begin(), name, _options.TimeProvider.GetUtcNow(), state, writeData);
        PooledBufferWriter buffer = writer.Finish();
        EnqueueEvent(new Outgoing(buffer.WrittenMemory, buffer, null));
    }

    /// <summary>Queues an already serialised event line (shared by all sessions of a hub).</summary>
    internal void SendSerializedEvent(ReadOnlyMemory<byte> line)
    {
        if (_negotiated)
        {
            EnqueueEvent(new Outgoing(line, null, null));
        }
    }

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

    private void SendGreeting()
    {
        JsonMessageWriter writer = new(_options.Pretty);
        QmpMessages.WriteGreeting(writer.Begin(), _options.Version, _options.Capabilities);
        PooledBufferWriter buffer = writer.Finish();
        Enqueue(new Outgoing(buffer.WrittenMemory, buffer, null));
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
            if (_oobEnabled && !frame.IsError && IsOutOfBandRequest(frame.Json.Span))
            {
                // Out-of-band: run now, on the reader, ahead of queued in-band requests.
                await ProcessFrameAsync(frame, _oobWriter, _fdScratchOob).ConfigureAwait(false);
                continue;
            }
            _inputIdle = reader.BufferedFrames == 0;
            if (TryRunInBandInline(frame))
            {
                continue;
            }
            try
            {
                await _inBand.Writer.WriteAsync(frame, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                frame.Dispose();
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
            while (_inBand.Reader.TryRead(out JsonFrame? frame))
            {
                DropFrame(frame);
            }
        }
    }

    private async Task ExecuteQueuedAsync()
    {
        CurrentSession.Value = this; // see ReaderLoopAsync

        // Not cancelled by Close(): it must drain (and dispose) whatever was queued.
        // WaitToReadAsync + TryRead rather than ReadAllAsync: the async iterator would resume
        // on the thread pool, losing the inline hand-off from the reader.
        ChannelReader<JsonFrame> queue = _inBand.Reader;
        while (await queue.WaitToReadAsync().ConfigureAwait(false))
        {
            _executorIdle = false;
            while (queue.TryRead(out JsonFrame? frame))
            {
                // A request the reader started inline comes before anything queued after it.
                await AwaitInlineRunAsync().ConfigureAwait(false);
                await RunInBandAsync(frame).ConfigureAwait(false);
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
    private bool TryRunInBandInline(JsonFrame frame)
    {
        // Only the reader queues frames, so while it runs this one the executor stays parked.
        if (!_executorIdle || _inBand.Reader.Count != 0 || _inlineRun is { IsCompleted: false })
        {
            return false;
        }
        ValueTask run = RunInBandAsync(frame);
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
    private ValueTask RunInBandAsync(JsonFrame frame)
    {
        if (_closing.IsCancellationRequested || _finishing)
        {
            DropFrame(frame);
            return default;
        }
        if (Interlocked.Read(ref _pendingOutputBytes) > _options.OutputHighWatermark)
        {
            return RunInBandAfterOutputRoomAsync(frame);
        }
        // Nothing else to answer soon (no further request read or queued): stage the reply
        // and send it right here; otherwise replies go through the writer, which coalesces them.
        _stageReplies = _inputIdle && _inBand.Reader.Count == 0;
        ValueTask processing = ProcessFrameAsync(frame, _inBandWriter, _fdScratchInBand);
        if (!processing.IsCompletedSuccessfully)
        {
            return FinishInBandAsync(processing);
        }
        processing.GetAwaiter().GetResult();
        return DeliverStagedReply();
    }

    /// <summary>Back-pressure: waits until the client has read enough of its replies, then runs the request.</summary>
    private async ValueTask RunInBandAfterOutputRoomAsync(JsonFrame frame)
    {
        try
        {
            await WaitForOutputRoomAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            DropFrame(frame);
            return;
        }
        await RunInBandAsync(frame).ConfigureAwait(false);
    }

    private async ValueTask FinishInBandAsync(ValueTask processing)
    {
        await processing.ConfigureAwait(false);
        await DeliverStagedReply().ConfigureAwait(false);
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
        Enqueue(message);
    }

    private void DropFrame(JsonFrame frame)
    {
        // Fds that came with a dropped request still belong to this session; they are closed with it.
        TakeFds(frame.EndOffset, _fdScratchInBand);
        frame.Dispose();
    }

    /// <summary>Back-pressure: in-band execution waits while the client is not reading its replies.</summary>
    private async ValueTask WaitForOutputRoomAsync()
    {
        while (Interlocked.Read(ref _pendingOutputBytes) > _options.OutputHighWatermark)
        {
            TaskCompletionSource waiter = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _drainWaiter, waiter);
            if (Interlocked.Read(ref _pendingOutputBytes) <= _options.OutputHighWatermark)
            {
                return;
            }
            await waiter.Task.WaitAsync(_closing.Token).ConfigureAwait(false);
        }
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

    private bool TakeFds(long endOffset, List<SafeFileHandle> scratch)
    {
        bool ok = _transport.TakeReceivedFds(endOffset, scratch);
        foreach (SafeFileHandle fd in scratch)
        {
            ReceivedFds.Add(fd);
        }
        scratch.Clear();
        return ok;
    }

    private ValueTask ProcessFrameAsync(JsonFrame frame, JsonMessageWriter writer, List<SafeFileHandle> fdScratch)
    {
        ValueTask running;
        try
        {
            // The fds that came with this message become claimable before it runs.
            bool fdsOk = TakeFds(frame.EndOffset, fdScratch);
            if (frame.Error is { } framingError)
            {
                SendError(writer, QmpError.Generic(framingError), default);
                frame.Dispose();
                return default;
            }
            // The common shape {"execute": NAME[, "id": ID]} needs no document at all.
            running = TryScanPlainRequest(frame.Json, out string? plainCommand, out ReadOnlyMemory<byte> plainId)
                ? RunCommandAsync(plainCommand, false, EmptyArguments.RootElement, plainId, writer, fdsOk)
                : ProcessDocumentAsync(frame.Json, writer, fdsOk);
        }
        catch
        {
            frame.Dispose();
            throw;
        }
        if (!running.IsCompletedSuccessfully)
        {
            return FinishFrameAsync(running, frame);
        }
        frame.Dispose(); // the command is done with the request's bytes (its id, its arguments)
        running.GetAwaiter().GetResult();
        AfterFrame();
        return default;
    }

    private async ValueTask FinishFrameAsync(ValueTask running, JsonFrame frame)
    {
        using (frame)
        {
            await running.ConfigureAwait(false);
        }
        AfterFrame();
    }

    private void AfterFrame()
    {
        if (_closeAfterReply && !_finishing)
        {
            FinishAfterReply();
        }
    }

    /// <summary>The general request path: parse the whole request, then check it as QEMU does.</summary>
    private async ValueTask ProcessDocumentAsync(ReadOnlyMemory<byte> json, JsonMessageWriter writer, bool fdsOk)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, _documentOptions);
        }
        catch (JsonException ex)
        {
            // The splitter already checked the grammar; what is left is mostly bad UTF-8.
            SendError(writer, QmpError.Generic("JSON parse error, " + FirstSentence(ex.Message)), default);
            return;
        }
        using (document)
        {
            await ProcessRequestAsync(document.RootElement, json, writer, fdsOk).ConfigureAwait(false);
        }
    }

    private async ValueTask ProcessRequestAsync(JsonElement root, ReadOnlyMemory<byte> json, JsonMessageWriter writer, bool fdsOk)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            SendError(writer, QmpError.Generic("QMP input must be a JSON object"), default);
            return;
        }

        // QEMU picks the id up before checking anything else, so every later error carries it.
        ReadOnlyMemory<byte> id = root.TryGetProperty("id"u8, out JsonElement idElement)
            ? RawSlice(json, idElement)
            : default;

        string? command = null;
        bool outOfBand = false;
        JsonElement arguments = EmptyArguments.RootElement;
        foreach (JsonProperty member in root.EnumerateObject())
        {
            bool isExecute = member.NameEquals("execute"u8);
            if (isExecute || (_oobEnabled && member.NameEquals("exec-oob"u8)))
            {
                if (member.Value.ValueKind != JsonValueKind.String)
                {
                    SendError(writer, QmpError.Generic($"QMP input member '{member.Name}' must be a string"), id.Span);
                    return;
                }
                // With both present, 'execute' wins (QEMU's qmp_is_oob() requires its absence).
                if (command is null || isExecute)
                {
                    command = member.Value.GetString();
                    outOfBand = !isExecute;
                }
            }
            else if (member.NameEquals("arguments"u8))
            {
                if (member.Value.ValueKind != JsonValueKind.Object)
                {
                    SendError(writer, QmpError.Generic("QMP input member 'arguments' must be an object"), id.Span);
                    return;
                }
                arguments = member.Value;
            }
            else if (!member.NameEquals("id"u8))
            {
                SendError(writer, QmpError.Generic($"QMP input member '{member.Name}' is unexpected"), id.Span);
                return;
            }
        }
        if (command is null)
        {
            SendError(writer, QmpError.Generic("QMP input lacks member 'execute'"), id.Span);
            return;
        }
        await RunCommandAsync(command, outOfBand, arguments, id, writer, fdsOk).ConfigureAwait(false);
    }

    /// <summary>Runs a request that passed the protocol checks and sends its reply.</summary>
    private ValueTask RunCommandAsync(string command, bool outOfBand, JsonElement arguments, ReadOnlyMemory<byte> id, JsonMessageWriter writer, bool fdsOk)
    {
        QmpReply reply;
        if (command == "qmp_capabilities")
        {
            reply = Negotiate(arguments);
        }
        else if (!_negotiated)
        {
            // QEMU rewrites any CommandNotFound in negotiation mode into this hint.
            reply = new QmpError(QmpErrorClass.CommandNotFound, "Expecting capabilities negotiation with 'qmp_capabilities'");
        }
        else if (!_dispatcher.TryGetCommand(command, out QmpCommandInfo info))
        {
            reply = QmpError.CommandNotFound(command);
        }
        else if (outOfBand && !info.AllowOob)
        {
            reply = QmpError.Generic($"The command {command} does not support OOB");
        }
        else if (!fdsOk)
        {
            reply = QmpError.Generic($"Too many file descriptors passed with one message (at most {_transport.MaxFdsPerMessage})");
        }
        else if (_options.CommandGate?.Invoke(this, info) is { } refused)
        {
            reply = refused;
        }
        else
        {
            QmpCommandContext context = new(this, info, outOfBand, id);
            ValueTask<QmpReply> dispatched;
            try
            {
                dispatched = _dispatcher.DispatchAsync(context, arguments, _closing.Token);
            }
            catch (Exception ex)
            {
                dispatched = ValueTask.FromException<QmpReply>(ex);
            }
            if (!dispatched.IsCompletedSuccessfully)
            {
                return FinishDispatchAsync(dispatched, context, id, writer);
            }
            CompleteCommand(dispatched.Result, context, id.Span, writer);
            return default;
        }
        SendReply(reply, id.Span, writer);
        return default;
    }

    /// <summary>The rest of <see cref="RunCommandAsync"/> for a command that did not finish at once (or failed).</summary>
    private async ValueTask FinishDispatchAsync(ValueTask<QmpReply> dispatched, QmpCommandContext context, ReadOnlyMemory<byte> id, JsonMessageWriter writer)
    {
        QmpReply reply;
        try
        {
            reply = await dispatched.ConfigureAwait(false);
        }
        catch (QmpException ex)
        {
            reply = ex.Error;
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            reply = QmpReply.NoResponse;
        }
        catch (Exception ex)
        {
            _options.UnhandledException?.Invoke(this, context.Command.Name, ex);
            reply = QmpError.Generic(ex.Message);
        }
        CompleteCommand(reply, context, id.Span, writer);
    }

    /// <summary>Sends a dispatched command's reply, then runs what it asked to run after its reply.</summary>
    private void CompleteCommand(in QmpReply reply, QmpCommandContext context, ReadOnlySpan<byte> id, JsonMessageWriter writer)
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }
        SendReply(reply, id, writer);
        if (!context.HasAfterReply)
        {
            return;
        }
        if (_stagedReply is { } staged && ReferenceEquals(writer, _inBandWriter))
        {
            // What the callbacks send must follow the reply: queue the reply first.
            _stagedReply = null;
            Enqueue(staged);
        }
        try
        {
            context.RunAfterReply();
        }
        catch (Exception ex)
        {
            _options.UnhandledException?.Invoke(this, context.Command.Name + " (after reply)", ex);
        }
    }

    private void SendReply(in QmpReply reply, ReadOnlySpan<byte> id, JsonMessageWriter writer)
    {
        if (reply.IsError)
        {
            SendError(writer, reply.Error!, id);
        }
        else if (!reply.IsNoResponse)
        {
            SendReturn(writer, reply, id);
        }
    }

    /// <summary>qmp_capabilities, with QEMU's argument checking and texts.</summary>
    private QmpReply Negotiate(JsonElement arguments)
    {
        if (_negotiated)
        {
            return new QmpError(QmpErrorClass.CommandNotFound, "Capabilities negotiation is already complete, command ignored");
        }
        bool enableOob = false;
        foreach (JsonProperty member in arguments.EnumerateObject())
        {
            if (!member.NameEquals("enable"u8))
            {
                return QmpError.ParameterUnexpected(member.Name);
            }
            if (member.Value.ValueKind != JsonValueKind.Array)
            {
                return QmpError.InvalidParameterType("enable", "array");
            }
            int index = 0;
            foreach (JsonElement item in member.Value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return QmpError.InvalidParameterType($"enable[{index}]", "string");
                }
                string capability = item.GetString()!;
                if (capability != QmpCapabilities.Oob)
                {
                    return QmpError.InvalidEnumValue(null, capability);
                }
                bool offered = false;
                foreach (string c in _options.Capabilities)
                {
                    offered |= c == capability;
                }
                if (!offered)
                {
                    return QmpError.Generic($"Capability '{capability}' not available");
                }
                enableOob = true;
                index++;
            }
        }
        _oobEnabled = enableOob;
        _negotiated = true;
        EventHub?.Register(this);
        return QmpReply.Empty;
    }

    private void SendReturn(JsonMessageWriter writer, in QmpReply reply, ReadOnlySpan<byte> id)
    {
        PooledBufferWriter buffer;
        try
        {
            QmpMessages.WriteReturn(writer.Begin(validate: !reply.IsWellFormedByConstruction), reply, id);
            buffer = writer.Finish();
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException or ArgumentException)
        {
            // A return value that cannot be written is the server's bug; say so instead of hanging.
            writer.Abort();
            SendError(writer, QmpError.Generic("Internal error: " + ex.Message), id);
            return;
        }
        EnqueueReply(writer, new Outgoing(buffer.WrittenMemory, buffer, null));
    }

    private void SendError(JsonMessageWriter writer, QmpError error, ReadOnlySpan<byte> id)
    {
        QmpMessages.WriteError(writer.Begin(validate: false), error, id);
        PooledBufferWriter buffer = writer.Finish();
        EnqueueReply(writer, new Outgoing(buffer.WrittenMemory, buffer, null));
    }

    /// <summary>After the closing command's reply is queued: stop taking input, flush, end.</summary>
    private void FinishAfterReply()
    {
        _finishing = true;
        try
        {
            _stopReading.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        _inBand.Writer.TryComplete();
    }

    /// <summary>
    /// Recognises a request made only of "execute" (a string) and optionally "id", each once,
    /// which needs no checks beyond this scan; anything else (arguments, exec-oob, errors to
    /// report) takes the general path. The command name is interned per session.
    /// </summary>
    private bool TryScanPlainRequest(ReadOnlyMemory<byte> json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? command, out ReadOnlyMemory<byte> id)
    {
        if (TryMatchCompactPlainRequest(json, out command, out id))
        {
            return true;
        }
        command = null;
        id = default;
        Utf8JsonReader reader = new(json.Span, new JsonReaderOptions { MaxDepth = _documentOptions.MaxDepth });
        bool sawId = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return command is not null && reader.CurrentDepth == 0;
                }
                if (reader.ValueTextEquals("execute"u8))
                {
                    if (command is not null || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                    {
                        return false;
                    }
                    command = InternCommand(reader.ValueSpan);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    if (sawId || !reader.Read())
                    {
                        return false;
                    }
                    sawId = true;
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    int end = (int)reader.BytesConsumed;
                    id = json[start..end];
                }
                else
                {
                    return false;
                }
            }
        }
        catch (JsonException)
        {
        }
        return false;
    }

    /// <summary>
    /// The usual request byte for byte: frames come out of the splitter without insignificant
    /// whitespace, so most are exactly <c>{"execute":"NAME"}</c> or <c>{"execute":"NAME","id":ID}</c>
    /// with an ASCII name and a number or plain string as ID. Anything else (other id values,
    /// escapes, other member order) goes to the JSON reader.
    /// </summary>
    private bool TryMatchCompactPlainRequest(ReadOnlyMemory<byte> json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? command, out ReadOnlyMemory<byte> id)
    {
        command = null;
        id = default;
        ReadOnlySpan<byte> prefix = "{\"execute\":\""u8;
        ReadOnlySpan<byte> idKey = ",\"id\":"u8;
        ReadOnlySpan<byte> text = json.Span;
        if (!text.StartsWith(prefix))
        {
            return false;
        }
        ReadOnlySpan<byte> rest = text[prefix.Length..];
        int nameLength = rest.IndexOf((byte)'"');
        if (nameLength <= 0 || rest[..nameLength].IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0 || rest[..nameLength].Contains((byte)'\\'))
        {
            return false;
        }
        ReadOnlySpan<byte> tail = rest[(nameLength + 1)..];
        if (tail.Length == 1 && tail[0] == (byte)'}')
        {
            command = InternCommand(rest[..nameLength]);
            return true;
        }
        if (!tail.StartsWith(idKey) || tail[^1] != (byte)'}')
        {
            return false;
        }
        ReadOnlySpan<byte> value = tail[idKey.Length..^1];
        bool simpleString = value.Length >= 2 && value[0] == (byte)'"' && value[^1] == (byte)'"'
            && value[1..^1].IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0 && value[1..^1].IndexOfAny((byte)'"', (byte)'\\') < 0;
        // The splitter has checked the number's syntax already.
        bool number = value.Length > 0 && value.IndexOfAnyExcept("0123456789-+.eE"u8) < 0;
        if (!simpleString && !number)
        {
            return false;
        }
        command = InternCommand(rest[..nameLength]);
        id = json.Slice(text.Length - 1 - value.Length, value.Length);
        return true;
    }

    private byte[]? _lastCommandUtf8;
    private string? _lastCommand;

    /// <summary>Clients repeat the same few commands: reuse the string of the previous one.</summary>
    private string InternCommand(ReadOnlySpan<byte> utf8)
    {
        if (_lastCommand is not null && utf8.SequenceEqual(_lastCommandUtf8))
        {
            return _lastCommand;
        }
        _lastCommandUtf8 = utf8.ToArray();
        _lastCommand = System.Text.Encoding.UTF8.GetString(utf8);
        return _lastCommand;
    }

    /// <summary>Top-level scan for QEMU's qmp_is_oob(): has "exec-oob" and no "execute".</summary>
    private static bool IsOutOfBandRequest(ReadOnlySpan<byte> json)
    {
        Utf8JsonReader reader = new(json);
        bool hasOob = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("execute"u8))
                {
                    return false;
                }
                hasOob |= reader.ValueTextEquals("exec-oob"u8);
                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }
        return hasOob;
    }

    /// <summary>The raw bytes of <paramref name="element"/> as a slice of the message (no copy).</summary>
    private static ReadOnlyMemory<byte> RawSlice(ReadOnlyMemory<byte> json, JsonElement element)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
        ReadOnlySpan<byte> all = json.Span;
        nint offset = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(all), ref MemoryMarshal.GetReference(raw));
        if (offset >= 0 && offset + raw.Length <= all.Length)
        {
            return json.Slice((int)offset, raw.Length);
        }
        return raw.ToArray();
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }

    private void RunCloseCallbacks()
    {
        Action<QmpSession>[] callbacks;
        lock (_closeCallbacks)
        {
            callbacks = _closeCallbacks.ToArray();
            _closeCallbacks.Clear();
            _callbacksRan = true;
        }
        foreach (Action<QmpSession> callback in callbacks)
        {
            try
            {
                callback(this);
            }
            catch (Exception ex)
            {
                _options.UnhandledException?.Invoke(this, "<close>", ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        if (Volatile.Read(ref _started) != 0 && Current != this)
        {
            await Completion.ConfigureAwait(false);
        }
        else if (Volatile.Read(ref _started) == 0)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
            ReceivedFds.Dispose();
        }
    }
}
