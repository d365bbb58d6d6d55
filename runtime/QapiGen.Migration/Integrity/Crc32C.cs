using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace QapiGen.Migration.Integrity;

/// <summary>
/// CRC32C (Castagnoli), the integrity check of every stream record and of every
/// mapped-ram block.
/// </summary>
/// <remarks>
/// <para><see cref="BitOperations.Crc32C(uint, ulong)"/> is the SSE4.2 / ARMv8
/// <c>crc32</c> instruction. One chain of it is latency-bound (3 cycles per
/// 8 bytes on x86), about a third of what the unit can do, which would make the
/// checksum a visible part of a 1 GiB migration. So 4 KiB blocks are split into
/// four 1 KiB lanes computed as independent chains, and the lanes are joined
/// with the usual CRC combination: because the raw register update is linear,
/// <c>crc(s, A‖B) = shift(crc(s, A), |B|) ⊕ crc(0, B)</c>, and shifting by a
/// fixed 1 KiB is a 32×32 bit matrix, applied here as four 256-entry tables.</para>
/// <para>The value is the standard CRC32C (initial value and final xor
/// 0xFFFFFFFF), so any other implementation can check a stream.</para>
/// </remarks>
public static class Crc32C
{
    private const int LaneBytes = 1024;
    private const int BlockBytes = 4 * LaneBytes;

    /// <summary>The register value a new computation starts from.</summary>
    public const uint Initial = 0xFFFFFFFFu;

    // ShiftTable[k * 256 + b] = register after feeding 1 KiB of zeros to a register
    // holding b << (8k).
    private static readonly uint[] ShiftTable = BuildShiftTable();

    /// <summary>The CRC32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Initial, data));

    /// <summary>Turns a register into the published checksum value.</summary>
    public static uint Finish(uint state) => ~state;

    /// <summary>Feeds <paramref name="data"/> into a running register.</summary>
    public static unsafe uint Update(uint state, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            return Update(state, start, data.Length);
        }
    }

    /// <summary>Feeds native memory (guest RAM) into a running register.</summary>
    /// <remarks>Fully optimised from the first call: a migration calls this only about a
    /// thousand times per GiB, too few for tiered compilation to catch up early.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe uint Update(uint state, byte* p, long length)
    {
        uint[] table = ShiftTable;
        while (length >= BlockBytes)
        {
            uint c0 = state, c1 = 0, c2 = 0, c3 = 0;
            for (int i = 0; i < LaneBytes; i += 8)
            {
                c0 = BitOperations.Crc32C(c0, Unsafe.ReadUnaligned<ulong>(p + i));
                c1 = BitOperations.Crc32C(c1, Unsafe.ReadUnaligned<ulong>(p + LaneBytes + i));
                c2 = BitOperations.Crc32C(c2, Unsafe.ReadUnaligned<ulong>(p + (2 * LaneBytes) + i));
                c3 = BitOperations.Crc32C(c3, Unsafe.ReadUnaligned<ulong>(p + (3 * LaneBytes) + i));
            }

            state = Shift(table, Shift(table, Shift(table, c0) ^ c1) ^ c2) ^ c3;
            p += BlockBytes;
            length -= BlockBytes;
        }

        while (length >= 8)
        {
            state = BitOperations.Crc32C(state, Unsafe.ReadUnaligned<ulong>(p));
            p += 8;
            length -= 8;
        }

        while (length > 0)
        {
            state = BitOperations.Crc32C(state, *p);
            p++;
            length--;
        }

        return state;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Shift(uint[] table, uint value) =>
        table[value & 0xFF]
        ^ table[256 + ((value >> 8) & 0xFF)]
        ^ table[512 + ((value >> 16) & 0xFF)]
        ^ table[768 + (value >> 24)];

    private static uint[] BuildShiftTable()
    {
        Span<uint> basis = stackalloc uint[32];
        for (int bit = 0; bit < 32; bit++)
        {
            uint register = 1u << bit;
            for (int i = 0; i < LaneBytes; i += 8)
            {
                register = BitOperations.Crc32C(register, 0UL);
            }

            basis[bit] = register;
        }

        uint[] table = new uint[4 * 256];
        for (int k = 0; k < 4; k++)
        {
            for (int b = 0; b < 256; b++)
            {
                uint value = (uint)b << (8 * k);
                uint shifted = 0;
                for (int bit = 0; bit < 32; bit++)
                {
                    if ((value & (1u << bit)) != 0)
                    {
                        shifted ^= basis[bit];
                    }
                }

                table[(k * 256) + b] = shifted;
            }
        }

        return table;
    }
}
