using System;
using System.Buffers;

namespace QapiGen.Migration.Machine;

/// <summary>
/// Exposes a slice of native memory (guest RAM) as <see cref="Memory{T}"/> so
/// that async socket and stream APIs can send from and receive into RAM
/// directly. The RAM outlives every I/O the engine issues on it.
/// </summary>
internal sealed unsafe class NativeMemoryManager : MemoryManager<byte>
{
    private readonly byte* _pointer;
    private readonly int _length;

    public NativeMemoryManager(byte* pointer, int length)
    {
        _pointer = pointer;
        _length = length;
    }

    public override Span<byte> GetSpan() => new(_pointer, _length);

    // Native memory never moves, so pinning is a no-op.
    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
