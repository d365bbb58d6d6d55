using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;

namespace QapiGen.Schema.Introspection;

/// <summary>meta-type <c>alternate</c>: a value is of exactly one of the member types, told apart by JSON type.</summary>
public sealed class SchemaInfoAlternate : SchemaInfoEntry
{
    public SchemaInfoAlternate(string name, IReadOnlyList<SchemaInfoAlternative> members, IReadOnlyList<SchemaInfoFeature>? features = null,
        QapiSchemaIfCond? ifCond = null, string? schemaName = null, QapiSourceInfo? info = null)
        : base(name, features, ifCond, schemaName, info)
    {
        Members = members;
    }

    public override string MetaType => "alternate";

    public IReadOnlyList<SchemaInfoAlternative> Members { get; }
}

/// <summary>One branch of an alternate. The wire shows only its type; the branch name is an annotation.</summary>
public sealed class SchemaInfoAlternative
{
    public SchemaInfoAlternative(string type, QapiSchemaIfCond? ifCond = null, string? schemaName = null, string? schemaType = null)
    {
        Type = type;
        IfCond = ifCond ?? QapiSchemaIfCond.None;
        SchemaName = schemaName;
        SchemaType = schemaType;
    }

    public string Type { get; }
    public QapiSchemaIfCond IfCond { get; }

    /// <summary>Annotation: the branch name in the schema.</summary>
    public string? SchemaName { get; }

    /// <summary>Annotation: the type as the schema names it.</summary>
    public string? SchemaType { get; }

    public override string ToString() => Type;
}
