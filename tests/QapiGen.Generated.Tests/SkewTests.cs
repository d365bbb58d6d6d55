using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Generated.Tests.Qapi;
using QapiGen.Runtime.Client;
using QapiGen.Runtime.Protocol;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>
/// The generated client against a server of another version than its schema (a scripted server):
/// replies and events are read by the reader's side of QAPI's compatibility rules, while the
/// generated dispatcher stays as strict as QEMU.
/// </summary>
public class SkewTests
{
    // Unknown members at every level (struct with a base, nested struct, union branch, alternate
    // branch, union of unions, top level), unknown enum values (member, list element, union tags).
    private const string NewerSkewInfo = """
        {
          "widgets": [{"name": "w", "id": 1, "color": "ultraviolet", "tags": ["a"],
                       "nested": {"label": "l", "count": 3, "shiny": true}, "weight": {"kg": 2}}],
          "shapes": [{"kind": "circle", "radius": 1.5, "label": "c", "rim": "thin"},
                     {"kind": "triangle", "label": "t", "sides": [3, 4, 5]},
                     {"kind": "square", "side": 2, "fill": "infrared"}],
          "values": [null, 2.5, true, {"label": "x", "new": 1}],
          "outer": {"mode": "shape", "kind": "hexagon", "side": 4, "extra-inner": "e"},
          "colors": ["red", "ultraviolet", "green"],
          "added-at-top": [1, 2]
        }
        """;

    private static string Canon(byte[] utf8) => JsonCanon.Of(Encoding.UTF8.GetString(utf8));

    private static string Describe(Color c) => c switch
    {
        Color.Red => "red",
        Color.Green => "green",
        _ => "other: " + QapiJson.ToWire(c),
    };

    [Fact]
    public async Task UnknownMembersAndEnumValuesAreKeptAndWrittenBack()
    {
        await using var server = new ScriptedServer(new Dictionary<string, string> { ["query-skew"] = NewerSkewInfo });
        await using QapiClient client = await QapiClient.ConnectAsync(server.Endpoint);
        SkewInfo info = await client.QuerySkewAsync();

        Assert.Equal(JsonCanon.Of(NewerSkewInfo), Canon(QapiJson.Serialize(info, QapiJson.Write)));

        Assert.Equal("[1,2]", JsonCanon.Of(info.UnknownMembers!["added-at-top"]));
        Widget widget = info.Widgets[0];
        Assert.Equal("{\"kg\":2}", JsonCanon.Of(widget.UnknownMembers!["weight"]));
        Assert.True(widget.Nested!.UnknownMembers!["shiny"].GetBoolean());
        Assert.False(QapiJson.IsKnown(widget.Color!.Value));
        Assert.Equal("ultraviolet", QapiJson.ToWire(widget.Color.Value));
        Assert.Equal("other: ultraviolet", Describe(widget.Color.Value));
        // The same wire string is the same value wherever it appears.
        Assert.Equal(widget.Color.Value, info.Colors![1]);
        Assert.Equal(["red", "other: ultraviolet", "green"], [.. System.Linq.Enumerable.Select(info.Colors, Describe)]);
        Assert.True(QapiJson.IsKnown(info.Colors[0]));

        Shape.Circle circle = Assert.IsType<Shape.Circle>(info.Shapes[0]);
        Assert.Equal("\"thin\"", circle.UnknownMembers!["rim"].GetRawText());
        Shape.Unknown triangle = Assert.IsType<Shape.Unknown>(info.Shapes[1]);
        Assert.Equal("triangle", QapiJson.ToWire(triangle.Kind));
        Assert.Equal("t", triangle.Label);
        Assert.Equal("[3,4,5]", JsonCanon.Of(triangle.UnknownMembers!["sides"]));
        Shape.Square square = Assert.IsType<Shape.Square>(info.Shapes[2]);
        Assert.Equal("infrared", QapiJson.ToWire(square.Fill!.Value));

        Value.Obj obj = Assert.IsType<Value.Obj>(info.Values[3]);
        Assert.Equal(1, obj.Value.UnknownMembers!["new"].GetInt32());

        Outer.Shape outer = Assert.IsType<Outer.Shape>(info.Outer);
        Shape.Hexagon hexagon = Assert.IsType<Shape.Hexagon>(outer.Value);
        Assert.Equal("\"e\"", hexagon.UnknownMembers!["extra-inner"].GetRawText());
        Assert.Null(outer.UnknownMembers);
    }

    [Fact]
    public async Task AnUnknownTagOfAUnionOfUnionsRoundTrips()
    {
        const string reply = """{"widgets": [], "shapes": [], "values": [], "outer": {"mode": "cube", "edge": 1}}""";
        await using var server = new ScriptedServer(new Dictionary<string, string> { ["query-skew"] = reply });
        await using QapiClient client = await QapiClient.ConnectAsync(server.Endpoint);
        SkewInfo info = await client.QuerySkewAsync();
        Outer.Unknown unknown = Assert.IsType<Outer.Unknown>(info.Outer);
        Assert.Equal("cube", QapiJson.ToWire(unknown.Mode));
        Assert.Equal(JsonCanon.Of(reply), Canon(QapiJson.Serialize(info, QapiJson.Write)));
    }

    [Fact]
    public async Task AMissingMandatoryMemberNamesCommandPathAndCause()
    {
        const string reply = """[{"label": "a"}, {"count": 2}]""";
        await using var server = new ScriptedServer(new Dictionary<string, string> { ["query-things"] = reply });
        await using QapiClient client = await QapiClient.ConnectAsync(server.Endpoint);
        QmpReplyException e = await Assert.ThrowsAsync<QmpReplyException>(() => client.QueryThingsAsync());
        Assert.IsAssignableFrom<QmpException>(e);
        Assert.Equal("query-things", e.Command);
        Assert.Null(e.EventName);
        Assert.Equal("return[1].label", e.MemberPath);
        Assert.True(e.IsMissingMember);
        Assert.Equal(QmpReplyException.ReplyMismatch, e.ErrorClass);
        Assert.Contains("'query-things'", e.Message);
        Assert.Contains("'return[1].label' is missing", e.Message);
        Assert.Contains("older than the schema", e.Message);
        Assert.Equal(JsonCanon.Of(reply), JsonCanon.Of(e.RawJson));
        Assert.IsType<QapiJsonException>(e.InnerException);
    }

    [Theory]
    [InlineData("""{"widgets": [], "shapes": [{"kind": "circle", "radius": "big"}], "values": []}""", "return.shapes[0].radius", "number")]
    [InlineData("""{"widgets": [], "shapes": [], "values": [[1]]}""", "return.values[0]", "Value")]
    [InlineData("""{"widgets": [{"name": "w", "id": 1, "nested": {"label": 5}}], "shapes": [], "values": []}""", "return.widgets[0].nested.label", "string")]
    [InlineData("""{"widgets": [], "shapes": [], "values": [], "outer": {"mode": "shape", "kind": "square", "side": 1e3}}""", "return.outer.side", "integer")]
    [InlineData("""[]""", "return", "object")]
    public async Task AValueOfTheWrongTypeNamesItsPath(string reply, string path, string expected)
    {
        await using var server = new ScriptedServer(new Dictionary<string, string> { ["query-skew"] = reply });
        await using QapiClient client = await QapiClient.ConnectAsync(server.Endpoint);
        QmpReplyException e = await Assert.ThrowsAsync<QmpReplyException>(() => client.QuerySkewAsync());
        Assert.Equal("query-skew", e.Command);
        Assert.Equal(path, e.MemberPath);
        Assert.False(e.IsMissingMember);
        Assert.Contains(expected, e.Detail);
        Assert.Contains("another version than the schema", e.Message);
        Assert.Equal(JsonCanon.Of(reply), JsonCanon.Of(e.RawJson));
    }

    [Fact]
    public async Task BadEventsArriveUnparsedAndTheStreamGoesOn()
    {
        const string ts = "\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 5}";
        string[] events =
        [
            "{\"event\": \"WIDGET_CHANGED\", \"data\": {\"id\": \"w1\", \"color\": \"infrared\", \"since\": \"now\"}, " + ts + "}",
            "{\"event\": \"SKEW_EVENT\", \"data\": {}, " + ts + "}",
            "{\"event\": \"SKEW_EVENT\", \"data\": {\"info\": {\"widgets\": \"no\", \"shapes\": [], \"values\": []}}, " + ts + "}",
            "{\"event\": \"STOPPED\", \"timestamp\": \"garbled\"}",
            "{\"event\": \"SHAPE_EVENT\", \"data\": {\"kind\": \"triangle\", \"label\": \"t\", \"sides\": 3}, " + ts + "}",
            "{\"event\": \"BRAND_NEW\", \"data\": {\"x\": 1}, " + ts + "}",
            "{\"event\": \"STOPPED\", \"data\": {\"reason\": \"newer\"}, " + ts + "}",
            "{\"event\": 5, " + ts + "}",
            "{\"event\": \"STOPPED\", \"timestamp\": {\"seconds\": \"x\", \"microseconds\": 1}}",
        ];
        await using var server = new ScriptedServer(new Dictionary<string, string>(), events);
        await using QapiClient client = await QapiClient.ConnectAsync(server.Endpoint);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new List<QapiEvent>();
        await foreach (QapiEvent e in client.ReadTypedEventsAsync(cts.Token))
        {
            received.Add(e);
            if (received.Count == events.Length)
            {
                break;
            }
        }

        WidgetChangedEvent changed = Assert.IsType<WidgetChangedEvent>(received[0]);
        Assert.Equal("infrared", QapiJson.ToWire(changed.Color!.Value));
        Assert.Equal(JsonCanon.Of("""{"id": "w1", "color": "infrared", "since": "now"}"""), Canon(QapiJson.Serialize(changed, static (w, e) => e.WriteData(w))));

        QapiUnparsedEvent missing = Assert.IsType<QapiUnparsedEvent>(received[1]);
        Assert.Equal("SKEW_EVENT", missing.Error.EventName);
        Assert.Null(missing.Error.Command);
        Assert.Equal("data.info", missing.Error.MemberPath);
        Assert.True(missing.Error.IsMissingMember);
        Assert.Equal("{}", missing.Error.RawJson);
        Assert.Equal("{}", missing.Data.GetRawText());
        Assert.NotNull(missing.Timestamp);

        QapiUnparsedEvent wrong = Assert.IsType<QapiUnparsedEvent>(received[2]);
        Assert.Equal("data.info.widgets", wrong.Error.MemberPath);
        Assert.False(wrong.Error.IsMissingMember);

        StoppedEvent garbled = Assert.IsType<StoppedEvent>(received[3]);
        Assert.Null(garbled.Timestamp);

        ShapeEventEvent shape = Assert.IsType<ShapeEventEvent>(received[4]);
        Shape.Unknown triangle = Assert.IsType<Shape.Unknown>(shape.Data);
        Assert.Equal(JsonCanon.Of("""{"kind": "triangle", "label": "t", "sides": 3}"""), Canon(QapiJson.Serialize(shape, static (w, e) => e.WriteData(w))));
        Assert.Equal(3, triangle.UnknownMembers!["sides"].GetInt32());

        Assert.Equal("BRAND_NEW", Assert.IsType<QapiUnknownEvent>(received[5]).EventName);
        // An event without data in the schema that a newer server gave data keeps it.
        StoppedEvent stopped = Assert.IsType<StoppedEvent>(received[6]);
        Assert.True(stopped.HasData);
        Assert.Equal(JsonCanon.Of("""{"reason": "newer"}"""), Canon(QapiJson.Serialize(stopped, static (w, e) => e.WriteData(w))));
        Assert.False(garbled.HasData);
        Assert.Null(garbled.UnknownMembers);
        // A name that is not a string, a timestamp of the wrong type: still delivered, the connection kept.
        Assert.Equal("5", Assert.IsType<QapiUnknownEvent>(received[7]).EventName);
        Assert.Null(Assert.IsType<StoppedEvent>(received[8]).Timestamp);
    }

    [Fact]
    public async Task TheDispatcherStaysAsStrictAsQEMUOnTheSameData()
    {
        var dispatcher = new QapiDispatcher(new Handlers());
        Assert.Equal("error: GenericError: Parameter 'value.weight' is unexpected",
            await Dispatch.Run(dispatcher, "echo-struct", """{"value": {"name": "w", "id": 1, "weight": 2}}"""));
        Assert.Equal("error: GenericError: Parameter 'color' does not accept value 'ultraviolet'",
            await Dispatch.Run(dispatcher, "echo-struct", """{"value": {"name": "w", "id": 1, "color": "ultraviolet"}}"""));
        Assert.Equal("error: GenericError: Parameter 'kind' does not accept value 'triangle'",
            await Dispatch.Run(dispatcher, "run-shape", """{"kind": "triangle"}"""));
    }

    private enum Small : byte { A }

    [Fact]
    public void TheUnknownValueTableRefusesEnumsItCannotHold()
    {
        Assert.Throws<NotSupportedException>(() => QapiUnknownValues<Small>.TryIntern("x", out _));
        Assert.Null(QapiUnknownValues<Small>.WireOf((Small)255));
        Assert.True(QapiUnknownValues<Color>.TryIntern("heliotrope", out Color first));
        Assert.True(QapiUnknownValues<Color>.TryIntern("heliotrope", out Color again));
        Assert.Equal(first, again);
        Assert.True((int)first < 0);
        Assert.Equal("heliotrope", QapiUnknownValues<Color>.WireOf(first));
    }

    [Fact]
    public void TheUnknownValueTableIsBounded()
    {
        // MigrationCapability is used by no other test of unknown values: this fills its table.
        for (int i = 0; i < QapiUnknownValues<MigrationCapability>.Limit; i++)
        {
            Assert.True(QapiUnknownValues<MigrationCapability>.TryIntern("cap-" + i, out _));
        }

        Assert.False(QapiUnknownValues<MigrationCapability>.TryIntern("one-too-many", out _));
        Assert.True(QapiUnknownValues<MigrationCapability>.TryIntern("cap-7", out MigrationCapability kept));
        Assert.Equal("cap-7", QapiJson.ToWire(kept));
    }

    [Fact]
    public void AnUnknownValueNeverSeenCannotBeWritten()
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => QapiJson.ToWire((Color)(-1000)));
        Assert.Equal("value", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => QapiJson.Serialize((Color)12345, QapiJson.Write));
    }
}
