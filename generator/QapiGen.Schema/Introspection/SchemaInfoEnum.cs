using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;

namespace QapiGen.Schema.Introspection;

/// <summary>meta-type <c>enum</c>: the values (the wire has them twice, as <c>members</c> and the deprecated <c>values</c>).</summary>
public sealed class SchemaInfoEnum : SchemaInfoEntry
{
    public SchemaInfoEnum(string name, IReadOnlyList<SchemaInfoEnumMember> members, IReadOnlyList<SchemaInfoFeature>? features = null,
        QapiSchemaIfCond? ifCond = null, string? schemaName = null, QapiSourceInfo? info = null)
        : base(name, features, ifCond, schemaName, info)
    {
        Members = members;
    }

    public override string MetaType => "enum";

    public IReadOnlyList<SchemaInfoEnumMember> Members { get; }
}

/// <summary>One value of an enum.</summary>
public sealed class SchemaInfoEnumMember
{
    public SchemaInfoEnumMember(string name, IReadOnlyList<SchemaInfoFeature>? features = null, QapiSchemaIfCond? ifCond = null)
    {
        Name = name;
        Features = features ?? System.Array.Empty<SchemaInfoFeature>();
        IfCond = ifCond ?? QapiSchemaIfCond.None;
    }

    public string Name { get; }
    public IReadOnlyList<SchemaInfoFeature> Features { get; }
    public QapiSchemaIfCond IfCond { get; }

    public override string ToString() => Name;
}
