using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Runtime.Buffers;
using QapiGen.Runtime.Framing;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;

namespace QapiGen.Runtime.Client;

/// <summary>
/// An untyped QMP client: connects, reads the greeting, negotiates, and runs commands,
/// several at a time if wanted (each request carries a numeric id, replies are matched by
/// it), with fds attached over unix sockets. Events arrive on <see cref="Events"/>. The
/// generated typed client derives from (or wraps) this class and calls
/// <see cref="ExecuteAsync{TState}"/> with generated argument writers.
/// </summary>
public class QmpClient : IAsyncDisposable
{
    private readonly QmpTransport _transport;
    private readonly QmpClientOptions _options;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly Channel<QmpEvent> _events;
    private readonly TaskCompletionSource<JsonElement> _greeting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly JsonMessageWriter _writer = new();
    private readonly List<SafeFileHandle> _fdScratch = new();
    private readonly Task _reader;
    private long _nextId;
    private int _disposed;

    /// <summary>Wraps a connected transport and starts reading; call <see cref="InitializeAsync"/> next.</summary>
    protected QmpClient(QmpTransport transport, QmpClientOptions? options)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _options = options ?? QmpClientOptions.Default;
        _events = Channel.CreateBounded<QmpEvent>(new BoundedChannelOptions(Math.Max(1, _options.EventCapacity))
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleWriter = true,
        });
        ReceivedFds = new QmpFdQueue(64);
        Schema = new QmpServerSchema(this);
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Feature detection: what the connected server has, from its <c>query-qmp-schema</c> (fetched once, on the first question).</summary>
    public QmpServerSchema Schema { get; }

    /// <summary>Connects to <c>unix:PATH</c> or <c>tcp:HOST:PORT</c>, reads the greeting and negotiates.</summary>
    public static Task<QmpClient> ConnectAsync(string endpoint, QmpClientOptions? options = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(QmpEndpoint.Parse(endpoint), options, cancellationToken);

    /// <summary>Connects to a QMP server at <paramref name="endpoint"/> (unix or TCP), reads its greeting and, unless told otherwise, negotiates.</summary>
    public static async Task<QmpClient> ConnectAsync(QmpEndpoint endpoint, QmpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        QmpTransport transport = await ConnectTransportAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return await CreateAsync(transport, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the client protocol over an already connected transport.</summary>
    public static async Task<QmpClient> CreateAsync(QmpTransport transport, QmpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        QmpClient client = new(transport, options);
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

    /// <summary>Opens the socket for <paramref name="endpoint"/> (client side).</summary>
    public static async Task<QmpTransport> ConnectTransportAsync(QmpEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Socket socket;
        EndPoint remote;
        switch (endpoint.Kind)
        {
            case QmpEndpointKind.Unix:
                socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                remote = new UnixDomainSocketEndPoint(endpoint.Path!);
                break;
            case QmpEndpointKind.Tcp:
                IPAddress address = IPAddress.TryParse(endpoint.Host, out IPAddress? ip) ? ip
                    : (await Dns.GetHostAddressesAsync(endpoint.Host is "" ? "localhost" : endpoint.Host!, cancellationToken).ConfigureAwait(false))[0];
                socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                remote = new IPEndPoint(address, endpoint.Port);
                break;
            default:
                throw new NotSupportedException("A client cannot connect to stdio.");
        }
        try
        {
            await socket.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return socket.AddressFamily == AddressFamily.Unix ? new UnixSocketTransport(socket) : new TcpSocketTransport(socket);
    }

    /// <summary>The greeting's "QMP" object.</summary>
    public JsonElement Greeting { get; private set; }

    /// <summary>The version the server's greeting announced.</summary>
    public QmpVersion? ServerVersion { get; private set; }

    /// <summary>The capabilities the server's greeting offered.</summary>
    public IReadOnlyList<string> ServerCapabilities { get; private set; } = [];

    /// <summary>True when the oob capability was negotiated.</summary>
    public bool IsOobEnabled { get; private set; }

    /// <summary>Events in arrival order.</summary>
    public ChannelReader<QmpEvent> Events => _events.Reader;

    /// <summary>Fds the server passed to this client, oldest first.</summary>
    public QmpFdQueue ReceivedFds { get; }

    /// <summary>Completes when the connection has ended.</summary>
    public Task Completion => _reader;

    /// <summary>The connection to the server.</summary>
    public QmpTransport Transport => _transport;

    /// <summary>Waits for the greeting and, unless disabled, negotiates.</summary>
    protected async Task InitializeAsync(CancellationToken cancellationToken)
    {
        JsonElement qmp = await _greeting.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        Greeting = qmp;
        if (qmp.TryGetProperty("version"u8, out JsonElement version) && version.TryGetProperty("qemu"u8, out JsonElement qemu))
        {
            ServerVersion = new QmpVersion(
                qemu.GetProperty("major"u8).GetInt32(),
                qemu.GetProperty("minor"u8).GetInt32(),
                qemu.GetProperty("micro"u8).GetInt32(),
                version.TryGetProperty("package"u8, out JsonElement package) ? package.GetString() ?? "" : "");
        }
        List<string> capabilities = new();
        if (qmp.TryGetProperty("capabilities"u8, out JsonElement caps) && caps.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement c in caps.EnumerateArray())
            {
                capabilities.Add(c.GetString() ?? "");
            }
        }
        ServerCapabilities = capabilities;
        if (_options.Negotiate)
        {
            bool oob = _options.EnableOob && capabilities.Contains(QmpCapabilities.Oob);
            await NegotiateAsync(oob ? [QmpCapabilities.Oob] : [], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs qmp_capabilities with the given capabilities enabled.</summary>
    public async Task NegotiateAsync(IReadOnlyList<string> enable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enable);
        await ExecuteAsync("qmp_capabilities", enable, static (w, e) =>
        {
            w.WriteStartObject();
            if (e.Count > 0)
            {
                w.WriteStartArray("enable"u8);
                foreach (string c in e)
                {
                    w.WriteStringValue(c);
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }, null, false, cancellationToken).ConfigureAwait(false);
        IsOobEnabled = System.Linq.Enumerable.Contains(enable, QmpCapabilities.Oob);
    }

    /// <summary>Runs a command with optional JSON object arguments; returns its "return" value.</summary>
    /// <exception cref="QmpException">The server answered with an error.</exception>
    /// <exception cref="IOException">The connection ended before the reply came.</exception>
    public Task<JsonElement> ExecuteAsync(string command, JsonElement? arguments = null, IReadOnlyList<SafeHandle>? fds = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync(command, arguments, arguments is null ? null : static (w, a) => a!.Value.WriteTo(w), fds, false, cancellationToken);

    /// <summary>
    /// Runs a command whose arguments object is written by <paramref name="writeArguments"/>
    /// (null: no "arguments"), with <paramref name="fds"/> passed alongside (unix sockets only),
    /// in-band or with <c>exec-oob</c>. Safe to call concurrently; replies are matched by id.
    /// </summary>
    public async Task<JsonElement> ExecuteAsync<TState>(string command, TState state, Action<Utf8JsonWriter, TState>? writeArguments,
        IReadOnlyList<SafeHandle>? fds = null, bool outOfBand = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        long id = Interlocked.Increment(ref _nextId);
        TaskCompletionSource<JsonElement> reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        try
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            PooledBufferWriter message;
            try
            {
                Utf8JsonWriter w = _writer.Begin();
                w.WriteStartObject();
                w.WriteString(outOfBand ? "exec-oob"u8 : "execute"u8, command);
                if (writeArguments is not null)
                {
                    w.WritePropertyName("arguments"u8);
                    writeArguments(w, state);
                }
                w.WriteNumber("id"u8, id);
                w.WriteEndObject();
                message = _writer.Finish();
            }
            catch
            {
                _writer.Abort();
                _sendLock.Release();
                throw;
            }
            try
            {
                using (message)
                {
                    await _transport.SendAsync(message.WrittenMemory, fds, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
            return await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Sends raw bytes (tests, interop probes); replies to them arrive without matching.</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> data, IReadOnlyList<SafeHandle>? fds = null, CancellationToken cancellationToken = default)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _transport.SendAsync(data, fds, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Events as an async stream.</summary>
    public IAsyncEnumerable<QmpEvent> ReadEventsAsync(CancellationToken cancellationToken = default) =>
        _events.Reader.ReadAllAsync(cancellationToken);

    private async Task ReadLoopAsync()
    {
        Exception ended = new IOException("The QMP connection was closed.");
        try
        {
            using JsonMessageReader reader = new(_transport.Input, _options.Framing);
            while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false) is { } frame)
            {
                using (frame)
                {
                    _transport.TakeReceivedFds(frame.EndOffset, _fdScratch);
                    foreach (SafeFileHandle fd in _fdScratch)
                    {
                        ReceivedFds.Add(fd);
                    }
                    _fdScratch.Clear();
                    if (!frame.IsError)
                    {
                        using JsonDocument document = JsonDocument.Parse(frame.Json);
                        Dispatch(document.RootElement);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or InvalidOperationException or OperationCanceledException)
        {
            ended = ex as IOException ?? new IOException("The QMP connection failed.", ex);
        }
        finally
        {
            _greeting.TrySetException(ended);
            foreach (KeyValuePair<long, TaskCompletionSource<JsonElement>> pending in _pending)
            {
                pending.Value.TrySetException(ended);
            }
            _events.Writer.TryComplete();
        }
    }

    private void Dispatch(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (root.TryGetProperty("QMP"u8, out JsonElement greeting))
        {
            _greeting.TrySetResult(greeting.Clone());
            return;
        }
        if (root.TryGetProperty("event"u8, out JsonElement name))
        {
            // A client tolerates what a server sends: an event whose name or timestamp is malformed
            // is still delivered (name as its JSON text, timestamp unknown), never ending the connection.
            long seconds = -1, micros = -1;
            if (root.TryGetProperty("timestamp"u8, out JsonElement ts) && ts.ValueKind == JsonValueKind.Object
                && ts.TryGetProperty("seconds"u8, out JsonElement s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out long sv)
                && ts.TryGetProperty("microseconds"u8, out JsonElement us) && us.ValueKind == JsonValueKind.Number && us.TryGetInt64(out long usv))
            {
                seconds = sv;
                micros = usv;
            }
            JsonElement data = root.TryGetProperty("data"u8, out JsonElement d) ? d.Clone() : default;
            string eventName = name.ValueKind == JsonValueKind.String ? name.GetString() ?? "" : name.GetRawText();
            _events.Writer.TryWrite(new QmpEvent(eventName, data, seconds, micros));
            return;
        }
        TaskCompletionSource<JsonElement>? waiter = null;
        if (root.TryGetProperty("id"u8, out JsonElement idElement))
        {
            if (idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt64(out long id))
            {
                _pending.TryRemove(id, out waiter);
            }
        }
        else
        {
            // Errors about unparsable input carry no id; they answer the oldest request.
            long oldest = long.MaxValue;
            foreach (long key in _pending.Keys)
            {
                oldest = Math.Min(oldest, key);
            }
            if (oldest != long.MaxValue)
            {
                _pending.TryRemove(oldest, out waiter);
            }
        }
        if (waiter is null)
        {
            return; // spec: drop responses with an unknown id
        }
        if (root.TryGetProperty("error"u8, out JsonElement error))
        {
            waiter.TrySetException(new QmpException(
                error.TryGetProperty("class"u8, out JsonElement c) ? c.GetString() ?? "" : "",
                error.TryGetProperty("desc"u8, out JsonElement desc) ? desc.GetString() ?? "" : ""));
        }
        else if (root.TryGetProperty("return"u8, out JsonElement value))
        {
            waiter.TrySetResult(value.Clone());
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
        try
        {
            await _reader.ConfigureAwait(false);
        }
        catch (Exception)
        {
        }
        ReceivedFds.Dispose();
        _sendLock.Dispose();
        GC.SuppressFinalize(this);
    }
}
