using System.Text.Json;
using QapiGen.Generated.Tests.Qapi;
using Xunit;

namespace QapiGen.Generated.Tests;

public class UnionTests
{
    [Fact]
    public void BranchIsFlatOnTheWire()
    {
        Shape s = new Shape.Circle { Label = "c", Radius = 1.5 };
        Assert.Equal("""{"kind":"circle","label":"c","radius":1.5}""", J.Out(s, QapiJson.Write));
        Assert.Equal("""{"kind":"square","side":2,"fill":"red"}""", J.Out<Shape>(new Shape.Square { Side = 2, Fill = Color.Red }, QapiJson.Write));
        Assert.Equal("""{"kind":"empty"}""", J.Out<Shape>(new Shape.Empty(), QapiJson.Write));
    }

    [Fact]
    public void TagPicksTheBranchClassWhereverItIs()
    {
        Shape s = J.In("""{"radius":2,"label":"x","kind":"circle"}""", QapiJson.ReadShape);
        Shape.Circle c = Assert.IsType<Shape.Circle>(s);
        Assert.Equal(2.0, c.Radius);
        Assert.Equal("x", c.Label);
        Assert.Equal(ShapeKind.Circle, c.Kind);
        string text = s switch
        {
            Shape.Circle { Radius: > 1 } => "big circle",
            Shape.Square sq => "square " + sq.Side,
            _ => "other",
        };
        Assert.Equal("big circle", text);
        Assert.IsType<Shape.Empty>(J.In("""{"kind":"empty"}""", QapiJson.ReadShape));
    }

    [Fact]
    public void ConditionalBranchFollowsTheBuild()
    {
        // hexagon: CONFIG_TEST (defined); octagon: CONFIG_OFF (not defined).
        Shape.Hexagon h = Assert.IsType<Shape.Hexagon>(J.In("""{"kind":"hexagon","side":3}""", QapiJson.ReadShape));
        Assert.Equal(3, h.Side);
        Assert.Equal("Parameter 'kind' does not accept value 'octagon'", J.Error("""{"kind":"octagon","side":3}""", QapiJson.ReadShape));
    }

    [Theory]
    [InlineData("""{"radius":1}""", "Parameter 'kind' is missing")]
    [InlineData("""{"kind":"square"}""", "Parameter 'side' is missing")]
    [InlineData("""{"kind":"circle","radius":1,"side":2}""", "Parameter 'side' is unexpected")]
    [InlineData("""{"kind":"circle","label":1,"radius":1}""", "Invalid parameter type for 'label', expected: string")]
    [InlineData("""{"kind":"triangle"}""", "Parameter 'kind' does not accept value 'triangle'")]
    [InlineData("""{"kind":"empty","radius":1}""", "Parameter 'radius' is unexpected")]
    public void Bad_input(string json, string message) => Assert.Equal(message, J.Error(json, QapiJson.ReadShape));
}

public class AlternateTests
{
    [Theory]
    [InlineData("null", typeof(Value.None))]
    [InlineData("1.5", typeof(Value.Num))]
    [InlineData("7", typeof(Value.Num))]
    [InlineData("true", typeof(Value.Flag))]
    [InlineData("false", typeof(Value.Flag))]
    [InlineData("""{"label":"x"}""", typeof(Value.Obj))]
    public void JSON_type_picks_the_branch(string json, System.Type branch)
    {
        Value v = J.RoundTrip(json, QapiJson.ReadValue, QapiJson.Write);
        Assert.IsType(branch, v);
    }

    [Fact]
    public void ImplicitConversionsAndStrings()
    {
        Value v = 2.5;
        Assert.Equal("2.5", J.Out(v, QapiJson.Write));
        Value n = QapiNull.Value;
        Assert.Equal("null", J.Out(n, QapiJson.Write));
        TextOrThing t = "hello";
        Assert.Equal("\"hello\"", J.Out(t, QapiJson.Write));
        Assert.IsType<TextOrThing.Text>(J.RoundTrip("\"s\"", QapiJson.ReadTextOrThing, QapiJson.Write));
        Assert.IsType<TextOrThing.None>(J.RoundTrip("null", QapiJson.ReadTextOrThing, QapiJson.Write));
        Assert.Equal(Color.Green, Assert.IsType<SizeOrColor.Color>(J.RoundTrip("\"green\"", QapiJson.ReadSizeOrColor, QapiJson.Write)).Value);
        Assert.Equal(5UL, Assert.IsType<SizeOrColor.Size>(J.RoundTrip("5", QapiJson.ReadSizeOrColor, QapiJson.Write)).Value);
    }

    [Fact]
    public void WrongJSONTypeNamesTheAlternate()
    {
        Assert.Equal("Invalid parameter type for 'null', expected: Value", J.Error("\"s\"", QapiJson.ReadValue));
        Assert.Equal("Invalid parameter type for 'null', expected: TextOrThing", J.Error("[]", QapiJson.ReadTextOrThing));
        Assert.Equal("Parameter 'null' does not accept value 'purple'", J.Error("\"purple\"", QapiJson.ReadSizeOrColor));
    }

    [Fact]
    public void AnyRoundTrips()
    {
        JsonElement e = J.In("""{"a":[1,2.5,"x",null,true,{}]}""", QapiJson.ReadAny);
        Assert.Equal(JsonValueKind.Object, e.ValueKind);
        Assert.Equal("""{"a":[1,2.5,"x",null,true,{}]}""", J.Out(e, QapiJson.Write));
    }
}
