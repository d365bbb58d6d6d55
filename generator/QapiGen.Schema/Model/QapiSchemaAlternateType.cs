using System.Collections.Generic;
using System.Text.RegularExpressions;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Naming;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Model;

/// <summary>
/// An alternate (QEMU's <c>QAPISchemaAlternateType</c>): a value of one of several types, told apart
/// by its JSON type. The implicit tag member <c>type</c> is of enum <c>QType</c>.
/// </summary>
public sealed class QapiSchemaAlternateType : QapiSchemaType
{
    private static readonly Regex NumberLike = new("^[-+0-9.]", RegexOptions.CultureInvariant);

    public QapiSchemaAlternateType(string name, QapiSourceInfo? info, QapiDoc? doc, QapiSchemaIfCond? ifcond,
        IReadOnlyList<QapiSchemaFeature>? features, QapiSchemaVariants variants)
        : base(name, info, doc, ifcond, features)
    {
        variants.SetDefinedIn(name);
        variants.TagMember.SetDefinedIn(name);
        Variants = variants;
    }

    public override string? Meta => "alternate";

    public QapiSchemaVariants Variants { get; }

    public override string CType => QapiNaming.CName(Name) + QapiNaming.PointerSuffix;

    public override string JsonType => "value";

    internal override void Check(QapiSchema schema)
    {
        base.Check(schema);
        Variants.TagMember.Check(schema);
        // Not calling Variants.CheckClash(), because there's nothing to clash with.
        Variants.Check(schema, new OrderedMembers());
        // Alternate branch names have no relation to the tag enum values, so check for
        // potential name collisions here.
        var seen = new OrderedMembers();
        var typesSeen = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (QapiSchemaVariant v in Variants.Variants)
        {
            v.CheckClash(Info, seen);
            string qtype = v.Type.AlternateQType
                ?? throw new QapiSemError(Info, $"{v.Describe(Info)} cannot use {v.Type.Describe()}");
            var conflicting = new List<string> { qtype };
            if (qtype == "QTYPE_QSTRING")
            {
                if (v.Type is QapiSchemaEnumType enumType)
                {
                    foreach (QapiSchemaEnumMember m in enumType.Members)
                    {
                        if (m.Name == "on" || m.Name == "off")
                        {
                            AddOnce(conflicting, "QTYPE_QBOOL");
                        }

                        if (NumberLike.IsMatch(m.Name))
                        {
                            AddOnce(conflicting, "QTYPE_QNUM"); // lazy, could be tightened
                        }
                    }
                }
                else
                {
                    AddOnce(conflicting, "QTYPE_QNUM");
                    AddOnce(conflicting, "QTYPE_QBOOL");
                }
            }
            foreach (string qt in conflicting)
            {
                if (typesSeen.TryGetValue(qt, out string? other))
                {
                    throw new QapiSemError(Info, $"{v.Describe(Info)} can't be distinguished from '{other}'");
                }

                typesSeen[qt] = v.Name;
            }
        }
    }

    private static void AddOnce(List<string> list, string item)
    {
        if (!list.Contains(item))
        {
            list.Add(item);
        }
    }

    internal override void ConnectDoc(QapiSchema schema, QapiDoc? doc = null)
    {
        base.ConnectDoc(schema, doc);
        doc ??= Doc;
        foreach (QapiSchemaVariant v in Variants.Variants)
        {
            v.ConnectDoc(doc, schema);
        }
    }

    public override void Visit(IQapiSchemaVisitor visitor)
    {
        base.Visit(visitor);
        visitor.VisitAlternateType(Name, Info, IfCond, Features, Variants);
    }
}
