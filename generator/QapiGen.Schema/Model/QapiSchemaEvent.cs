using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Model;

/// <summary>An event (QEMU's <c>QAPISchemaEvent</c>).</summary>
public sealed class QapiSchemaEvent : QapiSchemaEntity
{
    private readonly string? _argTypeName;

    public QapiSchemaEvent(string name, QapiSourceInfo? info, QapiDoc? doc, QapiSchemaIfCond? ifcond,
        IReadOnlyList<QapiSchemaFeature>? features, string? argTypeName, bool boxed)
        : base(name, info, doc, ifcond, features)
    {
        _argTypeName = argTypeName;
        Boxed = boxed;
    }

    public override string? Meta => "event";

    /// <summary>The event name (events always have one).</summary>
    public new string Name => base.Name!;

    /// <summary>The data type name as written (or the implicit <c>q_obj_NAME-arg</c>); null without 'data'.</summary>
    public string? ArgTypeName => _argTypeName;

    /// <summary>The data type; null when the event carries none. Available once checked.</summary>
    public QapiSchemaObjectType? ArgType { get; private set; }

    public bool Boxed { get; }

    internal override void Check(QapiSchema schema)
    {
        base.Check(schema);
        ArgType = ArgumentType.Resolve(schema, this, _argTypeName, Boxed);
    }

    internal override void ConnectDoc(QapiSchema schema, QapiDoc? doc = null)
    {
        base.ConnectDoc(schema, doc);
        doc ??= Doc;
        if (doc != null && ArgType != null && ArgType.IsImplicit)
        {
            ArgType.ConnectDoc(schema, doc);
        }
    }

    public override void Visit(IQapiSchemaVisitor visitor)
    {
        base.Visit(visitor);
        visitor.VisitEvent(Name, Info, IfCond, Features, ArgType, Boxed);
    }
}
