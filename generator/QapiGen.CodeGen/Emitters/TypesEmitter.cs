using System.Linq;

namespace QapiGen.CodeGen.Emitters;

/// <summary>
/// Emits the C# types: enums, struct records, union and alternate record hierarchies. Records give
/// value equality and a readable <c>ToString</c>; array members and unknown members are held in
/// wrappers that compare and print by content, so equality reaches through lists too.
/// </summary>
internal static class TypesEmitter
{
    public static void Emit(SchemaSpec spec, SourceWriter w)
    {
        w.Raw(Emitter.Header(spec.Namespace));
        var qualifier = new TypeNames("global::" + spec.Namespace + ".");
        foreach (EnumSpec e in spec.Enums)
        {
            EmitEnum(w, e);
        }

        foreach (StructSpec s in spec.Structs)
        {
            EmitStruct(w, s, qualifier);
        }

        foreach (UnionSpec u in spec.Unions)
        {
            EmitUnion(w, u, qualifier);
        }

        foreach (AlternateSpec a in spec.Alternates)
        {
            EmitAlternate(w, a, qualifier);
        }

    }

    private static void EmitEnum(SourceWriter w, EnumSpec e)
    {
        w.If(e.If);
        Emitter.Doc(w, e.Doc);
        w.Open($"public enum {e.CsName}");
        foreach (EnumValueSpec v in e.Values)
        {
            w.If(v.If);
            Emitter.Summary(w, v.Doc ?? $"<c>{v.Wire}</c>");
            Emitter.Features(w, v.Deprecated, v.Unstable);
            Emitter.NotInBaseline(w, v.NotInBaseline);
            w.Line(v.CsName + ",");
            w.EndIf(v.If);
        }
        w.Close();
        w.EndIf(e.If);
        w.Line();
    }

    /// <param name="w">Where to write.</param>
    /// <param name="members">The members, a property each.</param>
    /// <param name="modifiers">The properties' modifiers.</param>
    /// <param name="local">Shortens a type name (<see cref="TypeNames"/>); none by default.</param>
    internal static void EmitMembers(SourceWriter w, System.Collections.Generic.IEnumerable<MemberSpec> members, string modifiers = "public", System.Func<string, string>? local = null)
    {
        foreach (MemberSpec m in members)
        {
            w.If(m.If);
            Emitter.Summary(w, m.Doc);
            Emitter.Features(w, m.Deprecated, m.Unstable);
            Emitter.NotInBaseline(w, m.NotInBaseline);
            w.Line(PropertyDeclaration(m, modifiers, local));
            w.EndIf(m.If);
            w.Line();
        }
    }

    /// <summary>A property: mandatory members are <c>required</c>, except deprecated ones (C# forbids
    /// [Obsolete] on required members), which the reader still insists on. An array member's setter
    /// wraps the list (<c>QapiList</c>) so the record compares and prints it by its elements.</summary>
    public static string PropertyDeclaration(MemberSpec m, string modifiers = "public", System.Func<string, string>? local = null)
    {
        string type = local == null ? m.CsType : local(m.CsType);
        // A backing field of its own rather than C# 14's `field`, so a consumer that pins an older
        // LangVersion still compiles; "__" + a PascalCase name is never a member's C# name.
        string field = m.Type.Kind == TypeKind.Array ? $"private {type} __{m.CsName}{(m.Optional ? "" : " = default!")}; " : "";
        string accessors = m.Type.Kind == TypeKind.Array
            ? $"{{ get => __{m.CsName}; set => __{m.CsName} = QapiList<{(local == null ? m.Type.Element!.CsName : local(m.Type.Element!.CsName))}>.Wrap(value); }}"
            : "{ get; set; }";
        if (m.Optional)
        {
            return $"{field}{modifiers} {type} {m.CsName} {accessors}";
        }

        if (m.Deprecated)
        {
            return field.Length > 0 ? $"{field}{modifiers} {type} {m.CsName} {accessors}" : $"{modifiers} {type} {m.CsName} {accessors} = default!;";
        }

        return $"{field}{modifiers} required {type} {m.CsName} {accessors}";
    }

    /// <summary>
    /// <paramref name="text"/> with the schema's types named without <paramref name="qualifier"/> (<c>global::NS.</c>):
    /// the file declares them in that namespace, so a simple name finds them unless a type nested in the scope
    /// (a union's or alternate's branch class, <paramref name="nested"/>) has the same name; such a name stays qualified.
    /// </summary>
    internal static string Local(string text, string qualifier, System.Collections.Generic.ICollection<string> nested)
    {
        int at = text.IndexOf(qualifier, System.StringComparison.Ordinal);
        if (at < 0)
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(text.Length);
        int start = 0;
        while (at >= 0)
        {
            int end = at + qualifier.Length;
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_'))
            {
                end++;
            }

            bool keep = nested.Contains(text.Substring(at + qualifier.Length, end - at - qualifier.Length));
            sb.Append(text, start, at - start).Append(text, keep ? at : at + qualifier.Length, keep ? end - at : end - at - qualifier.Length);
            start = end;
            at = text.IndexOf(qualifier, start, System.StringComparison.Ordinal);
        }
        return sb.Append(text, start, text.Length - start).ToString();
    }

    /// <summary>
    /// Shortens the schema's type names of one file (<see cref="Local"/>), each once: a member's type is named
    /// by many members.
    /// </summary>
    private sealed class TypeNames(string qualifier)
    {
        private readonly System.Collections.Generic.Dictionary<string, string> _short = new(System.StringComparer.Ordinal);

        /// <summary><paramref name="csType"/> without the qualifier where no type of <paramref name="nested"/> hides it.</summary>
        public string Of(string csType, System.Collections.Generic.ICollection<string> nested)
        {
            if (nested.Count > 0 && Hidden(csType, nested))
            {
                return Local(csType, qualifier, nested);
            }

            if (!_short.TryGetValue(csType, out string? s))
            {
                s = Local(csType, qualifier, System.Array.Empty<string>());
                _short.Add(csType, s);
            }
            return s;
        }

        private bool Hidden(string csType, System.Collections.Generic.ICollection<string> nested)
        {
            for (int at = csType.IndexOf(qualifier, System.StringComparison.Ordinal); at >= 0; at = csType.IndexOf(qualifier, at + 1, System.StringComparison.Ordinal))
            {
                int start = at + qualifier.Length, end = start;
                while (end < csType.Length && (char.IsLetterOrDigit(csType[end]) || csType[end] == '_'))
                {
                    end++;
                }

                foreach (string name in nested)
                {
                    if (name.Length == end - start && string.CompareOrdinal(csType, start, name, 0, name.Length) == 0)
                    {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static void EmitStruct(SourceWriter w, StructSpec s, TypeNames qualifier)
    {
        w.If(s.If);
        Emitter.Doc(w, s.Doc);
        string seal = s.IsBase ? "" : "sealed ";
        // A root's UnknownMembers is QapiRecord's.
        string baseClause = " : " + (s.BaseCsName ?? Emitter.RecordBase);
        w.Open($"public {seal}partial record class {s.CsName}{baseClause}");
        EmitMembers(w, s.LocalMembers, local: t => qualifier.Of(t, System.Array.Empty<string>()));
        w.Close();
        w.EndIf(s.If);
        w.Line();
    }

    private static void EmitUnion(SourceWriter w, UnionSpec u, TypeNames qualifier)
    {
        var nestedNames = new System.Collections.Generic.HashSet<string>(u.Branches.Select(b => b.ClassName), System.StringComparer.Ordinal) { u.UnknownClassName };
        System.Func<string, string> local = t => qualifier.Of(t, nestedNames);
        w.If(u.If);
        Emitter.Doc(w, u.Doc);
        w.Open($"public abstract partial record class {u.CsName} : {Emitter.RecordBase}");
        w.Line($"private protected {u.CsName}() {{ }}");
        w.Line();
        MemberSpec tag = u.BaseMembers.First(m => m.Wire == u.TagWire);
        foreach (MemberSpec m in u.BaseMembers)
        {
            if (m.Wire == u.TagWire)
            {
                Emitter.Summary(w, (m.Doc != null ? m.Doc + "\n" : "") + "The branch's tag: fixed by the branch class.");
                w.Line($"public abstract {local(m.CsType)} {m.CsName} {{ get; }}");
                w.Line();
            }
            else
            {
                EmitMembers(w, new[] { m }, local: local);
            }
        }
        Emitter.Summary(w, $"A value of <c>{u.TagWire}</c> the schema lacks, read from a newer server: the branch's members are in\n<see cref=\"{Emitter.RecordBase}.{Emitter.UnknownMembers}\"/>, and <see cref=\"{tag.CsName}\"/> is an undefined enum value that keeps its wire string.");
        w.Open($"public sealed partial record class {u.UnknownClassName} : {u.CsName}");
        w.Line($"private readonly {local(tag.CsType)} _tag;");
        w.Line();
        Emitter.Summary(w, "Creates the branch for tag value <paramref name=\"tag\"/>.");
        w.Line($"public {u.UnknownClassName}({local(tag.CsType)} tag) {{ _tag = tag; }}");
        w.Line();
        Emitter.Summary(w, "The tag value as received.");
        w.Line($"public override {local(tag.CsType)} {tag.CsName} => _tag;");
        w.Close();
        w.Line();
        foreach (UnionBranchSpec b in u.Branches)
        {
            w.If(b.If);
            Emitter.Summary(w, $"The branch for <c>{u.TagWire}</c> = <c>{b.TagWire}</c>.");
            w.Open($"public sealed partial record class {b.ClassName} : {u.CsName}");
            Emitter.Summary(w, "Always <c>" + b.TagWire + "</c>.");
            w.Line($"public override {local(tag.CsType)} {tag.CsName} => {local(tag.Type.CsName)}.{b.TagCsName};");
            if (b.Members.Count > 0 || b.UnionType != null)
            {
                w.Line();
            }

            EmitMembers(w, b.Members, local: local);
            if (b.UnionType != null)
            {
                Emitter.Summary(w, $"The branch's value (a <see cref=\"{b.UnionType.CsName}\"/>, flat on the wire).");
                w.Line($"public required {local(b.UnionType.CsName)} {b.ValueName} {{ get; set; }}");
            }
            w.Close();
            w.EndIf(b.If);
            w.Line();
        }
        w.Close();
        w.EndIf(u.If);
        w.Line();
    }

    private static void EmitAlternate(SourceWriter w, AlternateSpec a, TypeNames qualifier)
    {
        var nestedNames = new System.Collections.Generic.HashSet<string>(a.Branches.Select(b => b.ClassName), System.StringComparer.Ordinal);
        w.If(a.If);
        Emitter.Doc(w, a.Doc);
        w.Open($"public abstract partial record class {a.CsName}");
        w.Line($"private protected {a.CsName}() {{ }}");
        foreach (AlternateBranchSpec b in a.Branches)
        {
            w.Line();
            w.If(b.If);
            Emitter.Summary(w, b.Doc ?? $"The branch <c>{b.Wire}</c> ({b.Type.QapiName}).");
            w.Open($"public sealed partial record class {b.ClassName} : {a.CsName}");
            w.Line("/// <summary>The value.</summary>");
            w.Line($"public required {qualifier.Of(b.Type.CsName, nestedNames)} Value {{ get; set; }}");
            w.Close();
            if (b.Type.Kind != TypeKind.Array)
            {
                w.Line();
                w.Line($"/// <summary>Wraps a value in branch <see cref=\"{b.ClassName}\"/>.</summary>");
                w.Line($"public static implicit operator {a.CsName}({qualifier.Of(b.Type.CsName, nestedNames)} value) => new {b.ClassName} {{ Value = value }};");
            }
            w.EndIf(b.If);
        }
        w.Close();
        w.EndIf(a.If);
        w.Line();
    }
}
