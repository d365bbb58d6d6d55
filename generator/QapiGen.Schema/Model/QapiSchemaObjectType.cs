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
    // Set once Check() completed: how many members the type has with its bases', whether any is
    // conditional, and (built on first use) the flat list of them.
    private bool _completed;
    private int _memberCount;
    private bool _hasConditionalMembers;
    private IReadOnlyList<QapiSchemaObjectTypeMember>? _members;
    // Structs only: the number of bases above, and the index of member names that clash checks
    // of types extending this one consult (see MemberIndex).
    private int _depth;
    private MemberIndex? _index;
    // Unions only: how many unions deep the branches go (1: no branch is a union).
    private int _unionNesting;

    /// <summary>
    /// How deep unions may nest through their branches (a branch whose type is a union whose
    /// branch...). Checks, clash checks and what reads the model walk that nesting recursively; real
    /// schemas nest two or three levels. Base chains and include chains have no such bound.
    /// </summary>
    public const int MaxUnionNesting = 200;

    internal static QapiSemError NestedTooDeep(QapiSourceInfo? info)
        => new(info, $"unions nest more than {MaxUnionNesting} levels deep through their branches");

    public QapiSchemaObjectType(string name, QapiSourceInfo? info, QapiDoc? doc, QapiSchemaIfCond? ifcond,
        IReadOnlyList<QapiSchemaFeature>? features, string? baseName,
        IReadOnlyList<QapiSchemaObjectTypeMember> localMembers, QapiSchemaVariants? variants)
        : base(name, info, doc, ifcond, features)
    {
        // Indexed loops over the member lists: foreach over an IReadOnlyList boxes an enumerator per loop.
        IReadOnlyList<QapiSchemaObjectTypeMember> localList = localMembers;
        for (int mi = 0; mi < localList.Count; mi++)
        {
            QapiSchemaObjectTypeMember m = localList[mi];
            m.SetDefinedIn(name);
        }

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
            {
                throw new InvalidOperationException($"{this} is not checked yet");
            }

            return _base;
        }
    }

    /// <summary>The members defined here, without the base's.</summary>
    public IReadOnlyList<QapiSchemaObjectTypeMember> LocalMembers { get; }

    /// <summary>All members in order: the base's (recursively), then the local ones. Available once checked.</summary>
    /// <remarks>
    /// Built on first use and kept: a type at the end of a long base chain holds every member of the
    /// chain, so the lists of all the types of a chain would take memory quadratic in its length.
    /// </remarks>
    public IReadOnlyList<QapiSchemaObjectTypeMember> Members
    {
        get
        {
            if (!_completed)
            {
                throw new InvalidOperationException($"{this} is not checked yet");
            }

            return _members ??= FlattenMembers();
        }
    }

    private List<QapiSchemaObjectTypeMember> FlattenMembers()
    {
        // The types whose local members are added, this one and its bases down to the first that has
        // its members already (t), deepest first. Most chains are a type or two: they are walked again
        // per level instead of listed (a list per type was a tenth of what building the model allocated);
        // a long chain is listed, so it stays linear.
        int depth = 0;
        QapiSchemaObjectType? t = this;
        for (; t != null && t._members == null; t = t._base)
        {
            depth++;
        }

        var result = new List<QapiSchemaObjectTypeMember>(_memberCount);
        if (t != null)
        {
            result.AddRange(t._members!);
        }

        if (depth <= 8)
        {
            for (int level = depth - 1; level >= 0; level--)
            {
                QapiSchemaObjectType u = this;
                for (int i = 0; i < level; i++)
                {
                    u = u._base!;
                }

                result.AddRange(u.LocalMembers);
            }
            return result;
        }

        var chain = new List<QapiSchemaObjectType>(depth);
        for (QapiSchemaObjectType u = this; u != t; u = u._base!)
        {
            chain.Add(u);
        }

        for (int i = chain.Count - 1; i >= 0; i--)
        {
            result.AddRange(chain[i].LocalMembers);
        }

        return result;
    }

    /// <summary>The tag and branches of a union; null for structs.</summary>
    public QapiSchemaVariants? Variants { get; }

    /// <summary>Implicit object types are those the front end names <c>q_…</c>.</summary>
    public override bool IsImplicit => Name.StartsWith("q_", StringComparison.Ordinal);

    /// <summary>No members and no variants.</summary>
    public bool IsEmpty => MemberCount == 0 && Variants == null;

    public bool HasConditionalMembers => _completed ? _hasConditionalMembers : throw new InvalidOperationException($"{this} is not checked yet");

    private int MemberCount => _completed ? _memberCount : throw new InvalidOperationException($"{this} is not checked yet");

    public override string CName
    {
        get
        {
            if (Name == "q_empty")
            {
                throw new InvalidOperationException("q_empty has no C name");
            }

            return base.CName;
        }
    }

    public override string CType
    {
        get
        {
            if (IsImplicit)
            {
                throw new InvalidOperationException($"implicit type {Name} has no C type");
            }

            return QapiNaming.CName(Name) + QapiNaming.PointerSuffix;
        }
    }

    public override string CUnboxedType => QapiNaming.CName(Name);

    public override string JsonType => "object";

    internal override void Check(QapiSchema schema)
    {
        // This checks another type T exactly when the C struct of this one contains T's
        // (pointers don't count), so a cycle means a struct containing itself.
        if (_completed)
        {
            return; // a previous Check() completed
        }

        if (IsChecked)
        {
            throw new QapiSemError(Info, $"object {Name} contains itself");
        }

        // The reference recurses into the base's check between resolving the base and checking the
        // members. That order (and so which error comes first) is kept, without recursion: walk down
        // the chain of bases not checked yet, then complete them from the deepest one up. A chain
        // of any length takes no stack.
        // The bases are listed only when there are any to check (a list per type was made before).
        List<QapiSchemaObjectType>? bases = null;
        for (QapiSchemaObjectType t = this; ; )
        {
            t.CheckUpToBase(schema);
            if (t != this)
            {
                (bases ??= new List<QapiSchemaObjectType>()).Add(t);
            }

            QapiSchemaObjectType? b = t._base;
            if (b == null || b._completed)
            {
                break;
            }

            if (b.IsChecked)
            {
                throw new QapiSemError(b.Info, $"object {b.Name} contains itself");
            }

            t = b;
        }
        for (int i = (bases?.Count ?? 0) - 1; i >= 0; i--)
        {
            bases![i].CompleteCheck(schema);
        }
        CompleteCheck(schema);
    }

    /// <summary>The checks before the base's: the entity's own, and the base resolved.</summary>
    private void CheckUpToBase(QapiSchema schema)
    {
        base.Check(schema);
        if (_baseName != null)
        {
            QapiSchemaType baseType = schema.ResolveType(_baseName, Info, "'base'");
            if (baseType is not QapiSchemaObjectType objBase || objBase.Variants != null)
            {
                throw new QapiSemError(Info, $"'base' requires a struct type, {baseType.Describe()} isn't");
            }

            _base = objBase;
        }
    }

    /// <summary>The checks after the base's: members and their clashes, variants.</summary>
    private void CompleteCheck(QapiSchema schema)
    {
        if (Variants == null)
        {
            CompleteStructCheck(schema);
            return;
        }
        var seen = new OrderedMembers();
        _base?.CheckClash(Info, seen);
        IReadOnlyList<QapiSchemaObjectTypeMember> localList = LocalMembers;
        for (int mi = 0; mi < localList.Count; mi++)
        {
            QapiSchemaObjectTypeMember m = localList[mi];
            m.Check(schema);
            m.CheckClash(Info, seen);
        }
        var members = seen.Values.Cast<QapiSchemaObjectTypeMember>().ToList();
        Variants.Check(schema, seen);
        if (Variants.TagName != null)
        {
            // Branches checked earlier on their own count too: the clash check below walks them all.
            _unionNesting = 1 + Variants.Variants.Max(v => v.Type is QapiSchemaObjectType t ? t._unionNesting : 0);
            if (_unionNesting > MaxUnionNesting)
            {
                throw NestedTooDeep(Info);
            }
        }
        Variants.CheckClash(Info, seen);
        _members = members;
        _memberCount = members.Count;
        _hasConditionalMembers = members.Any(m => m.IfCond.IsPresent);
        _completed = true;
    }

    /// <summary>
    /// A struct's members are checked against its bases' through an index of member names, not by
    /// listing the bases' members again (which made a chain of N bases take N² steps). The result,
    /// including the first clash reported, is the reference's: the bases' members have no clash among
    /// themselves (their own checks passed), so the first clash is the first local member whose name
    /// an inherited or earlier local member has.
    /// </summary>
    private void CompleteStructCheck(QapiSchema schema)
    {
        _depth = _base == null ? 0 : _base._depth + 1;
        _index = MemberIndex.Extend(_base, this);
        IReadOnlyList<QapiSchemaObjectTypeMember> localList = LocalMembers;
        for (int mi = 0; mi < localList.Count; mi++)
        {
            QapiSchemaObjectTypeMember m = localList[mi];
            m.Check(schema);
            QapiSchemaMember? other = _index.Find(m.CName, _depth);
            if (other != null)
            {
                throw new QapiSemError(Info, $"{m.Describe(Info)} collides with {other.Describe(Info)}");
            }

            _index.Add(m, _depth);
        }
        _memberCount = (_base?._memberCount ?? 0) + LocalMembers.Count;
        _hasConditionalMembers = (_base?._hasConditionalMembers ?? false) || LocalMembers.Any(m => m.IfCond.IsPresent);
        _completed = true;
    }

    /// <summary>
    /// The members of a struct and its bases by C name. A struct shares its base's index when it is
    /// the first to extend that base, adding its own members (each entry records the depth of the
    /// struct that defines it, so the base still sees only its own); a second struct extending the
    /// same base copies the base's part. A chain of bases thus takes time and memory linear in its
    /// members; a base extended by many structs is copied once per extra struct.
    /// </summary>
    private sealed class MemberIndex
    {
        private readonly Dictionary<string, (QapiSchemaMember Member, int Depth)> _byCName;
        private QapiSchemaObjectType _owner;

        private MemberIndex(QapiSchemaObjectType owner, Dictionary<string, (QapiSchemaMember, int)> byCName)
        {
            _owner = owner;
            _byCName = byCName;
        }

        public static MemberIndex Extend(QapiSchemaObjectType? @base, QapiSchemaObjectType type)
        {
            if (@base == null)
            {
                // Sized for the members it will hold: grown step by step, its table was made several times over.
                return new MemberIndex(type, new Dictionary<string, (QapiSchemaMember, int)>(type.LocalMembers.Count, StringComparer.Ordinal));
            }

            MemberIndex index = @base._index!;
            if (index._owner == @base)
            {
                // Nothing deeper than the base is in the index: take it over.
                index._owner = type;
                return index;
            }
            var copy = new Dictionary<string, (QapiSchemaMember, int)>(@base._memberCount + type.LocalMembers.Count, StringComparer.Ordinal);
            foreach (KeyValuePair<string, (QapiSchemaMember Member, int Depth)> kv in index._byCName)
            {
                if (kv.Value.Depth <= @base._depth)
                {
                    copy.Add(kv.Key, kv.Value);
                }
            }
            return new MemberIndex(type, copy);
        }

        /// <summary>The member named <paramref name="cname"/> defined at depth <paramref name="maxDepth"/> or above.</summary>
        public QapiSchemaMember? Find(string cname, int maxDepth)
            => _byCName.TryGetValue(cname, out (QapiSchemaMember Member, int Depth) e) && e.Depth <= maxDepth ? e.Member : null;

        public void Add(QapiSchemaMember member, int depth) => _byCName[member.CName] = (member, depth);
    }

    /// <summary>Checks that the members do not cause duplicate JSON members, updating <paramref name="seen"/>;
    /// errors are reported on behalf of <paramref name="info"/>.</summary>
    internal void CheckClash(QapiSourceInfo? info, OrderedMembers seen)
    {
        IReadOnlyList<QapiSchemaObjectTypeMember> memberList = Members;
        for (int mi = 0; mi < memberList.Count; mi++)
        {
            QapiSchemaObjectTypeMember m = memberList[mi];
            m.CheckClash(info, seen);
        }

        Variants?.CheckClash(info, seen);
    }

    internal override void ConnectDoc(QapiSchema schema, QapiDoc? doc = null)
    {
        base.ConnectDoc(schema, doc);
        doc ??= Doc;
        if (_base != null && _base.IsImplicit)
        {
            _base.ConnectDoc(schema, doc);
        }

        IReadOnlyList<QapiSchemaObjectTypeMember> localList = LocalMembers;
        for (int mi = 0; mi < localList.Count; mi++)
        {
            QapiSchemaObjectTypeMember m = localList[mi];
            m.ConnectDoc(doc, schema);
        }
    }

    public override void Visit(IQapiSchemaVisitor visitor)
    {
        base.Visit(visitor);
        visitor.VisitObjectType(Name, Info, IfCond, Features, Base, LocalMembers, Variants);
        // Flat members are listed only if the visitor reads them (most types' are never read).
        visitor.VisitObjectTypeFlat(Name, Info, IfCond, Features, new LazyMembers(this), Variants);
    }

    /// <summary>The flat members of a checked type, built when first read.</summary>
    private sealed class LazyMembers : IReadOnlyList<QapiSchemaObjectTypeMember>
    {
        private readonly QapiSchemaObjectType _type;

        public LazyMembers(QapiSchemaObjectType type) => _type = type;

        public int Count => _type.MemberCount;

        public QapiSchemaObjectTypeMember this[int index] => _type.Members[index];

        public IEnumerator<QapiSchemaObjectTypeMember> GetEnumerator() => _type.Members.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
