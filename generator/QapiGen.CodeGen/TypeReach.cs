using System.Collections.Generic;
using System.Linq;

namespace QapiGen.CodeGen;

/// <summary>
/// The schema types reachable from some type references, through members, union branches, alternatives
/// and array elements (and, with bases, struct base classes): what a set of commands and events needs.
/// </summary>
public static class TypeReach
{
    /// <summary>The C# short names (<see cref="TypeRef.IdName"/>) of the types reached from <paramref name="roots"/>.</summary>
    /// <param name="withBases">Also the base struct of every struct reached (its C# class derives from it).</param>
    /// <param name="builtins">When given, receives the kinds of the built-in types met on the way.</param>
    public static HashSet<string> From(
        IEnumerable<StructSpec> structSpecs, IEnumerable<UnionSpec> unionSpecs, IEnumerable<AlternateSpec> alternateSpecs,
        IEnumerable<TypeRef> roots, bool withBases = false, ISet<TypeKind>? builtins = null)
    {
        var structs = structSpecs.ToDictionary(s => s.CsName, s => s);
        var unions = unionSpecs.ToDictionary(u => u.CsName, u => u);
        var alternates = alternateSpecs.ToDictionary(a => a.CsName, a => a);
        var reached = new HashSet<string>(System.StringComparer.Ordinal);
        var work = new Stack<TypeRef>(roots);
        while (work.Count > 0)
        {
            TypeRef t = work.Pop();
            if (t.Kind == TypeKind.Array)
            {
                work.Push(t.Element!);
                continue;
            }
            if (t.IsBuiltin)
            {
                builtins?.Add(t.Kind);
                continue;
            }

            if (!reached.Add(t.IdName))
            {
                continue;
            }

            switch (t.Kind)
            {
                case TypeKind.Struct when structs.TryGetValue(t.IdName, out StructSpec? s):
                    foreach (MemberSpec m in s.AllMembers)
                    {
                        work.Push(m.Type);
                    }
                    // A base's members are the struct's too; only its class is added.
                    for (string? b = s.BaseCsName; withBases && b != null && structs.TryGetValue(b, out StructSpec? bs) && reached.Add(b); b = bs.BaseCsName)
                    {
                    }
                    break;
                case TypeKind.Union when unions.TryGetValue(t.IdName, out UnionSpec? u):
                    foreach (MemberSpec m in u.BaseMembers)
                    {
                        work.Push(m.Type);
                    }

                    foreach (UnionBranchSpec b in u.Branches)
                    {
                        foreach (MemberSpec m in b.Members)
                        {
                            work.Push(m.Type);
                        }

                        if (b.UnionType != null)
                        {
                            work.Push(b.UnionType);
                        }
                    }
                    break;
                case TypeKind.Alternate when alternates.TryGetValue(t.IdName, out AlternateSpec? a):
                    foreach (AlternateBranchSpec b in a.Branches)
                    {
                        work.Push(b.Type);
                    }

                    break;
            }
        }
        return reached;
    }

    /// <summary>The types a client writes to a server: command arguments.</summary>
    public static HashSet<string> Input(SchemaSpec spec) => From(spec.Structs, spec.Unions, spec.Alternates, InputRoots(spec.Commands));

    /// <summary>The types a server writes to a client: return values and event data.</summary>
    public static HashSet<string> Output(SchemaSpec spec) => OutputTypes.Of(spec);

    internal static IEnumerable<TypeRef> InputRoots(IEnumerable<CommandSpec> commands)
    {
        foreach (CommandSpec c in commands)
        {
            if (c.BoxedType != null)
            {
                yield return c.BoxedType;
            }

            foreach (MemberSpec a in c.Args)
            {
                yield return a.Type;
            }
        }
    }

    internal static IEnumerable<TypeRef> OutputRoots(IEnumerable<CommandSpec> commands, IEnumerable<EventSpec> events)
    {
        foreach (CommandSpec c in commands)
        {
            if (c.Returns != null)
            {
                yield return c.Returns;
            }
        }
        foreach (EventSpec e in events)
        {
            if (e.BoxedType != null)
            {
                yield return e.BoxedType;
            }

            foreach (MemberSpec m in e.Members)
            {
                yield return m.Type;
            }
        }
    }
}
