using System;
using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Naming;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Model;

/// <summary>
/// An object type (QEMU's <c>QAPISchemaObjectType</c>): a struct has local members and an optional
/// base; a union has a base and variants and no local members. Implicit object types (names starting
/// with <c>q_</c>) hold the anonymous 'data' of commands and events (<c>q_obj_NAME-arg</c>), the
/// anonymous base of unions (<c>q_obj_NAME-base</c>), and the empty type <c>q_empty</c>.
/// </summary>
public sealed class QapiSchemaObjectType : QapiSchemaType
{
    private readonly string? _baseName;
    private QapiSchemaObjectType? _base;
    private IReadOnlyList<QapiSchemaObjectTypeMember>? _members;

    public QapiSchemaObjectType(string name, QapiSourceInfo? info, QapiDoc? doc, QapiSchemaIfCond? ifcond,
        IReadOnlyList<QapiSchemaFeature>? features, string? baseName,
        IReadOnlyList<QapiSchemaObjectTypeMember> localMembers, QapiSchemaVariants? variants)
        : base(name, info, doc, ifcond, features)
    {
        foreach (var m in localMembers)
            m.SetDefinedIn(name);
        variants?.SetDefinedIn(name);
        _baseName = baseName;
        LocalMembers = localMembers;
        Variants = variants;
    }

    /// <summary><c>union</c> when it has variants, else <c>struct</c>.</summary>
    public override string? Meta => Variants != null ? "union" : "struct";

    public bool IsUnion => Variants != null;

    /// <summary>The base type name as written (or the implicit <c>q_obj_…-base</c>), if any.</summary>
    public string? BaseName => _baseName;

    /// <summary>The resolved base type; null when there is none (available once checked).</summary>
    public QapiSchemaObjectType? Base
    {
        get
        {
            if (_baseName != null && _base == null)
                throw new InvalidOperationException($"{this} is not checked yet");
            return _base;
        }
    }

    /// <summary>The members defined here, without the base's.</summary>
    public IReadOnlyList<QapiSchemaObjectTypeMember> LocalMembers { get; }

    /// <summary>All members in order: the base's (recursively), then the local ones. Available once checked.</summary>
    public IReadOnlyList<QapiSchemaObjectTypeMember> Members
        => _members ?? throw new InvalidOperationException($"{this} is not checked yet");

    /// <summary>The tag and branches of a union; null for structs.</summary>
    public QapiSchemaVariants? Variants { get; }

    /// <summary>Implicit object types are those the front end names <c>q_…</c>.</summary>
    public override bool IsImplicit => Name.StartsWith("q_", StringComparison.Ordinal);

    /// <summary>No members and no variants.</summary>
    public bool IsEmpty => Members.Count == 0 && Variants == null;

    public bool HasConditionalMembers => Members.Any(m => m.IfCond.IsPresent);

    public override string CName
    {
        get
        {
            if (Name == "q_empty")
                throw new InvalidOperationException("q_empty has no C name");
            return base.CName;
        }
    }

    public override string CType
    {
        get
        {
            if (IsImplicit)
                throw new InvalidOperationException($"implicit type {Name} has no C type");
            return QapiNaming.CName(Name) + QapiNaming.PointerSuffix;
        }
    }

    public override string CUnboxedType => QapiNaming.CName(Name);

    public override string JsonType => "object";

    internal override void Check(QapiSchema schema)
    {
        // This checks another type T exactly when the C struct of this one contains T's
        // (pointers don't count), so a cycle means a struct containing itself.
        if (_members != null)
            return; // a previous Check() completed
        if (IsChecked)
            throw new QapiSemError(Info, $"object {Name} contains itself");

        base.Check(schema);

        var seen = new OrderedMembers();
        if (_baseName != null)
        {
            var baseType = schema.ResolveType(_baseName, Info, "'base'");
            if (baseType is not QapiSchemaObjectType objBase || objBase.Variants != null)
                throw new QapiSemError(Info, $"'base' requires a struct type, {baseType.Describe()} isn't");
            _base = objBase;
            objBase.Check(schema);
            objBase.CheckClash(Info, seen);
        }
        foreach (var m in LocalMembers)
        {
            m.Check(schema);
            m.CheckClash(Info, seen);
        }
        var members = seen.Values.Cast<QapiSchemaObjectTypeMember>().ToList();

        if (Variants != null)
        {
            Variants.Check(schema, seen);
            Variants.CheckClash(Info, seen);
        }

        _members = members; // mark completed
    }

    /// <summary>Checks that the members do not cause duplicate JSON members, updating <paramref name="seen"/>;
    /// errors are reported on behalf of <paramref name="info"/>.</summary>
    internal void CheckClash(QapiSourceInfo? info, OrderedMembers seen)
    {
        foreach (var m in Members)
            m.CheckClash(info, seen);
        Variants?.CheckClash(info, seen);
    }

    internal override void ConnectDoc(QapiSchema schema, QapiDoc? doc = null)
    {
        base.ConnectDoc(schema, doc);
        doc ??= Doc;
        if (_base != null && _base.IsImplicit)
            _base.ConnectDoc(schema, doc);
        foreach (var m in LocalMembers)
            m.ConnectDoc(doc, schema);
    }

    public override void Visit(IQapiSchemaVisitor visitor)
    {
        base.Visit(visitor);
        visitor.VisitObjectType(Name, Info, IfCond, Features, Base, LocalMembers, Variants);
        visitor.VisitObjectTypeFlat(Name, Info, IfCond, Features, Members, Variants);
    }
}
