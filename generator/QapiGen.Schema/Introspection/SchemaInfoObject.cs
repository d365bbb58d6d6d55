using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;

namespace QapiGen.Schema.Introspection;

/// <summary>
/// meta-type <c>object</c>: a struct or union with its base members flattened in; unions add the
/// tag member's name and one variant per branch.
/// </summary>
public sealed class SchemaInfoObject : SchemaInfoEntry
{
    public SchemaInfoObject(string name, IReadOnlyList<SchemaInfoObjectMember> members, string? tag = null,
        IReadOnlyList<SchemaInfoVariant>? variants = null, IReadOnlyList<SchemaInfoFeature>? features = null,
        QapiSchemaIfCond? ifCond = null, string? schemaName = null, QapiSourceInfo? info = null)
        : base(name, features, ifCond, schemaName, info)
    {
        Members = members;
        Tag = tag;
        Variants = variants;
    }

    public override string MetaType => "object";

    public IReadOnlyList<SchemaInfoObjectMember> Members { get; }

    /// <summary>The tag member's name; null unless a union.</summary>
    public string? Tag { get; }

    /// <summary>The branches; null unless a union.</summary>
    public IReadOnlyList<SchemaInfoVariant>? Variants { get; }
}

/// <summary>A member of an object: optional members carry <c>"default": null</c> on the wire.</summary>
public sealed class SchemaInfoObjectMember
{
    public SchemaInfoObjectMember(string name, string type, bool optional, IReadOnlyList<SchemaInfoFeature>? features = null,
        QapiSchemaIfCond? ifCond = null, string? schemaType = null, QapiSourceInfo? info = null, string? definedIn = null)
    {
        Name = name;
        Type = type;
        Optional = optional;
        Features = features ?? System.Array.Empty<SchemaInfoFeature>();
        IfCond = ifCond ?? QapiSchemaIfCond.None;
        SchemaType = schemaType;
        Info = info;
        DefinedIn = definedIn;
    }

    public string Name { get; }

    /// <summary>The wire name of the member's type (all integer types are <c>int</c> there).</summary>
    public string Type { get; }

    public bool Optional { get; }
    public IReadOnlyList<SchemaInfoFeature> Features { get; }
    public QapiSchemaIfCond IfCond { get; }

    /// <summary>Annotation: the type as the schema names it (keeps e.g. <c>uint8</c> that the wire shows as <c>int</c>).</summary>
    public string? SchemaType { get; }

    /// <summary>Annotation: where the member was written.</summary>
    public QapiSourceInfo? Info { get; }

    /// <summary>Annotation: the schema type that defines the member (a base type's members are flattened in).</summary>
    public string? DefinedIn { get; }

    public override string ToString() => Name;
}

/// <summary>A union branch: the tag value and the object type holding the branch's members.</summary>
public sealed class SchemaInfoVariant
{
    public SchemaInfoVariant(string @case, string type, QapiSchemaIfCond? ifCond = null, QapiSourceInfo? info = null)
    {
        Case = @case;
        Type = type;
        IfCond = ifCond ?? QapiSchemaIfCond.None;
        Info = info;
    }

    public string Case { get; }
    public string Type { get; }
    public QapiSchemaIfCond IfCond { get; }
    public QapiSourceInfo? Info { get; }

    public override string ToString() => Case;
}
