using System;
using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Naming;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Model;

/// <summary>
/// Something with a name inside a definition: an object member, an enum value, a feature or a
/// union / alternate branch (QEMU's <c>QAPISchemaMember</c>). Names are compared by their C form,
/// so <c>a-b</c> and <c>a_b</c> collide.
/// </summary>
public abstract class QapiSchemaMember
{
    protected QapiSchemaMember(string name, QapiSourceInfo? info, QapiSchemaIfCond? ifcond)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Info = info;
        IfCond = ifcond ?? QapiSchemaIfCond.None;
    }

    /// <summary>The wire name (without the '*' of optional members).</summary>
    public string Name { get; }

    /// <summary>Where the definition holding it was written (null for built-ins).</summary>
    public QapiSourceInfo? Info { get; }

    public QapiSchemaIfCond IfCond { get; }

    /// <summary>The name of the entity that defines it (for features of members: the member's name).</summary>
    public string? DefinedIn { get; private set; }

    /// <summary>How error messages call it: <c>member</c>, <c>value</c>, <c>feature</c>, <c>branch</c>.</summary>
    public abstract string Role { get; }

    /// <summary>The C identifier of the name (<see cref="QapiNaming.CName"/>).</summary>
    public string CName => _cname ??= QapiNaming.CName(Name);

    // Clash checks look it up for every member each time a type containing it is checked.
    private string? _cname;

    internal void SetDefinedIn(string name)
    {
        if (DefinedIn != null)
        {
            throw new InvalidOperationException($"{Role} '{Name}' is already defined in '{DefinedIn}'");
        }

        DefinedIn = name;
    }

    /// <summary>Records this member in <paramref name="seen"/> (keyed by C name), reporting a clash on behalf of <paramref name="info"/>.</summary>
    internal void CheckClash(QapiSourceInfo? info, OrderedMembers seen)
    {
        string cname = CName;
        if (seen.TryGetValue(cname, out QapiSchemaMember? other))
        {
            throw new QapiSemError(info, $"{Describe(info)} collides with {other.Describe(info)}");
        }

        seen.Add(cname, this);
    }

    internal virtual void ConnectDoc(QapiDoc? doc, QapiSchema schema)
    {
        if (doc != null)
        {
            schema.DocOp((doc, Name), static s => s.doc.ConnectMember(s.Name));
        }
    }

    /// <summary>The member as error messages describe it, relative to the definition being checked
    /// (e.g. <c>member 'name' of type 'Base'</c>, <c>parameter 'x'</c>, <c>base member 'type'</c>).</summary>
    public string Describe(QapiSourceInfo? info)
    {
        string role = Role;
        string meta = "type";
        string definedIn = DefinedIn ?? throw new InvalidOperationException("member not attached to a definition");

        if (definedIn.StartsWith("q_obj_", StringComparison.Ordinal))
        {
            // Reverse the naming of implicit object types for a readable description.
            definedIn = definedIn.Substring(6);
            if (definedIn.EndsWith("-arg", StringComparison.Ordinal))
            {
                // Implicit type created for a command's (or event's) dict 'data'.
                role = "parameter";
                meta = "command";
                definedIn = definedIn.Substring(0, definedIn.Length - 4);
            }
            else if (definedIn.EndsWith("-base", StringComparison.Ordinal))
            {
                // Implicit type created for a union's dict 'base'.
                role = "base " + role;
                definedIn = definedIn.Substring(0, definedIn.Length - 5);
            }
            else if (this is QapiSchemaObjectTypeMember { WrappedBranch: var (union, branch) })
            {
                // The member of a simple union's wrapper (older language) is the union's branch.
                return union != info?.DefnName ? $"branch '{branch}' of union '{union}'" : $"branch '{branch}'";
            }
            else
            {
                throw new InvalidOperationException($"unexpected implicit type '{DefinedIn}'");
            }
        }

        if (definedIn != info?.DefnName)
        {
            return $"{role} '{Name}' of {meta} '{definedIn}'";
        }

        return $"{role} '{Name}'";
    }

    public override string ToString() => $"{Role} '{Name}'";
}

/// <summary>A value of an enum type (QEMU's <c>QAPISchemaEnumMember</c>).</summary>
public sealed class QapiSchemaEnumMember : QapiSchemaMember
{
    public QapiSchemaEnumMember(string name, QapiSourceInfo? info, QapiSchemaIfCond? ifcond = null,
        IReadOnlyList<QapiSchemaFeature>? features = null)
        : base(name, info, ifcond)
    {
        Features = features ?? Array.Empty<QapiSchemaFeature>();
        foreach (QapiSchemaFeature f in Features)
        {
            f.SetDefinedIn(name);
        }
    }

    public override string Role => "value";

    public IReadOnlyList<QapiSchemaFeature> Features { get; }

    internal override void ConnectDoc(QapiDoc? doc, QapiSchema schema)
    {
        base.ConnectDoc(doc, schema);
        if (doc != null)
        {
            foreach (QapiSchemaFeature f in Features)
            {
                schema.DocOp((doc, f), static s => s.doc.ConnectFeature(s.f.Name, s.f.Info));
            }
        }
    }
}

/// <summary>A feature of a definition, member or enum value (QEMU's <c>QAPISchemaFeature</c>).</summary>
public sealed class QapiSchemaFeature : QapiSchemaMember
{
    public QapiSchemaFeature(string name, QapiSourceInfo? info, QapiSchemaIfCond? ifcond = null)
        : base(name, info, ifcond) { }

    public override string Role => "feature";

    /// <summary>Whether the feature has a meaning to the language itself: <c>deprecated</c> or <c>unstable</c>.</summary>
    public bool IsSpecial => Name == "deprecated" || Name == "unstable";

    public bool IsDeprecated => Name == "deprecated";

    public bool IsUnstable => Name == "unstable";
}

/// <summary>A member of an object type (QEMU's <c>QAPISchemaObjectTypeMember</c>).</summary>
public class QapiSchemaObjectTypeMember : QapiSchemaMember
{
    private readonly string _typeName;
    private QapiSchemaType? _type;

    public QapiSchemaObjectTypeMember(string name, QapiSourceInfo? info, string typeName, bool optional,
        QapiSchemaIfCond? ifcond = null, IReadOnlyList<QapiSchemaFeature>? features = null)
        : base(name, info, ifcond)
    {
        _typeName = typeName;
        Optional = optional;
        Features = features ?? Array.Empty<QapiSchemaFeature>();
        foreach (QapiSchemaFeature f in Features)
        {
            f.SetDefinedIn(name);
        }
    }

    public override string Role => "member";

    /// <summary>
    /// For the one member of a simple union's wrapper type (older language, see
    /// <see cref="Checking.LegacyNormalizer"/>): the union and branch that first used the wrapper.
    /// </summary>
    public (string Union, string Branch)? WrappedBranch { get; internal set; }

    /// <summary>The type name as written (arrays already turned into their <c>…List</c> name).</summary>
    public string TypeName => _typeName;

    /// <summary>The resolved type; available once the schema is checked.</summary>
    public QapiSchemaType Type => _type ?? throw new InvalidOperationException($"{this} is not checked yet");

    public bool Optional { get; }

    public IReadOnlyList<QapiSchemaFeature> Features { get; }

    /// <summary>Whether generated C needs a separate <c>has_</c> flag (<c>need_has()</c>).</summary>
    public bool NeedHas => Optional && Type.NeedHasIfOptional;

    internal void Check(QapiSchema schema)
    {
        if (DefinedIn == null)
        {
            throw new InvalidOperationException($"{this} not attached to a definition");
        }

        // Looked up directly: the message is only made when the type is unknown (a delegate to
        // Describe and a clash table would be made for every member of the schema otherwise).
        _type = schema.LookupType(_typeName) ?? throw new QapiSemError(Info, $"{Describe(Info)} uses unknown type '{_typeName}'");
        if (Features.Count > 0)
        {
            var seen = new OrderedMembers();
            foreach (QapiSchemaFeature f in Features)
            {
                f.CheckClash(Info, seen);
            }
        }
    }

    internal override void ConnectDoc(QapiDoc? doc, QapiSchema schema)
    {
        base.ConnectDoc(doc, schema);
        if (doc != null)
        {
            foreach (QapiSchemaFeature f in Features)
            {
                schema.DocOp((doc, f), static s => s.doc.ConnectFeature(s.f.Name, s.f.Info));
            }
        }
    }
}

/// <summary>A branch of a union or alternate (QEMU's <c>QAPISchemaVariant</c>): its name is the tag value,
/// its type the branch's type.</summary>
public sealed class QapiSchemaVariant : QapiSchemaObjectTypeMember
{
    public QapiSchemaVariant(string name, QapiSourceInfo? info, string typeName, QapiSchemaIfCond? ifcond = null)
        : base(name, info, typeName, false, ifcond) { }

    public override string Role => "branch";
}

/// <summary>Members seen so far, keyed by C name, in insertion order (the reference's <c>seen</c> dict).</summary>
internal sealed class OrderedMembers
{
    // Most types have a handful of members: a list is searched until it grows past this,
    // then a dictionary is built (one per checked type otherwise, thousands per schema).
    private const int IndexThreshold = 8;
    private readonly List<string> _cnames = new();
    private readonly List<QapiSchemaMember> _values = new();
    private Dictionary<string, QapiSchemaMember>? _index;

    public OrderedMembers() { }

    public bool TryGetValue(string cname, out QapiSchemaMember member)
    {
        if (_index != null)
        {
            if (_index.TryGetValue(cname, out QapiSchemaMember? m))
            {
                member = m;
                return true;
            }
        }
        else
        {
            for (int i = 0; i < _cnames.Count; i++)
            {
                if (string.Equals(_cnames[i], cname, StringComparison.Ordinal))
                {
                    member = _values[i];
                    return true;
                }
            }
        }
        member = null!;
        return false;
    }

    public QapiSchemaMember? Get(string cname) => TryGetValue(cname, out QapiSchemaMember? m) ? m : null;

    /// <summary>Adds a member; callers have checked with <see cref="TryGetValue"/> that its C name is new.</summary>
    public void Add(string cname, QapiSchemaMember member)
    {
        _cnames.Add(cname);
        _values.Add(member);
        if (_index != null)
        {
            _index.Add(cname, member);
        }
        else if (_values.Count > IndexThreshold)
        {
            _index = new Dictionary<string, QapiSchemaMember>(StringComparer.Ordinal);
            for (int i = 0; i < _values.Count; i++)
            {
                _index.Add(_cnames[i], _values[i]);
            }
        }
    }

    /// <summary>Forgets every member added after the first <paramref name="count"/>.</summary>
    public void TruncateTo(int count)
    {
        if (_index != null)
        {
            for (int i = count; i < _cnames.Count; i++)
            {
                _index.Remove(_cnames[i]);
            }
        }
        _cnames.RemoveRange(count, _cnames.Count - count);
        _values.RemoveRange(count, _values.Count - count);
    }

    public int Count => _values.Count;

    public IReadOnlyList<QapiSchemaMember> Values => _values;
}
