namespace QapiGen.Schema.Model;

/// <summary>A built-in type: <c>str</c>, <c>int</c> and its sized variants, <c>number</c>, <c>bool</c>,
/// <c>size</c>, <c>any</c>, <c>null</c> (QEMU's <c>QAPISchemaBuiltinType</c>).</summary>
public sealed class QapiSchemaBuiltinType : QapiSchemaType
{
    private readonly string _jsonType;
    private readonly string _cType;

    public QapiSchemaBuiltinType(string name, string jsonType, string cType)
        : base(name, null, null)
    {
        _jsonType = jsonType;
        _cType = cType;
    }

    public override string? Meta => "built-in";

    public override string CName => Name;

    public override string CType => _cType;

    public override string CParamType => Name == "str" ? "const " + _cType : _cType;

    public override string JsonType => _jsonType;

    public override string? DocType => JsonType;

    public override void Visit(IQapiSchemaVisitor visitor)
    {
        base.Visit(visitor);
        visitor.VisitBuiltinType(Name, Info, JsonType);
    }
}
