using QapiGen.Generated.Tests.Qapi;
using Xunit;

namespace QapiGen.Generated.Tests;

public class WidthTests
{
    [Fact]
    public void ExtremesRoundTrip()
    {
        J.RoundTrip("""{"i8":-128,"i16":-32768,"i32":-2147483648,"i64":-9223372036854775808,"u8":0,"u16":0,"u32":0,"u64":0,"sz":0,"num":-1.5,"flag":false}""",
            QapiJson.ReadWidths, QapiJson.Write);
        Widths w = J.RoundTrip("""{"i8":127,"i16":32767,"i32":2147483647,"i64":9223372036854775807,"u8":255,"u16":65535,"u32":4294967295,"u64":18446744073709551615,"sz":18446744073709551615,"num":1E+300,"flag":true}""",
            QapiJson.ReadWidths, QapiJson.Write);
        Assert.Equal(ulong.MaxValue, w.U64);
        Assert.Equal(sbyte.MaxValue, w.I8);
    }

    [Fact]
    public void NumberAcceptsIntegers()
    {
        Widths w = J.In("""{"num":3}""", QapiJson.ReadWidths);
        Assert.Equal(3.0, w.Num);
        Assert.Equal("""{"num":3}""", J.Out(w, QapiJson.Write));
    }

    [Fact]
    public void UnsignedAcceptNegativeValuesThatFitAfterWrappingOnlyFor64Bits()
    {
        Assert.Equal(ulong.MaxValue, J.In("""{"u64":-1}""", QapiJson.ReadWidths).U64);
        Assert.Equal(ulong.MaxValue, J.In("""{"sz":-1}""", QapiJson.ReadWidths).Sz);
        Assert.Equal(9223372036854775808UL, J.In("""{"u64":-9223372036854775808}""", QapiJson.ReadWidths).U64);
    }

    [Theory]
    [InlineData("""{"i8":128}""", "Parameter 'i8' expects int8_t")]
    [InlineData("""{"i8":-129}""", "Parameter 'i8' expects int8_t")]
    [InlineData("""{"i16":32768}""", "Parameter 'i16' expects int16_t")]
    [InlineData("""{"i32":2147483648}""", "Parameter 'i32' expects int32_t")]
    [InlineData("""{"i64":9223372036854775808}""", "Invalid parameter type for 'i64', expected: integer")]
    [InlineData("""{"i32":1.5}""", "Invalid parameter type for 'i32', expected: integer")]
    [InlineData("""{"i32":1e2}""", "Invalid parameter type for 'i32', expected: integer")]
    [InlineData("""{"i8":"1"}""", "Invalid parameter type for 'i8', expected: integer")]
    [InlineData("""{"u8":256}""", "Parameter 'u8' expects uint8_t")]
    [InlineData("""{"u8":-1}""", "Parameter 'u8' expects uint8_t")]
    [InlineData("""{"u16":65536}""", "Parameter 'u16' expects uint16_t")]
    [InlineData("""{"u32":4294967296}""", "Parameter 'u32' expects uint32_t")]
    [InlineData("""{"u32":-1}""", "Parameter 'u32' expects uint32_t")]
    [InlineData("""{"u64":18446744073709551616}""", "Parameter 'u64' expects uint64")]
    [InlineData("""{"u64":1.5}""", "Parameter 'u64' expects uint64")]
    [InlineData("""{"u64":true}""", "Parameter 'u64' expects uint64")]
    [InlineData("""{"sz":18446744073709551616}""", "Parameter 'sz' expects uint64")]
    [InlineData("""{"num":"1"}""", "Invalid parameter type for 'num', expected: number")]
    [InlineData("""{"flag":1}""", "Invalid parameter type for 'flag', expected: boolean")]
    [InlineData("""{"flag":"true"}""", "Invalid parameter type for 'flag', expected: boolean")]
    public void Out_of_range_and_wrong_type(string json, string message)
        => Assert.Equal(message, J.Error(json, QapiJson.ReadWidths));
}
