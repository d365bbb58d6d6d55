using QapiGen.Schema.Diagnostics;

namespace QapiGen.Schema.Introspection;

/// <summary>meta-type <c>builtin</c>: a built-in type and how its values are encoded in JSON.</summary>
public sealed class SchemaInfoBuiltin : SchemaInfoEntry
{
    public SchemaInfoBuiltin(string name, string jsonType, string? schemaName = null, QapiSourceInfo? info = null)
        : base(name, null, null, schemaName, info)
    {
        JsonType = jsonType;
    }

    public override string MetaType => "builtin";

    /// <summary>string, number, int, boolean, null, object, array or value.</summary>
    public string JsonType { get; }
}
