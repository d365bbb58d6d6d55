using System;
using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema;
using QapiGen.Schema.Checking;
using QapiGen.Schema.Introspection;
using QapiGen.Schema.Model;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary>The port of introspect.py: order, masking, conditions and the exact text QEMU sends.</summary>
public sealed class IntrospectionTests : IDisposable
{
    private readonly TempSchemas _t = new();

    public void Dispose() => _t.Dispose();

    private const string Sample = """
        { "enum": "Color", "data": [ "red", { "name": "blue", "if": "CONFIG_BLUE" } ] }
        { "struct": "Paint", "data": { "color": "Color", "*depth": "uint8", "layers": [ "int16" ] },
          "features": [ "glossy" ] }
        { "command": "paint", "data": { "p": "Paint", "*note": "str" }, "returns": [ "Paint" ], "allow-oob": true }
        { "event": "DRY", "data": { "p": "Paint" }, "if": "CONFIG_DRY" }
        { "struct": "Unused", "data": { "x": "int" } }
        """;

    private QapiSchema Load(string text) => QapiSchema.Load(_t.Write("s.json", text), null, new QapiSchemaOptions());

    [Fact]
    public void JsonIsQemusText()
    {
        string json = SchemaInfoJson.Write(SchemaInfoBuilder.Build(Load(Sample)));
        // Commands and events first, in definition order; then types in order of first use; numbers by first use;
        // integer types and arrays of them collapse to int / [int]; keys in QEMU's hash order.
        Assert.Equal(
            "[{\"name\": \"paint\", \"ret-type\": \"[1]\", \"allow-oob\": true, \"meta-type\": \"command\", \"arg-type\": \"0\"}, "
            + "{\"name\": \"DRY\", \"meta-type\": \"event\", \"arg-type\": \"2\"}, "
            + "{\"name\": \"0\", \"members\": [{\"name\": \"p\", \"type\": \"1\"}, {\"name\": \"note\", \"default\": null, \"type\": \"str\"}], \"meta-type\": \"object\"}, "
            + "{\"name\": \"[1]\", \"element-type\": \"1\", \"meta-type\": \"array\"}, "
            + "{\"name\": \"1\", \"members\": [{\"name\": \"color\", \"type\": \"3\"}, {\"name\": \"depth\", \"default\": null, \"type\": \"int\"}, {\"name\": \"layers\", \"type\": \"[int]\"}], \"meta-type\": \"object\", \"features\": [\"glossy\"]}, "
            + "{\"name\": \"2\", \"members\": [{\"name\": \"p\", \"type\": \"1\"}], \"meta-type\": \"object\"}, "
            + "{\"name\": \"str\", \"json-type\": \"string\", \"meta-type\": \"builtin\"}, "
            + "{\"name\": \"3\", \"members\": [{\"name\": \"red\"}, {\"name\": \"blue\"}], \"meta-type\": \"enum\", \"values\": [\"red\", \"blue\"]}, "
            + "{\"name\": \"int\", \"json-type\": \"int\", \"meta-type\": \"builtin\"}, "
            + "{\"name\": \"[int]\", \"element-type\": \"int\", \"meta-type\": \"array\"}]",
            json);
    }

    [Fact]
    public void ConditionsAreKeptOrResolvedAndMaskedNamesDoNotMove()
    {
        IReadOnlyList<SchemaInfoEntry> entries = SchemaInfoBuilder.Build(Load(Sample));
        Assert.Equal("CONFIG_DRY", entries.OfType<SchemaInfoEvent>().Single().IfCond.ToString());

        IReadOnlyList<SchemaInfoEntry> resolved = SchemaInfoBuilder.Build(Load(Sample), SchemaInfoBuilder.Defined(_ => false));
        Assert.Empty(resolved.OfType<SchemaInfoEvent>());
        SchemaInfoEnum color = resolved.OfType<SchemaInfoEnum>().Single();
        Assert.Equal("3", color.Name); // numbering happened with every condition present, as in QEMU
        Assert.Equal(new[] { "red" }, color.Members.Select(m => m.Name));

        string text = SchemaInfoJson.Write(entries, SchemaInfoBuilder.Defined(s => s == "CONFIG_BLUE"));
        Assert.DoesNotContain("DRY", text);
        Assert.Contains("\"values\": [\"red\", \"blue\"]", text);
    }

    [Fact]
    public void UnmaskedNamesAreSchemaNames()
    {
        IReadOnlyList<SchemaInfoEntry> entries = SchemaInfoBuilder.Build(Load(Sample), unmask: true);
        Assert.Contains(entries, e => e.Name == "q_obj_paint-arg");
        Assert.Contains(entries, e => e.Name == "[Paint]");
        Assert.DoesNotContain(entries, e => e.SchemaName == "Unused");
    }

    [Fact]
    public void QemuDictOrderIsTdbHashBuckets()
    {
        Assert.Equal(new[] { "name", "ret-type", "meta-type", "arg-type" },
            QemuDictOrder.Order(new[] { "arg-type", "meta-type", "name", "ret-type" }));
        Assert.Equal(new[] { "return" }, QemuDictOrder.Order(new[] { "return" }));
    }

    [Fact]
    public void SchemaAndItsOwnIntrospectionHaveNoDifferences()
    {
        string schema = _t.Write("s.json", Sample);
        string reply = _t.WriteRaw("reply.json", _t.IntrospectionOf(schema));
        IReadOnlyList<Finding> findings = CompatChecker.Compare(SchemaSnapshotLoader.Load(schema, false), SchemaSnapshotLoader.Load(reply, false));
        Assert.Empty(findings);
        findings = CompatChecker.Compare(SchemaSnapshotLoader.Load(reply, false), SchemaSnapshotLoader.Load(schema, false));
        Assert.Empty(findings);
    }

    [Fact]
    public void ABareArrayAndAReturnWrapperBothLoad()
    {
        string schema = _t.Write("s.json", Sample);
        IReadOnlyList<SchemaInfoEntry> entries = SchemaSnapshotLoader.Load(schema, false).Entries;
        SchemaSnapshot bare = SchemaSnapshotLoader.Load(_t.WriteRaw("bare.json", SchemaInfoJson.Write(entries)), false);
        SchemaSnapshot wrapped = SchemaSnapshotLoader.Load(_t.WriteRaw("wrapped.json", "  " + SchemaInfoJson.WriteReply(entries) + "\n"), false);
        Assert.False(bare.FromSchema);
        Assert.Equal(bare.Entries.Count, wrapped.Entries.Count);
        Assert.Empty(CompatChecker.Compare(bare, wrapped));
    }
}
