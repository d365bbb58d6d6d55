using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Runtime.Buffers;
using QapiGen.Runtime.Framing;
using QapiGen.Runtime.Transports;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// One QMP conversation over one transport: greeting, capabilities negotiation, request
/// checks with QEMU's wording, in-order in-band execution, out-of-band execution, events.
/// </summary>
/// <remarks>
/// <para>Three loops, so that no side can wedge another (the rule: a client that leaves
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
/// and half-close) and their replies are attempted; a send failure, <see cref="Close"/>, or a
/// client that closed its end entirely (which a unix socket tells apart from a half-close)
/// abandons everything at once, cancelling the running command's token.</para>
/// <para>The class is read in the direction a request travels: this file holds the state and the
/// public surface; <c>QmpSession.Reader.cs</c> the reader and the executor;
/// <c>QmpSession.RequestScan.cs</c> the byte-level fast path; <c>QmpSession.Requests.cs</c> one
/// request to one reply; <c>QmpSession.Writer.cs</c> the output.</para>
/// </remarks>
public sealed partial class QmpSession : IAsyncDisposable
{
    private static readonly AsyncLocal<QmpSession?> CurrentSession = new();
    /// <summary>What a request without "arguments" hands the dispatcher: an empty object.</summary>
    private static readonly ReadOnlyMemory<byte> EmptyArguments = "{}"u8.ToArray();
    private static long _nextId;

    private readonly QmpTransport _transport;
    private readonly IQmpDispatcher _dispatcher;
    private readonly QmpSessionOptions _options;
    private readonly JsonDocumentOptions _documentOptions;
    private readonly Channel<InboundRequest> _inBand;
    private readonly Channel<Outgoing> _output;
    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationTokenSource _stopReading;
    private readonly JsonMessageWriter _inBandWriter;
    private readonly JsonMessageWriter _oobWriter;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Action<QmpSession>> _closeCallbacks = new();
    private readonly List<Action<QmpSession>> _negotiatedCallbacks = new();
    // Fd batches offered to messages read so far and still offered to the next (reader only).
    private readonly List<ReceivedFdBatch> _openFdBatches = new();
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

    /// <summary>An in-band request waiting for the executor, with the fds that came with it.</summary>
    private readonly record struct InboundRequest(JsonFrame Frame, QmpMessageFds Fds);

    /// <summary>A session over <paramref name="transport"/> (which it owns), not started yet (<see cref="RunAsync"/>).</summary>
    /// <param name="transport">The connection.</param>
    /// <param name="dispatcher">The command table.</param>
    /// <param name="options">Protocol options; <see cref="QmpSessionOptions.Default"/> when null.</param>
    public QmpSession(QmpTransport transport, IQmpDispatcher dispatcher, QmpSessionOptions? options = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _options = options ?? QmpSessionOptions.Default;
        Id = Interlocked.Increment(ref _nextId);
        _transport.MaxUnclaimedFds = _options.MaxPendingFds;
        _inBandWriter = new JsonMessageWriter(_options.Pretty);
        _oobWriter = new JsonMessageWriter(_options.Pretty);
        _documentOptions = new JsonDocumentOptions { MaxDepth = _options.Framing.MaxDepth + 1 };
        // Synchronous continuations: a request read from an idle session runs, and its reply is
        // sent, on the thread that received it (no thread-pool hop per stage). Nothing is held
        // while writing to these channels, and every loop yields as soon as it would wait, so
        // a slow client or command still only parks its own loop.
        _inBand = Channel.CreateBounded<InboundRequest>(new BoundedChannelOptions(Math.Max(1, _options.InBandQueueLength))
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

    /// <summary>The protocol options the session runs with (its version, dialect, limits).</summary>
    public QmpSessionOptions Options => _options;

    /// <summary>Where events emitted by this session's commands go (<see cref="QmpCommandContext.EmitEvent{TState}"/>): set when a hub subscribes the session.</summary>
    internal IQmpEventRoute? EventRoute { get; set; }

    /// <summary>The connection.</summary>
    public QmpTransport Transport => _transport;

    /// <summary>True once qmp_capabilities succeeded (command mode).</summary>
    public bool IsNegotiated => _negotiated;

    /// <summary>True when the client enabled the oob capability.</summary>
    public bool IsOobEnabled => _oobEnabled;

    /// <summary>
    /// Bytes of replies and events queued for this client and not yet accepted by the transport:
    /// kept near <see cref="QmpSessionOptions.OutputHighWatermark"/> by back-pressure, and never
    /// past <see cref="QmpSessionOptions.OutputHardLimit"/> (the client is then disconnected).
    /// </summary>
    public long PendingOutputBytes => Interlocked.Read(ref _pendingOutputBytes);

    /// <summary>Cancelled when the session is being torn down.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>Completes when the session has ended and released everything.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Per-session state for the host (e.g. named fds), disposed by its own callbacks.</summary>
    public ConcurrentDictionary<string, object?> Items { get; } = new();

    /// <summary>
    /// Registers a callback run once when capabilities negotiation succeeds, before the reply
    /// to <c>qmp_capabilities</c> is sent (so the session receives events from then on, as a
    /// QEMU monitor does); at once when the session is negotiated already. A monitor subscribes
    /// its sessions to its event hub this way.
    /// </summary>
    public void OnNegotiated(Action<QmpSession> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_negotiatedCallbacks)
        {
            if (!_negotiated)
            {
                _negotiatedCallbacks.Add(callback);
                return;
            }
        }
        callback(this);
    }

    private void RunNegotiatedCallbacks()
    {
        Action<QmpSession>[] callbacks;
        lock (_negotiatedCallbacks)
        {
            _negotiated = true;
            callbacks = _negotiatedCallbacks.ToArray();
            _negotiatedCallbacks.Clear();
        }
        foreach (Action<QmpSession> callback in callbacks)
        {
            callback(this);
        }
    }

    /// <summary>Run as the session ends, before the transport closes: a hub stops sending to it.</summary>
    internal event Action<QmpSession>? Unsubscribing;

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
            if (!_finishing && _transport.PeerGone)
            {
                // The client left: cancel what runs for it now (handlers see their token
                // fire) rather than when it finishes, so the monitor can greet the next one.
                Close();
            }
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
            // The writer loop stops as soon as the session is closed, the queue only here: what was queued
            // in between (an event emitted meanwhile) is released now, so a finished session holds no pooled
            // buffer and counts no pending output. Nothing can be queued after TryComplete.
            while (_output.Reader.TryRead(out Outgoing late))
            {
                Release(late);
            }
            Unsubscribing?.Invoke(this);
            _closing.Cancel();
            await _transport.DisposeAsync().ConfigureAwait(false);
            // Fds of a read whose last message never came (the connection ended first).
            foreach (ReceivedFdBatch batch in _openFdBatches)
            {
                batch.CloseRemaining();
            }
            _openFdBatches.Clear();
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
    /// removing itself with monitor-remove must still answer). Called outside a command of this session,
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

    private void SendGreeting()
    {
        if (StartsWithoutGreeting())
        {
            return;
        }
        JsonMessageWriter writer = new(_options.Pretty);
        QmpMessages.WriteGreeting(writer.Begin(), _options.Version, _options.Capabilities);
        PooledBufferWriter buffer = writer.Finish();
        Enqueue(new Outgoing(buffer.WrittenMemory, buffer, null));
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

    /// <summary>Closes the session and waits for it to end.</summary>
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
        }
    }
}
