using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Buffers;
using QapiGen.Runtime.Framing;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;

namespace QapiGen.Runtime.Client;

/// <summary>
/// An untyped client for the guest-agent dialect (qemu-ga). It differs from QMP on the wire:
/// there is no greeting and no negotiation, and the channel outlives its clients (a
/// virtio-serial port), so replies meant for an earlier client, or half a message, may still be
/// in it. The client therefore resynchronises with <c>guest-sync-delimited</c> on connect and
/// after any call that did not end cleanly (timeout, cancellation): it sends 0xFF (which resets
/// the agent's JSON parser), then the sync with a random id, and discards everything until the
/// reply carrying that id (the agent sends 0xFF before it, which resets this side's parser).
/// Calls run one at a time, as the agent handles them; each has a timeout and a token, so a
/// guest that never answers fails calls but never wedges the client. The client generated from a
/// guest-agent schema derives from this class and calls <see cref="ExecuteAsync{TState}"/> with
/// generated argument writers.
/// </summary>
public class QgaClient : IAsyncDisposable
{
    private static readonly byte[] ParserReset = [0xFF];

    private readonly QmpTransport _transport;
    private readonly QgaClientOptions _options;
    private readonly JsonMessageReader _reader;
    private readonly JsonMessageWriter _writer = new();
    private readonly SemaphoreSlim _callLock = new(1, 1);
    private long _nextId;
    private bool _needsSync = true;
    private int _disposed;

    /// <summary>Wraps a connected transport; call <see cref="InitializeAsync"/> next.</summary>
    protected QgaClient(QmpTransport transport, QgaClientOptions? options)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _options = options ?? QgaClientOptions.Default;
        _reader = new JsonMessageReader(transport.Input, _options.Framing);
    }

    /// <summary>The connection to the agent.</summary>
    public QmpTransport Transport => _transport;

    /// <summary>Connects to <c>unix:PATH</c> or <c>tcp:HOST:PORT</c> and resynchronises.</summary>
    public static Task<QgaClient> ConnectAsync(string endpoint, QgaClientOptions? options = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(QmpEndpoint.Parse(endpoint), options, cancellationToken);

    /// <summary>Connects to a guest agent at <paramref name="endpoint"/> (unix or TCP) and synchronises with it.</summary>
    public static async Task<QgaClient> ConnectAsync(QmpEndpoint endpoint, QgaClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        QmpTransport transport = await QmpClient.ConnectTransportAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return await CreateAsync(transport, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the guest-agent dialect over an already connected transport; resynchronises first.</summary>
    public static async Task<QgaClient> CreateAsync(QmpTransport transport, QgaClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        QgaClient client = new(transport, options);
        try
        {
            await client.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Brings the channel in sync (the guest-agent dialect's start: no greeting, no negotiation).</summary>
    protected Task InitializeAsync(CancellationToken cancellationToken) => SynchronizeAsync(cancellationToken);

    /// <summary>Resynchronises now (also done on connect and, implicitly, after a failed call).</summary>
    /// <exception cref="TimeoutException">The agent did not answer the sync in time.</exception>
    public async Task SynchronizeAsync(CancellationToken cancellationToken = default)
    {
        await _callLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            using CancellationTokenSource deadline = StartDeadline(cancellationToken);
            await SyncLockedAsync(deadline, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _callLock.Release();
        }
    }

    /// <summary>Runs a command with optional JSON object arguments; returns its "return" value.</summary>
    /// <exception cref="QmpException">The agent answered with an error.</exception>
    /// <exception cref="TimeoutException">No reply within <see cref="QgaClientOptions.Timeout"/>.</exception>
    /// <exception cref="System.IO.IOException">The connection ended before the reply came.</exception>
    public Task<JsonElement> ExecuteAsync(string command, JsonElement? arguments = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync(command, arguments, arguments is null ? null : static (w, a) => a!.Value.WriteTo(w), cancellationToken);

    /// <summary>Runs a command whose arguments object is written by <paramref name="writeArguments"/> (null: no "arguments").</summary>
    public Task<JsonElement> ExecuteAsync<TState>(string command, TState state, Action<Utf8JsonWriter, TState>? writeArguments,
        CancellationToken cancellationToken = default) =>
        ExecuteAsync(command, state, writeArguments, static value => value.Clone(), cancellationToken);

    /// <summary>
    /// Runs a command and hands its "return" value to <paramref name="readReturn"/> while the reply is
    /// still in the receive buffer (the value is valid only during that call): large replies, such
    /// as file chunks, are then decoded without a copy of the whole reply.
    /// </summary>
    public async Task<TResult> ExecuteAsync<TState, TResult>(string command, TState state, Action<Utf8JsonWriter, TState>? writeArguments,
        Func<JsonElement, TResult> readReturn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readReturn);
        ArgumentNullException.ThrowIfNull(command);
        await _callLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            using CancellationTokenSource deadline = StartDeadline(cancellationToken);
            if (_needsSync)
            {
                await SyncLockedAsync(deadline, cancellationToken).ConfigureAwait(false);
            }
            long id = ++_nextId;
            // Until the reply is read whole, the channel's state is unknown: a failure from here
            // on leaves a reply (or part of one) behind, so the next call resynchronises.
            _needsSync = true;
            await SendLockedAsync(command, id, state, writeArguments, deadline, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                using Reply reply = await ReadLockedAsync(deadline, cancellationToken).ConfigureAwait(false);
                JsonElement root = reply.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }
                // The agent echoes the request's id; a reply without one answers input it could
                // not parse, which can only be this request once the channel is in sync.
                if (root.TryGetProperty("id"u8, out JsonElement replyId)
                    && !(replyId.ValueKind == JsonValueKind.Number && replyId.TryGetInt64(out long n) && n == id))
                {
                    continue;
                }
                if (root.TryGetProperty("error"u8, out JsonElement error))
                {
                    _needsSync = false;
                    throw new QmpException(
                        error.TryGetProperty("class"u8, out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString() ?? "" : "",
                        error.TryGetProperty("desc"u8, out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString() ?? "" : "");
                }
                if (root.TryGetProperty("return"u8, out JsonElement value))
                {
                    _needsSync = false;
                    try
                    {
                        return readReturn(value);
                    }
                    catch (Exception e) when (e is System.Collections.Generic.KeyNotFoundException or InvalidOperationException or FormatException)
                    {
                        // A reply of the wrong shape (JsonElement's own errors), from a broken or foreign agent.
                        throw QmpReplyException.ForReply(command, null, e is System.Collections.Generic.KeyNotFoundException, e.Message, value.GetRawText(), e);
                    }
                }
            }
        }
        finally
        {
            _callLock.Release();
        }
    }

    /// <summary>
    /// Sends a command the agent never answers (<c>success-response: false</c> in the schema, such as
    /// <c>guest-shutdown</c>): returns once the request is written, the channel still in sync.
    /// </summary>
    public async Task SendAsync<TState>(string command, TState state, Action<Utf8JsonWriter, TState>? writeArguments,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        await _callLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            using CancellationTokenSource deadline = StartDeadline(cancellationToken);
            if (_needsSync)
            {
                await SyncLockedAsync(deadline, cancellationToken).ConfigureAwait(false);
            }
            // A request written in part leaves the agent's parser mid-message: resynchronise next time.
            _needsSync = true;
            await SendLockedAsync(command, ++_nextId, state, writeArguments, deadline, cancellationToken).ConfigureAwait(false);
            _needsSync = false;
        }
        finally
        {
            _callLock.Release();
        }
    }

    private CancellationTokenSource StartDeadline(CancellationToken cancellationToken)
    {
        CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        return deadline;
    }

    private async Task SyncLockedAsync(CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        _needsSync = true;
        // Random, so that a sync reply left in the channel by an earlier client (or an earlier
        // sync of this one) never matches; the agent takes any integer.
        long syncId = Random.Shared.NextInt64(1, 1L << 53);
        await SendRawLockedAsync(ParserReset, deadline, cancellationToken).ConfigureAwait(false);
        await SendLockedAsync("guest-sync-delimited", syncId, syncId, static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteNumber("id"u8, s);
            w.WriteEndObject();
        }, deadline, cancellationToken, withId: false).ConfigureAwait(false);
        while (true)
        {
            // Everything before the sync reply is stale: replies to earlier requests, the
            // agent's complaint about the 0xFF, and the 0xFF itself (a parse error here).
            using Reply reply = await ReadLockedAsync(deadline, cancellationToken).ConfigureAwait(false);
            JsonElement root = reply.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("return"u8, out JsonElement value)
                && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) && n == syncId)
            {
                _needsSync = false;
                return;
            }
        }
    }

    private async Task SendLockedAsync<TState>(string command, long id, TState state, Action<Utf8JsonWriter, TState>? writeArguments,
        CancellationTokenSource deadline, CancellationToken cancellationToken, bool withId = true)
    {
        PooledBufferWriter message;
        try
        {
            Utf8JsonWriter w = _writer.Begin();
            w.WriteStartObject();
            w.WriteString("execute"u8, command);
            if (writeArguments is not null)
            {
                w.WritePropertyName("arguments"u8);
                writeArguments(w, state);
            }
            if (withId)
            {
                w.WriteNumber("id"u8, id);
            }
            w.WriteEndObject();
            message = _writer.Finish();
        }
        catch
        {
            _writer.Abort();
            throw;
        }
        using (message)
        {
            await SendRawLockedAsync(message.WrittenMemory, deadline, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendRawLockedAsync(ReadOnlyMemory<byte> data, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        try
        {
            await _transport.SendAsync(data, null, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The guest agent did not take the request within {_options.Timeout}.");
        }
    }

    /// <summary>The next well-formed JSON message; parse errors (the 0xFF among them) are skipped.</summary>
    private async Task<Reply> ReadLockedAsync(CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            JsonFrame? frame;
            try
            {
                frame = await _reader.ReadAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The guest agent did not answer within {_options.Timeout}.");
            }
            if (frame is null)
            {
                throw new System.IO.IOException("The guest-agent connection was closed.");
            }
            if (!frame.IsError)
            {
                return new Reply(frame, _options.Framing.MaxDepth);
            }
            frame.Dispose();
        }
    }

    /// <summary>
    /// A parsed reply and the pooled frame it was parsed from: a document parsed from memory reads
    /// that memory for as long as it lives, so the frame's buffer goes back to the pool only with it.
    /// </summary>
    private sealed class Reply : IDisposable
    {
        private readonly JsonFrame _frame;
        private readonly JsonDocument _document;

        public Reply(JsonFrame frame, int maxDepth)
        {
            _frame = frame;
            try
            {
                _document = JsonDocument.Parse(frame.Json, new JsonDocumentOptions { MaxDepth = maxDepth });
            }
            catch
            {
                frame.Dispose();
                throw;
            }
        }

        public JsonElement RootElement => _document.RootElement;

        public void Dispose()
        {
            _document.Dispose();
            _frame.Dispose();
        }
    }

    /// <summary>Closes the connection; pending calls fail.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _transport.DisposeAsync().ConfigureAwait(false);
        // A call still running fails with the transport; the reader is only freed once it is out.
        // The lock is released, not disposed: callers still queued on it then see the client disposed.
        await _callLock.WaitAsync().ConfigureAwait(false);
        _reader.Dispose();
        _callLock.Release();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
