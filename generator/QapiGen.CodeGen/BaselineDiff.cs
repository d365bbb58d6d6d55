using System;
using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Model;

namespace QapiGen.CodeGen;

/// <summary>
/// What a schema has that an older baseline schema lacks, for a client that must work with every server
/// from the baseline to the schema. Types are matched by the path that reaches them, never by name (type
/// names are not part of the wire), as <c>qapigen compat</c> does: from each command's arguments (input)
/// and return value, and each event's data (output), through members, union branches (flat), list
/// elements and alternatives. A member lacking on any path that reaches its type counts as lacking.
/// </summary>
public sealed class BaselineDiff
{
    private readonly HashSet<(string, string)> _lackingOutput = new();
    private readonly HashSet<(string, string)> _lackingInput = new();
    private readonly HashSet<(string, string)> _lackingEnumValues = new();
    private readonly HashSet<string> _lackingCommands = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lackingEvents = new(StringComparer.Ordinal);
    private readonly HashSet<(string, string, bool)> _visited = new();

    private BaselineDiff(string name) => Name = name;

    /// <summary>How the baseline is named in doc lines and attributes (e.g. <c>v7.0.50</c>).</summary>
    public string Name { get; }

    /// <summary>The name a baseline file goes by: its directory's for a <c>qapi-schema.json</c> (<c>v7.0.50</c>), else its own without extension.</summary>
    public static string NameOf(string path)
    {
        string[] parts = path.Replace('\\', '/').Split('/').Where(p => p.Length > 0).ToArray();
        if (parts.Length == 0)
        {
            return path;
        }

        string file = parts[parts.Length - 1];
        if (file == "qapi-schema.json" && parts.Length > 1)
        {
            return parts[parts.Length - 2];
        }

        int dot = file.LastIndexOf('.');
        return dot > 0 ? file.Substring(0, dot) : file;
    }

    /// <summary>Compares <paramref name="schema"/> with <paramref name="baseline"/>.</summary>
    public static BaselineDiff Compute(QapiSchema schema, QapiSchema baseline, string name)
    {
        var diff = new BaselineDiff(name);
        var commands = baseline.Commands.ToDictionary(c => c.Name, c => c, StringComparer.Ordinal);
        var events = baseline.Events.ToDictionary(e => e.Name, e => e, StringComparer.Ordinal);
        foreach (QapiSchemaCommand c in schema.Commands)
        {
            if (!commands.TryGetValue(c.Name, out QapiSchemaCommand? old))
            {
                diff._lackingCommands.Add(c.Name);
                continue;
            }
            if (c.ArgType != null && old.ArgType != null)
            {
                diff.Walk(c.ArgType, old.ArgType, false);
            }

            if (c.RetType != null && old.RetType != null)
            {
                diff.Walk(c.RetType, old.RetType, true);
            }
        }
        foreach (QapiSchemaEvent e in schema.Events)
        {
            if (!events.TryGetValue(e.Name, out QapiSchemaEvent? old))
            {
                diff._lackingEvents.Add(e.Name);
                continue;
            }
            if (e.ArgType != null && old.ArgType != null)
            {
                diff.Walk(e.ArgType, old.ArgType, true);
            }
        }
        return diff;
    }

    /// <summary>Whether the baseline lacks command <paramref name="name"/>.</summary>
    public bool LacksCommand(string name) => _lackingCommands.Contains(name);

    /// <summary>Whether the baseline lacks event <paramref name="name"/>.</summary>
    public bool LacksEvent(string name) => _lackingEvents.Contains(name);

    /// <summary>Whether member <paramref name="wire"/> of the type that defines it is lacking in output / in input.</summary>
    public (bool Output, bool Input) LacksMember(string? definedIn, string wire) =>
        definedIn == null ? (false, false) : (_lackingOutput.Contains((definedIn, wire)), _lackingInput.Contains((definedIn, wire)));

    /// <summary>Whether the baseline lacks value <paramref name="value"/> of enum <paramref name="enumName"/> somewhere it is reached.</summary>
    public bool LacksEnumValue(string enumName, string value) => _lackingEnumValues.Contains((enumName, value));

    private void Walk(QapiSchemaType now, QapiSchemaType old, bool output)
    {
        if (!_visited.Add((now.Name, old.Name, output)))
        {
            return;
        }

        switch (now)
        {
            case QapiSchemaArrayType a:
                foreach (QapiSchemaType o in Alternatives(old))
                {
                    if (o is QapiSchemaArrayType oa)
                    {
                        Walk(a.ElementType, oa.ElementType, output);
                    }
                }
                break;
            case QapiSchemaAlternateType alt:
                foreach (QapiSchemaVariant v in alt.Variants.Variants)
                {
                    foreach (QapiSchemaType o in Alternatives(old))
                    {
                        if (SameKind(v.Type, o))
                        {
                            Walk(v.Type, o, output);
                        }
                    }
                }
                break;
            case QapiSchemaEnumType e:
                var values = new HashSet<string>(Alternatives(old).OfType<QapiSchemaEnumType>().SelectMany(o => o.Members.Select(m => m.Name)), StringComparer.Ordinal);
                if (values.Count == 0)
                {
                    break;
                }

                foreach (QapiSchemaEnumMember m in e.Members)
                {
                    if (!values.Contains(m.Name))
                    {
                        _lackingEnumValues.Add((e.Name, m.Name));
                    }
                }
                break;
            case QapiSchemaObjectType obj:
                var oldMembers = new Dictionary<string, List<QapiSchemaType>>(StringComparer.Ordinal);
                foreach (QapiSchemaObjectType o in Alternatives(old).OfType<QapiSchemaObjectType>())
                {
                    foreach (QapiSchemaObjectTypeMember m in Flat(o))
                    {
                        if (!oldMembers.TryGetValue(m.Name, out List<QapiSchemaType>? types))
                        {
                            oldMembers[m.Name] = types = new List<QapiSchemaType>();
                        }

                        types.Add(m.Type);
                    }
                }
                if (oldMembers.Count == 0 && !Alternatives(old).OfType<QapiSchemaObjectType>().Any())
                {
                    break;
                }

                foreach (QapiSchemaObjectTypeMember m in Flat(obj))
                {
                    if (!oldMembers.TryGetValue(m.Name, out List<QapiSchemaType>? types))
                    {
                        if (m.DefinedIn != null)
                        {
                            (output ? _lackingOutput : _lackingInput).Add((m.DefinedIn, m.Name));
                        }

                        continue;
                    }
                    foreach (QapiSchemaType t in types)
                    {
                        Walk(m.Type, t, output);
                    }
                }
                break;
        }
    }

    // The members a value of an object type can have on the wire: its own (base included) and every branch's.
    private static IEnumerable<QapiSchemaObjectTypeMember> Flat(QapiSchemaObjectType o)
    {
        foreach (QapiSchemaObjectTypeMember m in o.Members)
        {
            yield return m;
        }

        if (o.Variants == null)
        {
            yield break;
        }

        foreach (QapiSchemaVariant v in o.Variants.Variants)
        {
            if (v.Type is QapiSchemaObjectType b)
            {
                foreach (QapiSchemaObjectTypeMember m in Flat(b))
                {
                    yield return m;
                }
            }
        }
    }

    // A type and, for an alternate, its alternatives.
    private static IEnumerable<QapiSchemaType> Alternatives(QapiSchemaType t)
    {
        if (t is QapiSchemaAlternateType alt)
        {
            return alt.Variants.Variants.Select(v => v.Type);
        }

        return new[] { t };
    }

    private static bool SameKind(QapiSchemaType a, QapiSchemaType b) =>
        a.GetType() == b.GetType() || (a is QapiSchemaBuiltinType && b is QapiSchemaBuiltinType);
}
