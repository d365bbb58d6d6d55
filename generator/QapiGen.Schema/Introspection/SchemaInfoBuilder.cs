using System;
using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;

namespace QapiGen.Schema.Introspection;

/// <summary>
/// Builds the SchemaInfo list of <c>query-qmp-schema</c> from a checked schema, as QEMU 8.2's
/// <c>scripts/qapi/introspect.py</c> does: commands and events in definition order, then the types
/// they use, in the order first used (types used by those types are queued behind them). Only
/// reachable types appear. Type names are masked as numbers assigned in order of first use, all
/// integer types appear as <c>int</c>, and arrays are named <c>[ELEMENT]</c>.
/// </summary>
public sealed class SchemaInfoBuilder : QapiSchemaVisitor
{
    private readonly bool _unmask;
    private readonly List<SchemaInfoEntry> _entries = new();
    private readonly List<QapiSchemaType> _usedTypes = new();
    private readonly HashSet<QapiSchemaType> _usedSet = new();
    private readonly Dictionary<string, string> _nameMap = new(StringComparer.Ordinal);
    private QapiSchema? _schema;

    private readonly Func<string, bool, bool>? _served;

    private SchemaInfoBuilder(bool unmask, Func<string, bool, bool>? served)
    {
        _unmask = unmask;
        _served = served;
    }

    /// <summary>
    /// The SchemaInfo entries of <paramref name="schema"/>. With <paramref name="include"/> null,
    /// conditions are kept as annotations (<see cref="SchemaInfoEntry.IfCond"/> etc.); otherwise what it
    /// rejects is dropped and the rest has no condition left, as in a build with those symbols.
    /// Masked names are assigned before conditions are resolved, so they match the real server's.
    /// </summary>
    /// <param name="unmask">Use schema type names instead of numbers (QEMU's <c>--unmask-non-abi-names</c>).</param>
    /// <param name="served">
    /// A server of part of the schema: whether it serves the command (false) or event (true) of a name. Only
    /// those are listed, with the types they use (masked names are then numbered over what is listed, as a
    /// QEMU built from that part of the schema would number them).
    /// </param>
    public static IReadOnlyList<SchemaInfoEntry> Build(QapiSchema schema, Func<QapiSchemaIfCond, bool>? include = null, bool unmask = false,
        Func<string, bool, bool>? served = null)
    {
        var builder = new SchemaInfoBuilder(unmask, served);
        schema.Visit(builder);
        return include == null ? builder._entries : Resolve(builder._entries, include);
    }

    /// <summary>Builds an include predicate from the set of defined configuration symbols.</summary>
    public static Func<QapiSchemaIfCond, bool> Defined(Func<string, bool> isDefined) => c => c.Evaluate(isDefined);

    public override void VisitBegin(QapiSchema schema) => _schema = schema;

    // Types are visited on demand, once used; commands and events drive the first pass.
    public override bool VisitNeeded(QapiSchemaEntity entity) => entity is not QapiSchemaType;

    public override void VisitEnd()
    {
        // The queue grows while it is walked: a type's members queue the types they use.
        for (int i = 0; i < _usedTypes.Count; i++)
        {
            _usedTypes[i].Visit(this);
        }
    }

    private QapiSchema Schema => _schema ?? throw new InvalidOperationException("not visiting a schema");

    private string MaskedName(string name)
    {
        if (_unmask)
        {
            return name;
        }

        if (!_nameMap.TryGetValue(name, out string? masked))
        {
            masked = _nameMap.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _nameMap[name] = masked;
        }
        return masked;
    }

    /// <summary>Queues <paramref name="type"/> for output and returns the name references use.</summary>
    private string UseType(QapiSchemaType type)
    {
        // The integer types differ only in C; clients see one 'int'.
        if (type.JsonType == "int")
        {
            type = Schema.LookupType("int")!;
        }
        else if (type is QapiSchemaArrayType array && array.ElementType.JsonType == "int")
        {
            type = Schema.LookupType("intList")!;
        }

        if (_usedSet.Add(type))
        {
            _usedTypes.Add(type);
        }
        // Type names are not ABI: clients should start from commands and events, not type names.
        return type switch
        {
            QapiSchemaBuiltinType => type.Name,
            QapiSchemaArrayType a => "[" + UseType(a.ElementType) + "]",
            _ => MaskedName(type.Name),
        };
    }

    private static List<SchemaInfoFeature> Features(IReadOnlyList<QapiSchemaFeature> features)
        => features.Select(f => new SchemaInfoFeature(f.Name, f.IfCond)).ToList();

    private string EntryName(string name) => MaskedName(name);

    public override void VisitBuiltinType(string name, QapiSourceInfo? info, string jsonType)
        => _entries.Add(new SchemaInfoBuiltin(name, jsonType, name, info));

    public override void VisitEnumType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, IReadOnlyList<QapiSchemaEnumMember> members, string? prefix)
    {
        var values = members.Select(m => new SchemaInfoEnumMember(m.Name, Features(m.Features), m.IfCond)).ToList();
        _entries.Add(new SchemaInfoEnum(EntryName(name), values, Features(features), ifcond, name, info));
    }

    public override void VisitArrayType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond, QapiSchemaType elementType)
    {
        string element = UseType(elementType);
        _entries.Add(new SchemaInfoArray("[" + element + "]", element, ifcond, name, info));
    }

    public override void VisitObjectTypeFlat(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, IReadOnlyList<QapiSchemaObjectTypeMember> members, QapiSchemaVariants? variants)
    {
        // Members first, then variants: that is the order in which their types get numbers.
        var infoMembers = members.Select(m => new SchemaInfoObjectMember(m.Name, UseType(m.Type), m.Optional,
            Features(m.Features), m.IfCond, m.Type.Name, m.Info, m.DefinedIn)).ToList();
        List<SchemaInfoVariant>? infoVariants = null;
        if (variants != null)
        {
            infoVariants = variants.Variants.Select(v => new SchemaInfoVariant(v.Name, UseType(v.Type), v.IfCond, v.Info)).ToList();
        }

        _entries.Add(new SchemaInfoObject(EntryName(name), infoMembers, variants?.TagMember.Name, infoVariants,
            Features(features), ifcond, name, info));
    }

    public override void VisitAlternateType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, QapiSchemaVariants variants)
    {
        var alternatives = variants.Variants.Select(v => new SchemaInfoAlternative(UseType(v.Type), v.IfCond, v.Name, v.Type.Name)).ToList();
        _entries.Add(new SchemaInfoAlternate(EntryName(name), alternatives, Features(features), ifcond, name, info));
    }

    public override void VisitCommand(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? argType, QapiSchemaType? retType,
        bool gen, bool successResponse, bool boxed, bool allowOob, bool allowPreconfig, bool coroutine)
    {
        if (_served != null && !_served(name, false))
        {
            return;
        }
        // Argument first, then return: Python evaluates the dict display in order.
        string arg = UseType(argType ?? Schema.TheEmptyObjectType);
        string ret = UseType(retType ?? Schema.TheEmptyObjectType);
        _entries.Add(new SchemaInfoCommand(name, arg, ret, allowOob, Features(features), ifcond, info, allowPreconfig));
    }

    public override void VisitEvent(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? argType, bool boxed)
    {
        if (_served != null && !_served(name, true))
        {
            return;
        }
        string arg = UseType(argType ?? Schema.TheEmptyObjectType);
        _entries.Add(new SchemaInfoEvent(name, arg, Features(features), ifcond, info));
    }

    /// <summary>Drops what <paramref name="include"/> rejects, at every level, leaving no conditions.</summary>
    private static IReadOnlyList<SchemaInfoEntry> Resolve(IReadOnlyList<SchemaInfoEntry> entries, Func<QapiSchemaIfCond, bool> include)
    {
        List<SchemaInfoFeature> F(IReadOnlyList<SchemaInfoFeature> fs)
            => fs.Where(f => include(f.IfCond)).Select(f => new SchemaInfoFeature(f.Name)).ToList();

        var result = new List<SchemaInfoEntry>();
        foreach (SchemaInfoEntry e in entries)
        {
            if (!include(e.IfCond))
            {
                continue;
            }

            result.Add(e switch
            {
                SchemaInfoEnum en => new SchemaInfoEnum(en.Name,
                    en.Members.Where(m => include(m.IfCond)).Select(m => new SchemaInfoEnumMember(m.Name, F(m.Features))).ToList(),
                    F(en.Features), null, en.SchemaName, en.Info),
                SchemaInfoArray a => new SchemaInfoArray(a.Name, a.ElementType, null, a.SchemaName, a.Info),
                SchemaInfoObject o => new SchemaInfoObject(o.Name,
                    o.Members.Where(m => include(m.IfCond)).Select(m => new SchemaInfoObjectMember(m.Name, m.Type, m.Optional,
                        F(m.Features), null, m.SchemaType, m.Info, m.DefinedIn)).ToList(),
                    o.Tag,
                    o.Variants?.Where(v => include(v.IfCond)).Select(v => new SchemaInfoVariant(v.Case, v.Type, null, v.Info)).ToList(),
                    F(o.Features), null, o.SchemaName, o.Info),
                SchemaInfoAlternate alt => new SchemaInfoAlternate(alt.Name,
                    alt.Members.Where(m => include(m.IfCond)).Select(m => new SchemaInfoAlternative(m.Type, null, m.SchemaName, m.SchemaType)).ToList(),
                    F(alt.Features), null, alt.SchemaName, alt.Info),
                SchemaInfoCommand c => new SchemaInfoCommand(c.Name, c.ArgType, c.RetType, c.AllowOob, F(c.Features), null, c.Info, c.AllowPreconfig),
                SchemaInfoEvent ev => new SchemaInfoEvent(ev.Name, ev.ArgType, F(ev.Features), null, ev.Info),
                _ => e,
            });
        }
        return result;
    }
}
