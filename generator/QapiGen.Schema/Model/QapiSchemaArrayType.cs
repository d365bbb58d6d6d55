using System;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Naming;

namespace QapiGen.Schema.Model;

/// <summary>An array type <c>[T]</c>, named <c>TList</c>; always implicit (QEMU's <c>QAPISchemaArrayType</c>).</summary>
public sealed class QapiSchemaArrayType : QapiSchemaType
{
    private readonly string _elementTypeName;
    private QapiSchemaType? _elementType;

    public QapiSchemaArrayType(string name, QapiSourceInfo? info, string elementTypeName)
        : base(name, info, null)
    {
        _elementTypeName = elementTypeName;
    }

    public override string? Meta => "array";

    public string ElementTypeName => _elementTypeName;

    /// <summary>The resolved element type; available once the schema is checked.</summary>
    public QapiSchemaType ElementType => _elementType ?? throw new InvalidOperationException($"{this} is not checked yet");

    /// <summary>An array's condition is its element type's.</summary>
    public override QapiSchemaIfCond IfCond
    {
        get
        {
            if (!IsChecked)
            {
                throw new InvalidOperationException($"{this} is not checked yet");
            }

            return ElementType.IfCond;
        }
    }

    public override bool IsImplicit => true;

    /// <summary>Arrays need <c>has_</c> to tell absent from present and empty.</summary>
    public override bool NeedHasIfOptional => true;

    public override string CType => QapiNaming.CName(Name) + QapiNaming.PointerSuffix;

    public override string JsonType => "array";

    public override string? DocType
    {
        get
        {
            string? elt = ElementType.DocType;
            return elt == null ? null : "array of " + elt;
        }
    }

    internal override void Check(QapiSchema schema)
    {
        base.Check(schema);
        _elementType = schema.ResolveType(_elementTypeName, Info, Info?.DefnMeta);
        if (_elementType is QapiSchemaArrayType)
        {
            throw new InvalidOperationException("array of array");
        }
    }

    internal override void SetModule(QapiSchema schema) => SetModuleFrom(schema, ElementType.Info);

    public override void Visit(IQapiSchemaVisitor visitor)
    {
        base.Visit(visitor);
        visitor.VisitArrayType(Name, Info, IfCond, ElementType);
    }

    public override string Describe() => $"{Meta} type ['{_elementTypeName}']";
}
