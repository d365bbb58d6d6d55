using System;
using QapiGen.Runtime.Buffers;

namespace QapiGen.Runtime.Framing;

/// <summary>
/// One top-level JSON value cut from the input stream, or the error that replaced it.
/// A message frame owns a pooled buffer holding the value as standard JSON (QEMU's
/// single-quoted strings already rewritten, insignificant whitespace dropped);
/// dispose the frame to give the buffer back.
/// </summary>
internal sealed class JsonFrame : IDisposable
{
    private PooledBufferWriter? _buffer;

    private JsonFrame(PooledBufferWriter? buffer, string? error, long endOffset)
    {
        _buffer = buffer;
        Error = error;
        EndOffset = endOffset;
    }

    internal static JsonFrame ForMessage(PooledBufferWriter buffer, long endOffset) => new(buffer, null, endOffset);

    internal static JsonFrame ForError(string error, long endOffset) => new(null, error, endOffset);

    /// <summary>The error text (already in QEMU's wording, e.g. "JSON parse error, expecting value"), or null.</summary>
    public string? Error { get; }

    public bool IsError => Error is not null;

    /// <summary>The UTF-8 JSON text of the value; empty for error frames.</summary>
    public ReadOnlyMemory<byte> Json => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.WrittenMemory;

    /// <summary>
    /// Offset in the input stream just past the last byte of this value. File descriptors
    /// received with input up to this offset belong to this message (see QmpTransport).
    /// </summary>
    public long EndOffset { get; }

    public void Dispose()
    {
        _buffer?.Dispose();
        _buffer = null;
    }
}
