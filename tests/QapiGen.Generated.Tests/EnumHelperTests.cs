using System;
using QapiGen.Generated.Tests.Qapi;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>
/// The enum helpers of <c>QapiJson</c> are one generic set for every enum of the schema (<c>ToWire</c>, <c>IsKnown</c>,
/// <c>TryParse</c>, <c>Write</c>, <c>ReadEnum</c>, <c>ReadOutputEnum</c>), each finding the enum's table of wire strings
/// once per enum type: every value of two enums (one with values under conditions) round-trips, a value a newer
/// server sent keeps its wire string, and an enum that is not the schema's is refused.
/// </summary>
public class EnumHelperTests
{
    public static TheoryData<string> ColorWires => new() { "red", "green", "blue", "mauve" };

    [Theory]
    [MemberData(nameof(ColorWires))]
    public void EveryValueRoundTripsThroughItsWireString(string wire)
    {
        Assert.True(QapiJson.TryParse(wire, out Color value));
        Assert.True(QapiJson.IsKnown(value));
        Assert.Equal(wire, QapiJson.ToWire(value));
        Assert.Equal("\"" + wire + "\"", J.Out(value, QapiJson.Write));
        Assert.Equal(value, J.In("\"" + wire + "\"", QapiJson.ReadEnum<Color>));
        Assert.Equal(value, J.In("\"" + wire + "\"", QapiJson.ReadOutputEnum<Color>));
    }

    [Fact]
    public void EachEnumHasItsOwnTable()
    {
        // The same position in two enums is two wire strings; the C# values follow the schema's order.
        Assert.Equal("red", QapiJson.ToWire((Color)0));
        Assert.Equal("circle", QapiJson.ToWire((ShapeKind)0));
        Assert.Equal(["red", "green", "blue", "mauve"], Array.ConvertAll(Enum.GetValues<Color>(), c => QapiJson.ToWire(c)));
        foreach (ShapeKind kind in Enum.GetValues<ShapeKind>())
        {
            Assert.True(QapiJson.TryParse(QapiJson.ToWire(kind), out ShapeKind parsed));
            Assert.Equal(kind, parsed);
        }
        // "circle" is no color, and a value compiled out (CONFIG_OFF) is no value.
        Assert.False(QapiJson.TryParse("circle", out Color _));
        Assert.False(QapiJson.TryParse("cyan", out Color _));
        Assert.False(QapiJson.TryParse("octagon", out ShapeKind _));
    }

    [Fact]
    public void AnUnknownValueOfOutputKeepsItsWireString()
    {
        Color unknown = J.In("\"infra-violet\"", QapiJson.ReadOutputEnum<Color>);
        Assert.False(QapiJson.IsKnown(unknown));
        Assert.Equal("infra-violet", QapiJson.ToWire(unknown));
        Assert.Equal("\"infra-violet\"", J.Out(unknown, QapiJson.Write));
        Assert.Equal(unknown, J.In("\"infra-violet\"", QapiJson.ReadOutputEnum<Color>));
        Assert.False(QapiJson.TryParse("infra-violet", out Color _));
        // Strict reading (QEMU's input check) refuses it with QEMU's text.
        Assert.Equal("Parameter 'null' does not accept value 'infra-violet'", J.Error("\"infra-violet\"", QapiJson.ReadEnum<Color>));
        Assert.Equal("Invalid parameter type for '<anonymous>', expected: string", J.Error("1", QapiJson.ReadOutputEnum<Color>));
    }

    [Fact]
    public void AnEnumThatIsNotTheSchemasIsRefused()
    {
        Assert.Throws<ArgumentException>(() => QapiJson.ToWire(DayOfWeek.Monday));
        Assert.Throws<ArgumentException>(() => QapiJson.IsKnown(DayOfWeek.Monday));
        Assert.Throws<ArgumentException>(() => QapiJson.TryParse("monday", out DayOfWeek _));
        Assert.Throws<ArgumentException>(() => J.Out(DayOfWeek.Monday, QapiJson.Write));
    }
}
