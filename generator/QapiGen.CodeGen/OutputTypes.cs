using System.Collections.Generic;
using System.Linq;

namespace QapiGen.CodeGen;

/// <summary>
/// The schema types a client reads from a server: those reachable from a command's return value or
/// an event's data, through members, bases, union branches, alternatives and array elements. Only
/// they get readers of output, so a schema whose types are mostly arguments does not pay for two
/// readers of each.
/// </summary>
public static class OutputTypes
{
    /// <summary>The C# short names (<see cref="TypeRef.IdName"/>) of the types reached.</summary>
    public static HashSet<string> Of(SchemaSpec spec)
    {
        var structs = spec.Structs.ToDictionary(s => s.CsName, s => s);
        var unions = spec.Unions.ToDictionary(u => u.CsName, u => u);
        var alternates = spec.Alternates.ToDictionary(a => a.CsName, a => a);
        var reached = new HashSet<string>(System.StringComparer.Ordinal);
        var work = new Stack<TypeRef>();
        foreach (var c in spec.Commands)
        {
            if (c.Returns != null)
                work.Push(c.Returns);
        }
        foreach (var e in spec.Events)
        {
            if (e.BoxedType != null)
                work.Push(e.BoxedType);
            foreach (var m in e.Members)
                work.Push(m.Type);
        }
        while (work.Count > 0)
        {
            var t = work.Pop();
            if (t.Kind == TypeKind.Array)
            {
                work.Push(t.Element!);
                continue;
            }
            if (t.IsBuiltin || !reached.Add(t.IdName))
                continue;
            switch (t.Kind)
            {
                case TypeKind.Struct when structs.TryGetValue(t.IdName, out var s):
                    foreach (var m in s.AllMembers)
                        work.Push(m.Type);
                    break;
                case TypeKind.Union when unions.TryGetValue(t.IdName, out var u):
                    foreach (var m in u.BaseMembers)
                        work.Push(m.Type);
                    foreach (var b in u.Branches)
                    {
                        foreach (var m in b.Members)
                            work.Push(m.Type);
                        if (b.UnionType != null)
                            work.Push(b.UnionType);
                    }
                    break;
                case TypeKind.Alternate when alternates.TryGetValue(t.IdName, out var a):
                    foreach (var b in a.Branches)
                        work.Push(b.Type);
                    break;
            }
        }
        return reached;
    }
}
