using System;
using QapiGen.Runtime.Framing;
using Xunit;

namespace QapiGen.Runtime.Tests;

public class StringSpecialsTests
{
    // The rule, stated once more independently of the vector code: what the string check must see.
    private static bool IsSpecial(byte b) => b < 0x20 || b >= 0x80 || b == (byte)'"' || b == (byte)'\'' || b == (byte)'\\';

    [Fact]
    public void EveryByteIsClassifiedByTheRule()
    {
        int specials = 0;
        for (int b = 0; b < 256; b++)
        {
            Assert.Equal(IsSpecial((byte)b), StringSpecials.Contains((byte)b));
            specials += IsSpecial((byte)b) ? 1 : 0;
        }
        Assert.Equal(32 + 128 + 3, specials);
    }

    // Every byte value at every position of runs shorter than, equal to and longer than one
    // vector (and the overlapping tail), in plain ASCII otherwise: the first special is found.
    [Fact]
    public void FindsEveryByteAtEveryPositionOfEveryLength()
    {
        for (int length = 1; length <= 50; length++)
        {
            byte[] data = new byte[length];
            for (int position = 0; position < length; position++)
            {
                for (int b = 0; b < 256; b++)
                {
                    data.AsSpan().Fill((byte)'a');
                    data[position] = (byte)b;
                    Assert.Equal(IsSpecial((byte)b) ? position : -1, StringSpecials.IndexOf(data));
                }
            }
        }
        Assert.Equal(-1, StringSpecials.IndexOf(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void FindsTheFirstOfSeveralOnRandomText()
    {
        Random random = new(4321);
        byte[] alphabet = "abcXYZ019 -_.:{}[]'\"\\\t\n\u0001\u007f"u8.ToArray();
        for (int n = 0; n < 20_000; n++)
        {
            byte[] data = new byte[random.Next(0, 70)];
            for (int i = 0; i < data.Length; i++)
            {
                // Mostly plain bytes, as real requests are; now and then non-ASCII.
                int roll = random.Next(8);
                data[i] = roll == 0 ? alphabet[random.Next(alphabet.Length)] : roll == 1 ? (byte)random.Next(0x80, 0x100) : (byte)random.Next(0x20, 0x7F);
            }
            int expected = Array.FindIndex(data, IsSpecial);
            Assert.Equal(expected, StringSpecials.IndexOf(data));
        }
    }
}
