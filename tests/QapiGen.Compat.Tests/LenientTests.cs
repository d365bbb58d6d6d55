using System;
using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema;
using QapiGen.Schema.Checking;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Introspection;
using QapiGen.Schema.Model;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary>QEMU's older language loads with Lenient, and only then.</summary>
public sealed class LenientTests : IDisposable
{
    private readonly TempSchemas _t = new();

    public void Dispose() => _t.Dispose();

    private const string Old = """
        { "pragma": { "returns-whitelist": [ "get-count" ], "name-case-whitelist": [ "Legacy" ] } }
        { "struct": "Inet", "data": { "host": "str" } }
        { "struct": "Unix", "data": { "path": "str" }, "if": "defined(CONFIG_POSIX)" }
        { "union": "Address", "data": { "inet": "Inet", "unix": { "type": "Unix", "if": "defined(CONFIG_POSIX)" }, "many": [ "Inet" ] } }
        { "struct": "Legacy", "data": { "Upper_Case": "int" } }
        { "command": "connect_to", "data": { "addr": "Address", "*l": "Legacy" },
          "if": [ "defined(CONFIG_A)", "defined(CONFIG_B) || !defined(CONFIG_C)" ] }
        { "command": "get-count", "returns": "int" }
        """;

    private QapiSchema Load(string text, bool lenient)
        => QapiSchema.Load(_t.Write("old.json", text), null, new QapiSchemaOptions { Lenient = lenient });

    [Fact]
    public void StrictRejectsTheOlderLanguage()
    {
        QapiError e = Assert.ThrowsAny<QapiError>(() => Load(Old, lenient: false));
        Assert.Contains("unknown pragma 'returns-whitelist'", e.Message);
        Assert.ThrowsAny<QapiError>(() => Load("""{ "struct": "Aa", "data": { "a": "int" }, "if": "defined(CONFIG_X)" }""", lenient: false));
        Assert.ThrowsAny<QapiError>(() => Load("""{ "struct": "Aa", "data": { "a": "int" } } { "union": "Uu", "data": { "a": "Aa" } }""", lenient: false));
    }

    [Fact]
    public void SimpleUnionsDesugarAsOldQemuDid()
    {
        QapiSchema schema = Load(Old, lenient: true);
        var union = schema.LookupType("Address") as QapiSchemaObjectType;
        Assert.NotNull(union);
        Assert.Equal("type", union!.Variants!.TagMember.Name);
        Assert.Equal("AddressKind", union.Variants.TagMember.Type.Name);
        Assert.Equal(new[] { "inet", "unix", "many" }, ((QapiSchemaEnumType)union.Variants.TagMember.Type).MemberNames);
        var wrapper = (QapiSchemaObjectType)union.Variants.Variants.Single(v => v.Name == "unix").Type;
        Assert.Equal("q_obj_Unix-wrapper", wrapper.Name);
        Assert.Equal("data", wrapper.Members.Single().Name);
        Assert.Equal("CONFIG_POSIX", wrapper.IfCond.ToString()); // the wrapped type's condition
        Assert.Equal("q_obj_InetList-wrapper", union.Variants.Variants.Single(v => v.Name == "many").Type.Name);
    }

    [Fact]
    public void StringConditionsBecomeStructured()
    {
        QapiSchema schema = Load(Old, lenient: true);
        QapiSchemaCommand cmd = schema.LookupEntity<QapiSchemaCommand>("connect_to")!;
        Assert.Equal("{'all': ['CONFIG_A', {'any': ['CONFIG_B', {'not': 'CONFIG_C'}]}]}", cmd.IfCond.ToString());
    }

    [Fact]
    public void TheCurrentLanguageLoadsTheSameWithOrWithoutLenient()
    {
        const string current = """
            { "enum": "Ee", "data": [ "a", { "name": "b", "if": { "not": "CONFIG_X" } } ] }
            { "struct": "Ss", "data": { "e": "Ee" } }
            { "union": "Uu", "base": { "kind": "Ee" }, "discriminator": "kind", "data": { "a": "Ss" } }
            { "command": "do", "data": "Uu", "boxed": true }
            """;
        string strict = SchemaInfoJson.Write(SchemaInfoBuilder.Build(Load(current, lenient: false)));
        string lenient = SchemaInfoJson.Write(SchemaInfoBuilder.Build(Load(current, lenient: true)));
        Assert.Equal(strict, lenient);
    }

    [Fact]
    public void AnOldSimpleUnionAndItsFlatRewriteAreWireCompatible()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """
            { "struct": "Inet", "data": { "host": "str" } }
            { "union": "Address", "data": { "inet": "Inet" } }
            { "command": "connect", "data": { "addr": "Address" } }
            """,
            """
            { "struct": "Inet", "data": { "host": "str" } }
            { "struct": "InetWrapper", "data": { "data": "Inet" } }
            { "enum": "AddressType", "data": [ "inet" ] }
            { "union": "Address", "base": { "type": "AddressType" }, "discriminator": "type", "data": { "inet": "InetWrapper" } }
            { "command": "connect", "data": { "addr": "Address" } }
            """, lenient: true);
        Assert.Empty(findings);
    }
}
