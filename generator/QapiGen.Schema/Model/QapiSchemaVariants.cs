using System;
using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Naming;

namespace QapiGen.Schema.Model;

/// <summary>
/// The tag member and branches of a union or alternate (QEMU 8.2's <c>QAPISchemaVariants</c>).
/// Unions name their tag (the discriminator, a member of the base); alternates get an implicit
/// tag member <c>type</c> of enum <c>QType</c>. After checking, a union has one branch per tag
/// value: values without an explicit branch get one of type <c>q_empty</c>.
/// </summary>
public sealed class QapiSchemaVariants
{
    private readonly string? _tagName;
    private readonly List<QapiSchemaVariant> _variants;
    private QapiSchemaObjectTypeMember? _tagMember;

    public QapiSchemaVariants(string? tagName, QapiSourceInfo? info, QapiSchemaObjectTypeMember? tagMember,
        IEnumerable<QapiSchemaVariant> variants)
    {
        if ((tagName == null) == (tagMember == null))
        {
            throw new ArgumentException("exactly one of tagName (unions) and tagMember (alternates) is required");
        }

        _tagName = tagName;
        Info = info;
        _tagMember = tagMember;
        _variants = variants.ToList();
    }

    public QapiSourceInfo? Info { get; }

    /// <summary>The discriminator name of a union; null for alternates.</summary>
    public string? TagName => _tagName;

    /// <summary>The tag member (for unions: the base member named by the discriminator). Available once checked.</summary>
    public QapiSchemaObjectTypeMember TagMember
        => _tagMember ?? throw new InvalidOperationException("variants not checked yet");

    /// <summary>The branches in order (for unions, implicit empty branches last).</summary>
    public IReadOnlyList<QapiSchemaVariant> Variants => _variants;

    internal void SetDefinedIn(string name)
    {
        foreach (QapiSchemaVariant v in _variants)
        {
            v.SetDefinedIn(name);
        }
    }

    internal void Check(QapiSchema schema, OrderedMembers seen)
    {
        if (_tagName != null)
        {
            // union
            var tagMember = seen.Get(QapiNaming.CName(_tagName)) as QapiSchemaObjectTypeMember;
            _tagMember = tagMember;
            string @base = "'base'";
            // Pointing to the base type when not implicit would be nice, but we don't know it here.
            if (tagMember == null || _tagName != tagMember.Name)
            {
                throw new QapiSemError(Info, $"discriminator '{_tagName}' is not a member of {@base}");
            }
            // Here we do:
            QapiSchemaType baseType = schema.LookupType(tagMember.DefinedIn!)
                ?? throw new InvalidOperationException("tag member's type is not defined");
            if (!baseType.IsImplicit)
            {
                @base = $"base type '{tagMember.DefinedIn}'";
            }

            if (tagMember.Type is not QapiSchemaEnumType)
            {
                throw new QapiSemError(Info, $"discriminator member '{_tagName}' of {@base} must be of enum type");
            }

            if (tagMember.Optional)
            {
                throw new QapiSemError(Info, $"discriminator member '{_tagName}' of {@base} must not be optional");
            }

            if (tagMember.IfCond.IsPresent)
            {
                throw new QapiSemError(Info, $"discriminator member '{_tagName}' of {@base} must not be conditional");
            }
        }
        else
        {
            // alternate
            if (TagMember.Type is not QapiSchemaEnumType || TagMember.Optional || TagMember.IfCond.IsPresent)
            {
                throw new InvalidOperationException("bad alternate tag member");
            }
        }

        var tagType = (QapiSchemaEnumType)TagMember.Type;
        // A loop, not Any with a lambda: the lambda captures the branch, a closure and a delegate per branch.
        static bool HasMember(QapiSchemaEnumType type, string name)
        {
            IReadOnlyList<QapiSchemaEnumMember> members = type.Members;
            for (int i = 0; i < members.Count; i++)
            {
                if (members[i].Name == name)
                {
                    return true;
                }
            }
            return false;
        }

        if (_tagName != null)
        {
            // Branches that are not explicitly covered get an empty type.
            var cases = new HashSet<string>(_variants.Select(v => v.Name), StringComparer.Ordinal);
            foreach (QapiSchemaEnumMember m in tagType.Members)
            {
                if (!cases.Contains(m.Name))
                {
                    var v = new QapiSchemaVariant(m.Name, Info, "q_empty", m.IfCond);
                    v.SetDefinedIn(TagMember.DefinedIn!);
                    _variants.Add(v);
                }
            }
        }
        if (_variants.Count == 0)
        {
            throw new QapiSemError(Info, "union has no branches");
        }

        foreach (QapiSchemaVariant v in _variants)
        {
            v.Check(schema);
            // Union names must match enum values; alternate names are checked separately.
            // Use 'seen' to tell the two apart.
            if (seen.Count > 0)
            {
                if (!HasMember(tagType, v.Name))
                {
                    throw new QapiSemError(Info, $"branch '{v.Name}' is not a value of {tagType.Describe()}");
                }

                if (v.Type is not QapiSchemaObjectType objType)
                {
                    throw new QapiSemError(Info, $"{v.Describe(Info)} cannot use {v.Type.Describe()}");
                }
                // Checking a branch that is a union checks its branches first: the depth is bounded.
                if (++schema.OpenBranchChecks > QapiSchemaObjectType.MaxUnionNesting)
                {
                    throw QapiSchemaObjectType.NestedTooDeep(Info);
                }

                objType.Check(schema);
                schema.OpenBranchChecks--;
            }
        }
    }

    internal void CheckClash(QapiSourceInfo? info, OrderedMembers seen)
    {
        // Reset seen for each branch, since names from one branch do not affect another: the branch's
        // names are taken out again after its check (a copy of seen per branch copied the base's
        // members once per branch).
        int common = seen.Count;
        foreach (QapiSchemaVariant v in _variants)
        {
            ((QapiSchemaObjectType)v.Type).CheckClash(info, seen);
            seen.TruncateTo(common);
        }
    }
}
