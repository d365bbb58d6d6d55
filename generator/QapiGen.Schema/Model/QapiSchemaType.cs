using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Naming;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Model;

/// <summary>A type: built-in, enum, array, object (struct or union) or alternate (QEMU's <c>QAPISchemaType</c>).</summary>
public abstract class QapiSchemaType : QapiSchemaEntity
{
    protected QapiSchemaType(string name, QapiSourceInfo? info, QapiDoc? doc,
        QapiSchemaIfCond? ifcond = null, IReadOnlyList<QapiSchemaFeature>? features = null)
        : base(name, info, doc, ifcond, features) { }

    /// <summary>The type name (types always have one).</summary>
    public new string Name => base.Name!;

    /// <summary>The C type for common use (<c>c_type()</c>).</summary>
    public abstract string CType { get; }

    /// <summary>The C type for parameters (<c>c_param_type()</c>).</summary>
    public virtual string CParamType => CType;

    /// <summary>The C type without pointer (<c>c_unboxed_type()</c>).</summary>
    public virtual string CUnboxedType => CType;

    /// <summary>The JSON type on the wire: <c>string</c>, <c>number</c>, <c>int</c>, <c>boolean</c>,
    /// <c>null</c>, <c>object</c>, <c>array</c> or <c>value</c> (anything).</summary>
    public abstract string JsonType { get; }

    /// <summary>The QType an alternate uses to pick this branch, or null when it cannot be a branch.</summary>
    public string? AlternateQType => JsonType switch
    {
        "null" => "QTYPE_QNULL",
        "string" => "QTYPE_QSTRING",
        "number" => "QTYPE_QNUM",
        "int" => "QTYPE_QNUM",
        "boolean" => "QTYPE_QBOOL",
        "array" => "QTYPE_QLIST",
        "object" => "QTYPE_QDICT",
        _ => null,
    };

    /// <summary>The name documentation uses for the type, or null for implicit types.</summary>
    public virtual string? DocType => IsImplicit ? null : Name;

    /// <summary>Whether an optional member of this type needs a separate <c>has_</c> flag in C.</summary>
    public virtual bool NeedHasIfOptional => !CType.EndsWith(QapiNaming.PointerSuffix, System.StringComparison.Ordinal);

    internal override void Check(QapiSchema schema)
    {
        base.Check(schema);
        foreach (QapiSchemaFeature feat in Features)
        {
            if (feat.IsSpecial)
            {
                throw new QapiSemError(Info, $"feature '{feat.Name}' is not supported for types");
            }
        }
    }

    public override string Describe() => $"{Meta} type '{Name}'";
}
