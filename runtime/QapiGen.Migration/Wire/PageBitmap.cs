using System;

namespace QapiGen.Migration.Wire;

/// <summary>Bit i of byte i/8 (LSB first) stands for page i of a chunk.</summary>
internal static class PageBitmap
{
    public static void Pack(ReadOnlySpan<bool> pages, Span<byte> bitmap)
    {
        bitmap.Clear();
        for (int i = 0; i < pages.Length; i++)
        {
            if (pages[i])
            {
                bitmap[i >> 3] |= (byte)(1 << (i & 7));
            }
        }
    }

    public static bool Get(ReadOnlySpan<byte> bitmap, int index) => (bitmap[index >> 3] & (1 << (index & 7))) != 0;

    public static int Count(ReadOnlySpan<byte> bitmap)
    {
        int count = 0;
        foreach (byte b in bitmap)
        {
            count += System.Numerics.BitOperations.PopCount(b);
        }

        return count;
    }
}
