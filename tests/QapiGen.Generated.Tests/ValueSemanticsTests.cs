using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Generated.Tests.Qapi;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>
/// Generated types are records: equal when their values are equal (through lists, union branches,
/// alternates and the members a newer server added), printed readably, and the names that clash with
/// C# keywords or with members every record or event has reach the wire under their own names.
/// </summary>
public class ValueSemanticsTests
{
    private const string WidgetJson = """{"name":"w","id":1,"color":"blue","tags":["a","b"],"nested":{"label":"l","count":3}}""";

    [Fact]
    public void ValuesReadTwiceAreEqualAndHashAlike()
    {
        Widget first = J.In(WidgetJson, QapiJson.ReadWidget);
        Widget second = J.In(WidgetJson, QapiJson.ReadWidget);
        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.True(first == second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void ListsCompareByTheirElementsWhoeverBuiltThem()
    {
        Widget read = J.In(WidgetJson, QapiJson.ReadWidget);
        Widget built = new()
        {
            Name = "w", Id = 1, Color = Color.Blue, Tags = new[] { "a", "b" }, Nested = new Thing { Label = "l", Count = 3 },
        };
        Assert.Equal(read, built);
        Assert.NotEqual(read, built with { Tags = new List<string> { "b", "a" } });
        Assert.NotEqual(read, built with { Tags = new List<string> { "a" } });
        Assert.NotEqual(read, built with { Nested = new Thing { Label = "l", Count = 4 } });
        Assert.NotEqual(read, built with { Id = 2 });
    }

    [Fact]
    public void UnionBranchesCompareByBranchAndMembers()
    {
        Shape circle = J.In("""{"kind":"circle","radius":2,"label":"x"}""", QapiJson.ReadShape);
        Assert.Equal(circle, J.In("""{"radius":2,"label":"x","kind":"circle"}""", QapiJson.ReadShape));
        Assert.NotEqual(circle, J.In("""{"kind":"circle","radius":3,"label":"x"}""", QapiJson.ReadShape));
        Assert.NotEqual<Shape>(J.In("""{"kind":"square","side":2}""", QapiJson.ReadShape), J.In("""{"kind":"hexagon","side":2}""", QapiJson.ReadShape));
    }

    [Fact]
    public void ToStringNamesTheTypeAndItsMembersListsIncluded()
    {
        string text = J.In(WidgetJson, QapiJson.ReadWidget).ToString();
        Assert.StartsWith("Widget { ", text);
        Assert.Contains("Name = w", text);
        Assert.Contains("Id = 1", text);
        Assert.Contains("Color = Blue", text);
        Assert.Contains("Tags = [\"a\", \"b\"]", text);
        Assert.Contains("Nested = Thing { Label = l, Count = 3", text);
        // No server added members: nothing says so (not even "UnknownMembers = "), in the record or in the one it holds.
        Assert.DoesNotContain("UnknownMembers", text);
        Assert.EndsWith("Count = 3 } }", text);
        Assert.Equal("Thing { Label = l, Count = 3 }", new Thing { Label = "l", Count = 3 }.ToString());
        Assert.DoesNotContain("UnknownMembers", J.In("""{"kind":"circle","radius":2,"label":"x"}""", QapiJson.ReadShape).ToString());
        Assert.DoesNotContain("UnknownMembers", new WidgetChangedEvent { Id = "w" }.ToString());
    }

    [Fact]
    public async Task MembersANewerServerAddedTakePartInEquality()
    {
        const string Newer = """{"widgets":[{"name":"w","id":1,"weight":{"kg":2}}],"shapes":[],"values":[],"added":[1,2]}""";
        const string Reordered = """{"added":[1, 2],"widgets":[{"weight":{"kg":2},"name":"w","id":1}],"shapes":[],"values":[]}""";
        const string Other = """{"widgets":[{"name":"w","id":1,"weight":{"kg":3}}],"shapes":[],"values":[],"added":[1,2]}""";
        await using ScriptedServer server = new(new Dictionary<string, string> { ["query-skew"] = Newer });
        await using ScriptedServer reordered = new(new Dictionary<string, string> { ["query-skew"] = Reordered });
        await using ScriptedServer other = new(new Dictionary<string, string> { ["query-skew"] = Other });
        SkewInfo a = await QuerySkewAsync(server);
        SkewInfo b = await QuerySkewAsync(reordered);
        SkewInfo c = await QuerySkewAsync(other);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        // Printed last, when a server added some.
        Assert.EndsWith(", UnknownMembers = { added = [1,2] } }", a.ToString());
    }

    private static async Task<SkewInfo> QuerySkewAsync(ScriptedServer server)
    {
        await using QapiClient client = await QapiClient.ConnectAsync(server.Endpoint);
        return await client.QuerySkewAsync();
    }

    [Fact]
    public void EventsAreRecordsWithTheirOwnTimestampMemberApartFromTheEnvelope()
    {
        ClashEventEvent e = new() { Timestamp_ = 5, EventName_ = "n", Timestamp = System.DateTimeOffset.FromUnixTimeSeconds(1) };
        Assert.Equal(e, e with { });
        Assert.NotEqual(e, e with { Timestamp_ = 6 });
        Assert.Equal("CLASH_EVENT", e.EventName);
        Assert.Equal("""{"timestamp":5,"event-name":"n"}""", J.Out<QapiEvent>(e, static (w, v) => v.WriteData(w)));
    }

    [Fact]
    public void ClashingMemberNamesKeepTheirWireNames()
    {
        const string Json = """{"type":"t","value":1,"data":"d","event":"e","class":"c","namespace":"n","default":2,"equals":"x","Equals":"X","get-hash-code":3,"to-string":"s","equality-contract":"q","print-members":"p","clone":"k","unknown-members":"u","name":"m","Name":"M","clash-names":"cn","get-type":"g","deconstruct":"de"}""";
        ClashNames value = J.RoundTrip(Json, QapiJson.ReadClashNames, QapiJson.Write);
        Assert.Equal(("x", "X", 3L), (value.Equals_, value.Equals_2, value.GetHashCode_));
        Assert.Equal(("m", "M"), (value.Name, value.Name_));
        Assert.Equal("k", value.Clone_);
        Assert.Equal("u", value.UnknownMembers_);
        Assert.Null(value.UnknownMembers);
        Assert.Equal(value, J.In(Json, QapiJson.ReadClashNames));

        ClashUnion branch = J.In("""{"type":"class","class":"c","unknown":"u","clash-union":"cu"}""", QapiJson.ReadClashUnion);
        ClashUnion.ClassBranch typed = Assert.IsType<ClashUnion.ClassBranch>(branch);
        Assert.Equal(("c", "u", "cu"), (typed.Class, typed.Unknown, typed.ClashUnion_));

        ClashAlternate number = 4L;
        Assert.Equal(4L, Assert.IsType<ClashAlternate.ValueBranch>(number).Value);
    }

    [Fact]
    public async Task ClashingCommandArgumentsReachTheHandler()
    {
        Handlers handlers = new();
        string reply = await Dispatch.Run(new QapiDispatcher(handlers), "clash-command",
            """{"context":"ctx","cancellation-token":"ct","fds":"f","class":"c","timeout":9,"client":"cl"}""");
        Assert.Equal("clash-command ctx ct f c 9 cl", handlers.Calls.Single());
        Assert.Contains("\"type\":\"ctx\"", reply);
        Assert.Contains("\"value\":9", reply);
    }
}
