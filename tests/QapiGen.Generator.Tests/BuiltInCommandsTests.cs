using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using QapiGen.CodeGen;
using QapiGen.Schema.Introspection;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// The built-in commands a schema lacks are added to its introspection exactly as if the schema defined them with
/// QEMU's definitions (same commands, same type structures; only the masked numbers may differ), and only where a
/// generated server answers them.
/// </summary>
public class BuiltInCommandsTests
{
    // One of each kind of type, and uses of what the built-ins also use (str, int, bool, q_empty, [str]).
    private const string UserSchema = """
        { 'enum': 'Color', 'data': [ 'red', 'green' ] }
        { 'struct': 'Base', 'data': { 'kind': 'Color', '*tags': [ 'str' ] } }
        { 'struct': 'Red', 'data': { 'shade': 'int' } }
        { 'struct': 'Green', 'data': { 'ok': 'bool' } }
        { 'union': 'Paint', 'base': 'Base', 'discriminator': 'kind', 'data': { 'red': 'Red', 'green': 'Green' } }
        { 'alternate': 'Either', 'data': { 'n': 'int', 'r': 'Red' } }
        { 'command': 'paint', 'data': { 'p': 'Paint', 'e': 'Either' }, 'returns': [ 'Paint' ] }
        { 'command': 'ping' }
        { 'event': 'PAINTED', 'data': { 'e': 'Either' } }
        { 'event': 'EMPTY' }
        """;

    private static QapiSchema Load(string text) => QapiSchema.Load("s.json", new InMemorySchemaFileSystem().Add("s.json", text));

    [Fact]
    public void TheAddedEntriesDescribeWhatQemusDefinitionsDescribe()
    {
        QapiSchema schema = Load(UserSchema);
        Assert.Equal(BuiltInCommands.Names, BuiltInCommands.Missing(schema));
        string merged = SchemaInfoJson.Write(BuiltInCommands.AddTo(SchemaInfoBuilder.Build(schema), BuiltInCommands.Missing(schema)));
        // The reference: the same schema with QEMU's definitions in it, introspected by the front end alone.
        QapiSchema defined = Load(UserSchema + BuiltInCommands.Definitions);
        Assert.Empty(BuiltInCommands.Missing(defined));
        string reference = SchemaInfoJson.Write(SchemaInfoBuilder.Build(defined));

        Dictionary<string, string> mergedShapes = Shapes(merged);
        Assert.Equal(Shapes(reference), mergedShapes);
        Assert.Equal(["paint", "ping", "PAINTED", "EMPTY", "qmp_capabilities", "query-version", "query-commands", "query-qmp-schema"], mergedShapes.Keys);
        // The spec the generator emits from carries the same list.
        Assert.Equal(merged, SpecBuilder.Build(schema, "Test.Qapi").Introspection.Render(_ => false));
    }

    [Fact]
    public void ASchemaThatServesThemIsUnchanged()
    {
        QapiSchema defined = Load(UserSchema + BuiltInCommands.Definitions);
        SchemaSpec spec = SpecBuilder.Build(defined, "Test.Qapi");
        Assert.Empty(spec.BuiltIns);
        Assert.Equal(SchemaInfoJson.Write(SchemaInfoBuilder.Build(defined)), spec.Introspection.Render(_ => false));
    }

    [Fact]
    public void ASubsetThatLeavesOneOutGetsTheBuiltIn()
    {
        QapiSchema defined = Load(UserSchema + BuiltInCommands.Definitions);
        SchemaSpec spec = SpecBuilder.Build(defined, "Test.Qapi", null, new GenerationOptions(GenerationScope.Server, "ping;query-commands"));
        Assert.Equal(["query-version", "query-qmp-schema"], spec.BuiltIns);
        Assert.Equal(["ping", "qmp_capabilities", "query-commands"], spec.Commands.Select(c => c.Wire));
        Dictionary<string, string> shapes = Shapes(spec.Introspection.Render(_ => false));
        Assert.Equal(["ping", "qmp_capabilities", "query-commands", "query-version", "query-qmp-schema"], shapes.Keys);
    }

    [Fact]
    public void ASubsetMayNameABuiltInTheSchemaLacks()
    {
        // Only the pattern that matches nothing served is reported.
        Assert.Equal(["Commands pattern 'nope' matches no command of the schema"],
            new GenerationOptions(GenerationScope.Server, "ping;query-version;nope").Problems(Load(UserSchema)));
    }

    [Fact]
    public void AGuestAgentSchemaGetsNone()
    {
        QapiSchema agent = Load("""
            { 'pragma': { 'command-returns-exceptions': [ 'guest-sync-delimited' ] } }
            { 'command': 'guest-sync-delimited', 'data': { 'id': 'int' }, 'returns': 'int' }
            { 'command': 'guest-ping' }
            """);
        Assert.True(BuiltInCommands.IsGuestAgent(agent));
        SchemaSpec spec = SpecBuilder.Build(agent, "Test.Qapi");
        Assert.Empty(spec.BuiltIns);
        Assert.Equal(["guest-sync-delimited", "guest-ping"], Shapes(spec.Introspection.Render(_ => false)).Keys);
    }

    [Fact]
    public void UnmaskedAClashingTypeNameIsRenamed()
    {
        QapiSchema schema = Load("""
            { 'struct': 'VersionInfo', 'data': { 'mine': 'bool' } }
            { 'command': 'mine', 'returns': 'VersionInfo' }
            """);
        List<JsonElement> entries = JsonDocument.Parse(SchemaInfoJson.Write(BuiltInCommands.AddTo(
            SchemaInfoBuilder.Build(schema, unmask: true), BuiltInCommands.Missing(schema), unmask: true))).RootElement.EnumerateArray().ToList();
        JsonElement Entry(string name) => entries.Single(e => e.GetProperty("name").GetString() == name);
        Assert.Equal("VersionInfo", Entry("mine").GetProperty("ret-type").GetString());
        Assert.Equal("mine", Entry("VersionInfo").GetProperty("members")[0].GetProperty("name").GetString());
        Assert.Equal("builtin-VersionInfo", Entry("query-version").GetProperty("ret-type").GetString());
        Assert.Equal("qemu", Entry("builtin-VersionInfo").GetProperty("members")[0].GetProperty("name").GetString());
        Assert.Single(entries, e => e.GetProperty("name").GetString() == "q_empty");
    }

    /// <summary>
    /// Each command and event of a query-qmp-schema reply, in order, with the full structure of its types spelt out
    /// (masked names resolved), checking on the way that every name is listed once and every reference resolves.
    /// </summary>
    private static Dictionary<string, string> Shapes(string json)
    {
        var entries = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        var byName = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (JsonElement e in entries)
        {
            Assert.True(byName.TryAdd(e.GetProperty("name").GetString()!, e), "listed twice: " + e);
        }

        string Shape(string name, int depth)
        {
            Assert.True(byName.TryGetValue(name, out JsonElement e), $"'{name}' is used but not listed");
            if (depth > 8)
            {
                return "...";
            }
            string Members(string key, Func<JsonElement, string> one) =>
                e.TryGetProperty(key, out JsonElement ms) ? string.Join(",", ms.EnumerateArray().Select(one)) : "";
            return e.GetProperty("meta-type").GetString() switch
            {
                "builtin" => name,
                "array" => "[" + Shape(e.GetProperty("element-type").GetString()!, depth + 1) + "]",
                "enum" => "enum(" + Members("values", v => v.GetString()!) + ")",
                "alternate" => "alt(" + Members("members", m => Shape(m.GetProperty("type").GetString()!, depth + 1)) + ")",
                _ => "{" + Members("members", m => m.GetProperty("name").GetString() + (m.TryGetProperty("default", out _) ? "?" : "") + ":"
                        + Shape(m.GetProperty("type").GetString()!, depth + 1)
                        + (m.TryGetProperty("features", out JsonElement f) ? "#" + f : ""))
                    + (e.TryGetProperty("tag", out JsonElement tag) ? " tag " + tag.GetString() : "")
                    + Members("variants", v => v.GetProperty("case").GetString() + "=" + Shape(v.GetProperty("type").GetString()!, depth + 1)) + "}",
            };
        }

        var shapes = new Dictionary<string, string>();
        foreach (JsonElement e in entries.Where(e => e.GetProperty("meta-type").GetString() is "command" or "event"))
        {
            string shape = Shape(e.GetProperty("arg-type").GetString()!, 0);
            if (e.TryGetProperty("ret-type", out JsonElement ret))
            {
                shape += " -> " + Shape(ret.GetString()!, 0);
            }
            shapes.Add(e.GetProperty("name").GetString()!, shape);
        }
        // Every entry is reached from a command or event: nothing extra is listed.
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var work = new Stack<string>(shapes.Keys);
        while (work.Count > 0)
        {
            string name = work.Pop();
            if (!reached.Add(name))
            {
                continue;
            }
            JsonElement e = byName[name];
            foreach (string key in new[] { "arg-type", "ret-type", "element-type" })
            {
                if (e.TryGetProperty(key, out JsonElement t))
                {
                    work.Push(t.GetString()!);
                }
            }
            foreach (string list in new[] { "members", "variants" })
            {
                if (e.GetProperty("meta-type").GetString() != "enum" && e.TryGetProperty(list, out JsonElement ms))
                {
                    foreach (JsonElement m in ms.EnumerateArray())
                    {
                        work.Push(m.GetProperty("type").GetString()!);
                    }
                }
            }
        }
        Assert.Equal(byName.Keys.Order(StringComparer.Ordinal), reached.Order(StringComparer.Ordinal));
        return shapes;
    }
}
