using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;

namespace QapiGen.Schema.Introspection;

/// <summary>meta-type <c>array</c>: named <c>[ELEMENT]</c> after the element's wire name.</summary>
public sealed class SchemaInfoArray : SchemaInfoEntry
{
    public SchemaInfoArray(string name, string elementType, QapiSchemaIfCond? ifCond = null, string? schemaName = null, QapiSourceInfo? info = null)
        : base(name, null, ifCond, schemaName, info)
    {
        ElementType = elementType;
    }

    public override string MetaType => "array";

    /// <summary>The wire name of the element type.</summary>
    public string ElementType { get; }
}
