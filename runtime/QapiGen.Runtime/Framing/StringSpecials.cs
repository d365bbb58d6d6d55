using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QapiGen.Runtime.Framing;

/// <summary>
/// The bytes inside a JSON string that the splitter's string check must see: quotes, the
/// backslash, control characters and every non-ASCII byte. Plain ASCII between them is copied
/// as it is, so finding the next one is the framing's innermost loop.
/// </summary>
/// <remarks>
/// Written out in 16-byte vectors rather than with <c>SearchValues</c>: the set is one signed
/// compare (control characters and non-ASCII are exactly the bytes below 0x20 as signed bytes)
/// and three equalities, and 16-byte vectors are in every x64 and arm64 baseline, so the JIT and
/// the ahead-of-time compiler produce the same code. <c>SearchValues</c> of this set picks its
/// algorithm by the CPU the JIT sees; compiled ahead of time for the baseline it was the native
/// host's largest item in a profile of pipelined requests (8 % of its samples, under 1 % of the
/// JIT host's).
/// The strings of QMP are short (names and enum values): most calls end in the first vector.
/// </remarks>
internal static class StringSpecials
{
    /// <summary>Whether <paramref name="b"/> is one of the special bytes.</summary>
    public static bool Contains(byte b) => (sbyte)b < 0x20 || b is (byte)'"' or (byte)'\'' or (byte)'\\';

    /// <summary>The index of the first special byte of <paramref name="data"/>, or -1.</summary>
    public static int IndexOf(ReadOnlySpan<byte> data)
    {
        ref byte start = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        if (!Vector128.IsHardwareAccelerated || length < Vector128<byte>.Count)
        {
            for (int i = 0; i < length; i++)
            {
                if (Contains(Unsafe.Add(ref start, i)))
                {
                    return i;
                }
            }
            return -1;
        }
        int last = length - Vector128<byte>.Count;
        for (int i = 0; i < last; i += Vector128<byte>.Count)
        {
            uint hits = Specials(Vector128.LoadUnsafe(ref start, (nuint)i));
            if (hits != 0)
            {
                return i + BitOperations.TrailingZeroCount(hits);
            }
        }
        // The tail as one more vector ending at the last byte (it may overlap bytes already seen).
        uint tail = Specials(Vector128.LoadUnsafe(ref start, (nuint)last));
        return tail != 0 ? last + BitOperations.TrailingZeroCount(tail) : -1;
    }

    /// <summary>A bit per byte of <paramref name="bytes"/> that is special.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Specials(Vector128<byte> bytes)
    {
        Vector128<byte> hits = Vector128.LessThan(bytes.AsSByte(), Vector128.Create((sbyte)0x20)).AsByte()
            | Vector128.Equals(bytes, Vector128.Create((byte)'"'))
            | Vector128.Equals(bytes, Vector128.Create((byte)'\''))
            | Vector128.Equals(bytes, Vector128.Create((byte)'\\'));
        return hits.ExtractMostSignificantBits();
    }
}
