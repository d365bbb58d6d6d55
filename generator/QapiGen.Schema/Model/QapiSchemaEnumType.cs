using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Naming;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Model;

/// <summary>An enumeration (QEMU's <c>QAPISchemaEnumType</c>).</summary>
public sealed class QapiSchemaEnumType : QapiSchemaType
{
    public QapiSchemaEnumType(string name, QapiSourceInfo? info, QapiDoc? doc, QapiSchemaIfCond? ifcond,
        IReadOnlyList<QapiSchemaFeature>? features, IReadOnlyList<QapiSchemaEnumMember> members, string? prefix)
        : base(name, info, doc, ifcond, features)
    {
        foreach (QapiSchemaEnumMember m in members)
        {
            m.SetDefinedIn(name);
        }

        Members = members;
        Prefix = prefix;
    }

    public override string? Meta => "enum";

    public IReadOnlyList<QapiSchemaEnumMember> Members { get; }

    /// <summary>The 'prefix' for C enum constants, if given.</summary>
    public string? Prefix { get; }

    public IEnumerable<string> MemberNames => Members.Select(m => m.Name);

    /// <summary>Only the predefined <c>QType</c> is implicit.</summary>
    public override bool IsImplicit => Name == "QType";

    public override string CType => QapiNaming.CName(Name);

    public override string JsonType => "string";

    internal override void Check(QapiSchema schema)
    {
        base.Check(schema);
        var seen = new OrderedMembers();
        foreach (QapiSchemaEnumMember m in Members)
        {
            m.CheckClash(Info, seen);
        }
    }

    internal override void ConnectDoc(QapiSchema schema, QapiDoc? doc = null)
    {
        base.ConnectDoc(schema, doc);
        doc ??= Doc;
        foreach (QapiSchemaEnumMember m in Members)
        {
            m.ConnectDoc(doc, schema);
        }
    }

    public override void Visit(IQapiSchemaVisitor visitor)
    {
        base.Visit(visitor);
        visitor.VisitEnumType(Name, Info, IfCond, Features, Members, Prefix);
    }
}
