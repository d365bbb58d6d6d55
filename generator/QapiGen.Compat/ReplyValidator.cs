using System;
using System.Collections.Generic;
using QapiGen.Schema.Introspection;

namespace QapiGen.Compat;

/// <summary>
/// What every reply a QEMU sends satisfies, and the comparison relies on: names unique (entries,
/// members, enum values, branch cases), references defined, and no type that contains itself
/// without an object in between (an array of itself, a union whose branch is itself), which could
/// only be followed forever. A schema cannot express any of these; a hand-edited or truncated
/// reply can, and is then refused as malformed instead of crashing the comparison.
/// </summary>
internal static class ReplyValidator
{
    public static void Validate(IReadOnlyList<SchemaInfoEntry> entries, string source)
    {
        var byName = new Dictionary<string, SchemaInfoEntry>(StringComparer.Ordinal);
        foreach (SchemaInfoEntry e in entries)
        {
            if (!byName.TryAdd(e.Name, e))
            {
                throw new CompatLoadException($"{source}: '{e.Name}' is defined twice");
            }
        }
        void Ref(SchemaInfoEntry e, string type)
        {
            if (!byName.ContainsKey(type))
            {
                throw new CompatLoadException($"{source}: '{e.Name}' references type '{type}', which is not defined");
            }
        }
        foreach (SchemaInfoEntry e in entries)
        {
            switch (e)
            {
                case SchemaInfoEnum en:
                    Unique(en.Members, m => m.Name, source, e.Name, "value");
                    break;
                case SchemaInfoArray a:
                    Ref(e, a.ElementType);
                    break;
                case SchemaInfoObject o:
                    Unique(o.Members, m => m.Name, source, e.Name, "member");
                    foreach (SchemaInfoObjectMember m in o.Members)
                    {
                        Ref(e, m.Type);
                    }

                    if (o.Variants != null)
                    {
                        Unique(o.Variants, v => v.Case, source, e.Name, "branch");
                        foreach (SchemaInfoVariant v in o.Variants)
                        {
                            Ref(e, v.Type);
                            if (byName[v.Type] is not SchemaInfoObject)
                            {
                                throw new CompatLoadException($"{source}: branch '{v.Case}' of '{e.Name}' is not an object type");
                            }
                        }
                    }
                    break;
                case SchemaInfoAlternate alt:
                    foreach (SchemaInfoAlternative m in alt.Members)
                    {
                        Ref(e, m.Type);
                    }

                    break;
                case SchemaInfoCommand c:
                    Ref(e, c.ArgType);
                    Ref(e, c.RetType);
                    break;
                case SchemaInfoEvent ev:
                    Ref(e, ev.ArgType);
                    break;
            }
        }
        foreach (SchemaInfoEntry e in entries)
        {
            if (e is SchemaInfoArray)
            {
                NoCycle(e, byName, source, x => x is SchemaInfoArray a ? new[] { a.ElementType } : Array.Empty<string>(), "an array of itself");
            }
            else if (e is SchemaInfoObject { Variants: not null })
            {
                NoCycle(e, byName, source, x => x is SchemaInfoObject { Variants: { } vs } ? Types(vs) : Array.Empty<string>(), "a branch of itself");
            }
            else if (e is SchemaInfoAlternate)
            {
                NoCycle(e, byName, source, x => x is SchemaInfoAlternate alt ? Types(alt.Members) : Array.Empty<string>(), "an alternative of itself");
            }
        }
    }

    private static string[] Types(IReadOnlyList<SchemaInfoVariant> vs)
    {
        string[] r = new string[vs.Count];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = vs[i].Type;
        }

        return r;
    }

    private static string[] Types(IReadOnlyList<SchemaInfoAlternative> ms)
    {
        string[] r = new string[ms.Count];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = ms[i].Type;
        }

        return r;
    }

    private static void Unique<T>(IEnumerable<T> items, Func<T, string> name, string source, string owner, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (T? item in items)
        {
            if (!seen.Add(name(item)))
            {
                throw new CompatLoadException($"{source}: '{owner}' has {what} '{name(item)}' twice");
            }
        }
    }

    /// <summary>Follows <paramref name="next"/> from <paramref name="start"/> (iteratively: chains may be long) and refuses a way back.</summary>
    private static void NoCycle(SchemaInfoEntry start, Dictionary<string, SchemaInfoEntry> byName, string source,
        Func<SchemaInfoEntry, string[]> next, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        foreach (string n in next(start))
        {
            stack.Push(n);
        }

        while (stack.Count > 0)
        {
            string name = stack.Pop();
            if (name == start.Name)
            {
                throw new CompatLoadException($"{source}: '{start.Name}' is {what}");
            }

            if (!seen.Add(name))
            {
                continue;
            }

            foreach (string n in next(byName[name]))
            {
                stack.Push(n);
            }
        }
    }
}
