using System.Collections.Generic;
using System.Reflection;
using QapiGen.Generated.Tests.Qapi;
using Xunit;

namespace QapiGen.Generated.Tests;

public class StructTests
{
    [Fact]
    public void OptionalMembersAreOmittedWhenAbsent()
    {
        var w = new Widget { Name = "w", Id = 1 };
        Assert.Equal("""{"name":"w","id":1}""", J.Out(w, QapiJson.Write));
    }

    [Fact]
    public void AllMembersInSchemaOrderBaseFirst()
    {
        var w = new Widget
        {
            Name = "w",
            Id = -7,
            Size = ulong.MaxValue,
            Color = Color.Blue,
            Tags = ["a", "b"],
            Nested = new Thing { Label = "t", Count = 3 },
        };
        Assert.Equal("""{"name":"w","id":-7,"size":18446744073709551615,"color":"blue","tags":["a","b"],"nested":{"label":"t","count":3}}""",
            J.Out(w, QapiJson.Write));
    }

    [Fact]
    public void ReadsMembersInAnyOrder()
    {
        Widget w = J.In("""{"nested":{"count":18446744073709551615,"label":"x"},"id":5,"tags":[],"name":"n","color":"green"}""", QapiJson.ReadWidget);
        Assert.Equal("n", w.Name);
        Assert.Equal(5, w.Id);
        Assert.Null(w.Size);
        Assert.Equal(Color.Green, w.Color);
        Assert.Empty(w.Tags!);
        Assert.Equal("x", w.Nested!.Label);
        Assert.Equal(ulong.MaxValue, w.Nested.Count);
        Assert.IsAssignableFrom<Base>(w);
    }

    [Fact]
    public void RoundTripsExactBytes()
    {
        J.RoundTrip("""{"name":"w","id":9223372036854775807,"size":0,"color":"red","tags":["x"],"nested":{"label":"l"}}""", QapiJson.ReadWidget, QapiJson.Write);
        // Strings are unescaped on input; output escaping is the writer's (default encoder here).
        Thing t = J.In("""{"label":"\u00e9\"\\"}""", QapiJson.ReadThing);
        Assert.Equal("\u00e9\"\\", t.Label);
        Assert.Equal("""{"label":"\u00E9\u0022\\"}""", J.Out(t, QapiJson.Write));
    }

    [Theory]
    [InlineData("""{"id":1}""", "Parameter 'name' is missing")]
    [InlineData("""{"name":"w"}""", "Parameter 'id' is missing")]
    [InlineData("""{"bogus":1}""", "Parameter 'name' is missing")]
    [InlineData("""{"name":"w","id":1,"bogus":1}""", "Parameter 'bogus' is unexpected")]
    [InlineData("""{"name":"w","id":"1"}""", "Invalid parameter type for 'id', expected: integer")]
    [InlineData("""{"name":"w","id":1.0}""", "Invalid parameter type for 'id', expected: integer")]
    [InlineData("""{"name":"w","id":9223372036854775808}""", "Invalid parameter type for 'id', expected: integer")]
    [InlineData("""{"name":null,"id":1}""", "Invalid parameter type for 'name', expected: string")]
    [InlineData("""{"name":"w","id":1,"tags":"a"}""", "Invalid parameter type for 'tags', expected: array")]
    [InlineData("""{"name":"w","id":1,"tags":["a",1]}""", "Invalid parameter type for 'tags[1]', expected: string")]
    [InlineData("""{"name":"w","id":1,"nested":{"count":1}}""", "Parameter 'nested.label' is missing")]
    [InlineData("""{"name":"w","id":1,"nested":{"label":"x","zz":1}}""", "Parameter 'nested.zz' is unexpected")]
    [InlineData("""{"name":"w","id":1,"nested":[]}""", "Invalid parameter type for 'nested', expected: object")]
    [InlineData("""{"name":"w","id":1,"color":"purple"}""", "Parameter 'color' does not accept value 'purple'")]
    [InlineData("""{"name":"w","id":1,"color":1}""", "Invalid parameter type for 'color', expected: string")]
    [InlineData("""{"name":"w","id":1,"size":-1,"color":"cyan"}""", "Parameter 'color' does not accept value 'cyan'")]
    [InlineData("""{"name":"w","id":1,"secret":"s"}""", "Parameter 'secret' is unexpected")]
    [InlineData("""{"name":"w","id":1,"size":"big"}""", "Parameter 'size' expects uint64")]
    [InlineData("""[]""", "Invalid parameter type for '<anonymous>', expected: object")]
    public void Bad_input_gives_QEMUs_message(string json, string message)
        => Assert.Equal(message, J.Error(json, QapiJson.ReadWidget));

    // Members of list elements: their paths are built only when an error reports one, so each
    // shape (struct, union branch, nested struct, list in an element) is checked against QEMU's names.
    [Theory]
    [InlineData("""[{"name":"a","id":1},{"name":"b"}]""", "Parameter 'widgets[1].id' is missing")]
    [InlineData("""[{"name":"a","id":1,"zz":1}]""", "Parameter 'widgets[0].zz' is unexpected")]
    [InlineData("""[{"name":"a","id":"1"}]""", "Invalid parameter type for 'widgets[0].id', expected: integer")]
    [InlineData("""[{"name":"a","id":1},{"name":"b","id":2,"nested":{"count":1}}]""", "Parameter 'widgets[1].nested.label' is missing")]
    [InlineData("""[{"name":"a","id":1,"nested":{"label":"l","count":"x"}}]""", "Parameter 'widgets[0].nested.count' expects uint64")]
    [InlineData("""[{"name":"a","id":1,"nested":{"label":"l","zz":1}}]""", "Parameter 'widgets[0].nested.zz' is unexpected")]
    [InlineData("""[{"name":"a","id":1,"tags":["t",2]}]""", "Invalid parameter type for 'widgets[0].tags[1]', expected: string")]
    [InlineData("""[{"name":"a","id":1,"color":"purple"}]""", "Parameter 'color' does not accept value 'purple'")]
    [InlineData("""[1]""", "Invalid parameter type for 'widgets[0]', expected: object")]
    public void Members_of_list_elements_are_named_as_QEMU_names_them(string json, string message)
        => Assert.Equal(message, J.Error(json, static (ref System.Text.Json.Utf8JsonReader r, in QapiPath p) =>
            QapiJson.ReadList<Widget>(ref r, new QapiPath(null, "widgets"), QapiJson.ReadWidget)));

    [Theory]
    [InlineData("""[{"kind":"circle","radius":1},{"kind":"square"}]""", "Parameter 'shapes[1].side' is missing")]
    [InlineData("""[{"kind":"circle"}]""", "Parameter 'shapes[0].radius' is missing")]
    [InlineData("""[{"kind":"square","side":1,"zz":1}]""", "Parameter 'shapes[0].zz' is unexpected")]
    [InlineData("""[{"kind":"square","side":"1"}]""", "Invalid parameter type for 'shapes[0].side', expected: integer")]
    [InlineData("""[{"radius":1}]""", "Parameter 'shapes[0].kind' is missing")]
    [InlineData("""[{"kind":"blob"}]""", "Parameter 'kind' does not accept value 'blob'")]
    public void Members_of_union_list_elements_are_named_as_QEMU_names_them(string json, string message)
        => Assert.Equal(message, J.Error(json, static (ref System.Text.Json.Utf8JsonReader r, in QapiPath p) =>
            QapiJson.ReadList<Shape>(ref r, new QapiPath(null, "shapes"), QapiJson.ReadShape)));

    [Fact]
    public void ConditionalMembersFollowTheBuild()
    {
        // CONFIG_TEST is defined by the test project, CONFIG_OFF is not.
        Assert.True(QapiJson.TryParse("blue", out Color blue));
        Assert.Equal(Color.Blue, blue);
        Assert.False(QapiJson.TryParse("cyan", out Color _));
        Assert.Null(typeof(Widget).GetProperty("Secret"));
        Assert.Equal("blue", QapiJson.ToWire(Color.Blue));
    }

    [Fact]
    public void SizeAcceptsNegativeNumbersAsQEMUDoes()
    {
        Widget w = J.In("""{"name":"w","id":1,"size":-1}""", QapiJson.ReadWidget);
        Assert.Equal(ulong.MaxValue, w.Size);
    }

    [Fact]
    public void DeprecatedEnumValueIsObsolete()
    {
        FieldInfo field = typeof(Color).GetField("Mauve")!;
        Assert.NotNull(field.GetCustomAttributes(typeof(System.ObsoleteAttribute), false).Length == 1 ? field : null);
    }
}
