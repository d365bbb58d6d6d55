using System;
using QapiGen.Migration.Integrity;
using Xunit;

namespace QapiGen.Migration.Tests;

public class Crc32CTests
{
    [Fact]
    public void StandardCheckValue()
    {
        // The published CRC-32C check value for "123456789".
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(3 * 4096 + 13)]
    [InlineData(1 << 20)]
    public void Lane_split_matches_bitwise_reference(int length)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        Assert.Equal(Reference(data), Crc32C.Compute(data));
    }

    [Fact]
    public void IncrementalUpdatesMatchOneShot()
    {
        byte[] data = new byte[20000];
        new Random(5).NextBytes(data);
        uint state = Crc32C.Update(Crc32C.Initial, data.AsSpan(0, 5000));
        state = Crc32C.Update(state, data.AsSpan(5000, 9001));
        state = Crc32C.Update(state, data.AsSpan(14001));
        Assert.Equal(Crc32C.Compute(data), Crc32C.Finish(state));
    }

    private static uint Reference(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
