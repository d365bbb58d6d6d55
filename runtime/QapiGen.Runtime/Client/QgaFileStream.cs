using System;
using System.Buffers;
using System.Buffers.Text;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Runtime.Client;

/// <summary>
/// A file in the guest, opened with <c>guest-file-open</c>, as a <see cref="Stream"/>: reads are
/// <c>guest-file-read</c> calls of <see cref="ChunkSize"/> bytes (decoded from base64 straight into
/// the caller's buffer when it is large enough), writes are <c>guest-file-write</c> calls of at most
/// that many bytes, <see cref="FlushAsync(CancellationToken)"/> is <c>guest-file-flush</c> and
/// disposing closes the handle (<c>guest-file-close</c>). Every operation is a call to the agent,
/// so only the asynchronous methods are supported; the synchronous ones throw rather than block a
/// thread on the guest. Seeking is <see cref="SeekAsync"/>. Use <c>await using</c>: a synchronous
/// <see cref="Stream.Dispose()"/> can only start the close.
/// </summary>
public sealed class QgaFileStream : Stream
{
    /// <summary>
    /// Bytes per call unless told otherwise. qemu-ga writes a reply to its channel a couple of KiB at a
    /// time and spins while the channel is full, so a chunk whose reply (a third larger as base64)
    /// fits the socket's buffer is read fastest: larger chunks save round trips but make the agent
    /// busy-wait on the client (docs/guest-agent.md has the figures).
    /// </summary>
    public const int DefaultChunkSize = 64 * 1024;

    /// <summary>The most qemu-ga reads in one <c>guest-file-read</c> (48 MiB; larger counts are refused).</summary>
    public const int MaxChunkSize = 48 * 1024 * 1024;

    private readonly QgaClient _client;
    private readonly bool _canRead;
    private readonly bool _canWrite;
    private byte[]? _pending;
    private int _pendingStart;
    private int _pendingEnd;
    private bool _eof;
    private int _closed;

    internal QgaFileStream(QgaClient client, long handle, bool canRead, bool canWrite, int chunkSize)
    {
        if (chunkSize < 1 || chunkSize > MaxChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkSize), $"must be between 1 and {MaxChunkSize}");
        }

        _client = client;
        Handle = handle;
        _canRead = canRead;
        _canWrite = canWrite;
        ChunkSize = chunkSize;
    }

    /// <summary>The agent's handle for the file.</summary>
    public long Handle { get; }

    /// <summary>Bytes asked for per <c>guest-file-read</c> and sent at most per <c>guest-file-write</c>.</summary>
    public int ChunkSize { get; }

    /// <inheritdoc/>
    public override bool CanRead => _canRead && !IsClosed;

    /// <inheritdoc/>
    public override bool CanWrite => _canWrite && !IsClosed;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    private bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        if (!_canRead)
        {
            throw new NotSupportedException("The file was not opened for reading.");
        }

        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_pendingEnd > _pendingStart)
        {
            return TakePending(buffer.Span);
        }

        if (_eof)
        {
            return 0;
        }
        // A buffer that holds a whole chunk gets the bytes decoded into it; a smaller one is served
        // from a pooled chunk buffer over several reads.
        bool direct = buffer.Length >= ChunkSize;
        Memory<byte> target = buffer;
        if (!direct)
        {
            _pending ??= ArrayPool<byte>.Shared.Rent(ChunkSize);
            target = _pending;
        }
        (int count, bool eof) = await _client.ExecuteAsync("guest-file-read", (Handle, (long)ChunkSize), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteNumber("handle"u8, s.Item1);
            w.WriteNumber("count"u8, s.Item2);
            w.WriteEndObject();
        }, value => DecodeChunk(value, target.Span), cancellationToken).ConfigureAwait(false);
        _eof = eof || count == 0;
        if (direct)
        {
            return count;
        }

        _pendingStart = 0;
        _pendingEnd = count;
        return TakePending(buffer.Span);
    }

    private int TakePending(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, _pendingEnd - _pendingStart);
        _pending.AsSpan(_pendingStart, n).CopyTo(destination);
        _pendingStart += n;
        return n;
    }

    // Decodes a guest-file-read reply ({"count": N, "buf-b64": "...", "eof": B}) into destination.
    private static (int Count, bool Eof) DecodeChunk(JsonElement value, Span<byte> destination)
    {
        JsonElement b64 = value.GetProperty("buf-b64"u8);
        bool eof = value.TryGetProperty("eof"u8, out JsonElement e) && e.ValueKind == JsonValueKind.True;
        // qemu-ga writes base64 unescaped: the raw token between its quotes is the base64 text, decoded
        // without a copy. An escaped form (a JSON writer that escapes '/' or '+') takes the slow path.
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(b64);
        if (b64.ValueKind == JsonValueKind.String && raw.Length >= 2 && raw.IndexOf((byte)'\\') < 0)
        {
            ReadOnlySpan<byte> text = raw[1..^1];
            if (Base64.GetMaxDecodedFromUtf8Length(text.Length) > destination.Length + 2)
            {
                throw new InvalidDataException($"guest-file-read returned more than the {destination.Length} bytes asked for");
            }

            OperationStatus status = Base64.DecodeFromUtf8(text, destination, out int consumed, out int written);
            if (status != OperationStatus.Done || consumed != text.Length)
            {
                throw new InvalidDataException($"guest-file-read returned invalid base64 ({status})");
            }

            return (written, eof);
        }
        byte[] bytes = b64.GetBytesFromBase64();
        if (bytes.Length > destination.Length)
        {
            throw new InvalidDataException($"guest-file-read returned more than the {destination.Length} bytes asked for");
        }

        bytes.CopyTo(destination);
        return (bytes.Length, eof);
    }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        if (!_canWrite)
        {
            throw new NotSupportedException("The file was not opened for writing.");
        }

        while (!buffer.IsEmpty)
        {
            ReadOnlyMemory<byte> chunk = buffer[..Math.Min(buffer.Length, ChunkSize)];
            long written = await _client.ExecuteAsync("guest-file-write", (Handle, chunk), static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteNumber("handle"u8, s.Item1);
                w.WriteBase64String("buf-b64"u8, s.Item2.Span);
                w.WriteEndObject();
            }, static value => value.GetProperty("count"u8).GetInt64(), cancellationToken).ConfigureAwait(false);
            if (written <= 0 || written > chunk.Length)
            {
                throw new IOException($"guest-file-write wrote {written} of {chunk.Length} bytes");
            }

            buffer = buffer[(int)written..];
        }
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        if (!_canWrite)
        {
            return;
        }

        await _client.ExecuteAsync("guest-file-flush", Handle, WriteHandle, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>guest-file-seek</c>: moves the agent's file position; returns the new position.</summary>
    public async Task<long> SeekAsync(long offset, SeekOrigin origin, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        long position = await _client.ExecuteAsync("guest-file-seek", (Handle, offset, origin), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteNumber("handle"u8, s.Item1);
            w.WriteNumber("offset"u8, s.Item2);
            w.WriteString("whence"u8, s.Item3 switch { SeekOrigin.Begin => "set"u8, SeekOrigin.Current => "cur"u8, _ => "end"u8 });
            w.WriteEndObject();
        }, static value => value.GetProperty("position"u8).GetInt64(), cancellationToken).ConfigureAwait(false);
        // Bytes read ahead belong to the old position.
        _pendingStart = _pendingEnd = 0;
        _eof = false;
        return position;
    }

    private static void WriteHandle(Utf8JsonWriter w, long handle)
    {
        w.WriteStartObject();
        w.WriteNumber("handle"u8, handle);
        w.WriteEndObject();
    }

    /// <summary>Closes the handle in the agent (<c>guest-file-close</c>).</summary>
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        try
        {
            await _client.ExecuteAsync("guest-file-close", Handle, WriteHandle).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or ObjectDisposedException or Protocol.QmpException)
        {
            // The connection is gone, the guest stopped answering or the handle is already gone:
            // nothing more can be done for it (an agent frees its handles when it restarts).
        }
        finally
        {
            ReturnPending();
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _closed, 1) == 0)
        {
            // Started, not awaited: blocking here would hold a thread for a guest that may never answer.
            _ = CloseInBackgroundAsync();
        }
        base.Dispose(disposing);
    }

    private async Task CloseInBackgroundAsync()
    {
        try
        {
            await _client.ExecuteAsync("guest-file-close", Handle, WriteHandle).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or ObjectDisposedException or Protocol.QmpException)
        {
        }
        finally
        {
            ReturnPending();
        }
    }

    private void ReturnPending()
    {
        byte[]? pending = Interlocked.Exchange(ref _pending, null);
        if (pending is not null)
        {
            ArrayPool<byte>.Shared.Return(pending);
        }
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw Synchronous();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw Synchronous();

    /// <inheritdoc/>
    public override void Flush() => throw Synchronous();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("Use SeekAsync: seeking is a call to the agent.");

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException("Use SeekAsync: seeking is a call to the agent.");
    }

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    private static NotSupportedException Synchronous() =>
        new("A guest file is read and written through calls to the agent: use the asynchronous methods.");
}
