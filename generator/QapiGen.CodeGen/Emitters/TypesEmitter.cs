using System.Linq;

namespace QapiGen.CodeGen.Emitters;

/// <summary>
/// Emits the C# types: enums, struct records, union and alternate record hierarchies. Records give
/// value equality and a readable <c>ToString</c>; array members and unknown members are held in
/// wrappers that compare and print by content, so equality reaches through lists too.
/// </summary>
internal static class TypesEmitter
{
    public static string Emit(SchemaSpec spec)
    {
        var w = new SourceWriter();
        foreach (EnumSpec e in spec.Enums)
        {
            EmitEnum(w, e);
        }

        foreach (StructSpec s in spec.Structs)
        {
            EmitStruct(w, s);
        }

        foreach (UnionSpec u in spec.Unions)
        {
            EmitUnion(w, u);
        }

        foreach (AlternateSpec a in spec.Alternates)
        {
            EmitAlternate(w, a);
        }

        return w.ToString(Emitter.Header(spec.Namespace), "");
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

    internal static void EmitMembers(SourceWriter w, System.Collections.Generic.IEnumerable<MemberSpec> members, string modifiers = "public")
    {
        foreach (MemberSpec m in members)
        {
            w.If(m.If);
            Emitter.Summary(w, m.Doc);
            Emitter.Features(w, m.Deprecated, m.Unstable);
            Emitter.NotInBaseline(w, m.NotInBaseline);
            w.Line(PropertyDeclaration(m, modifiers));
            w.EndIf(m.If);
            w.Line();
        }
    }

    /// <summary>A property: mandatory members are <c>required</c>, except deprecated ones (C# forbids
    /// [Obsolete] on required members), which the reader still insists on. An array member's setter
    /// wraps the list (<c>QapiList</c>) so the record compares and prints it by its elements.</summary>
    public static string PropertyDeclaration(MemberSpec m, string modifiers = "public")
    {
        // A backing field of its own rather than C# 14's `field`, so a consumer that pins an older
        // LangVersion still compiles; "__" + a PascalCase name is never a member's C# name.
        string field = m.Type.Kind == TypeKind.Array ? $"private {m.CsType} __{m.CsName}{(m.Optional ? "" : " = default!")}; " : "";
        string accessors = m.Type.Kind == TypeKind.Array
            ? $"{{ get => __{m.CsName}; set => __{m.CsName} = QapiList<{m.Type.Element!.CsName}>.Wrap(value); }}"
            : "{ get; set; }";
        if (m.Optional)
        {
            return $"{field}{modifiers} {m.CsType} {m.CsName} {accessors}";
        }

        if (m.Deprecated)
        {
            return field.Length > 0 ? $"{field}{modifiers} {m.CsType} {m.CsName} {accessors}" : $"{modifiers} {m.CsType} {m.CsName} {accessors} = default!;";
        }

        return $"{field}{modifiers} required {m.CsType} {m.CsName} {accessors}";
    }

    private static void EmitStruct(SourceWriter w, StructSpec s)
    {
        w.If(s.If);
        Emitter.Doc(w, s.Doc);
        string seal = s.IsBase ? "" : "sealed ";
        // A root's UnknownMembers is QapiRecord's.
        string baseClause = " : " + (s.BaseCsName ?? Emitter.RecordBase);
        w.Open($"public {seal}partial record class {s.CsName}{baseClause}");
        EmitMembers(w, s.LocalMembers);
        w.Close();
        w.EndIf(s.If);
        w.Line();
    }

    private static void EmitUnion(SourceWriter w, UnionSpec u)
    {
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
                w.Line($"public abstract {m.CsType} {m.CsName} {{ get; }}");
                w.Line();
            }
            else
            {
                EmitMembers(w, new[] { m });
            }
        }
        Emitter.Summary(w, $"A value of <c>{u.TagWire}</c> the schema lacks, read from a newer server: the branch's members are in\n<see cref=\"{Emitter.RecordBase}.{Emitter.UnknownMembers}\"/>, and <see cref=\"{tag.CsName}\"/> is an undefined enum value that keeps its wire string.");
        w.Open($"public sealed partial record class {u.UnknownClassName} : {u.CsName}");
        w.Line($"private readonly {tag.CsType} _tag;");
        w.Line();
        Emitter.Summary(w, "Creates the branch for tag value <paramref name=\"tag\"/>.");
        w.Line($"public {u.UnknownClassName}({tag.CsType} tag) {{ _tag = tag; }}");
        w.Line();
        Emitter.Summary(w, "The tag value as received.");
        w.Line($"public override {tag.CsType} {tag.CsName} => _tag;");
        w.Close();
        w.Line();
        foreach (UnionBranchSpec b in u.Branches)
        {
            w.If(b.If);
            Emitter.Summary(w, $"The branch for <c>{u.TagWire}</c> = <c>{b.TagWire}</c>.");
            w.Open($"public sealed partial record class {b.ClassName} : {u.CsName}");
            Emitter.Summary(w, "Always <c>" + b.TagWire + "</c>.");
            w.Line($"public override {tag.CsType} {tag.CsName} => {tag.Type.CsName}.{b.TagCsName};");
            if (b.Members.Count > 0 || b.UnionType != null)
            {
                w.Line();
            }

            EmitMembers(w, b.Members);
            if (b.UnionType != null)
            {
                Emitter.Summary(w, $"The branch's value (a <see cref=\"{b.UnionType.CsName}\"/>, flat on the wire).");
                w.Line($"public required {b.UnionType.CsName} {b.ValueName} {{ get; set; }}");
            }
            w.Close();
            w.EndIf(b.If);
            w.Line();
        }
        w.Close();
        w.EndIf(u.If);
        w.Line();
    }

    private static void EmitAlternate(SourceWriter w, AlternateSpec a)
    {
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
            w.Line($"public required {b.Type.CsName} Value {{ get; set; }}");
            w.Close();
            if (b.Type.Kind != TypeKind.Array)
            {
                w.Line();
                w.Line($"/// <summary>Wraps a value in branch <see cref=\"{b.ClassName}\"/>.</summary>");
                w.Line($"public static implicit operator {a.CsName}({b.Type.CsName} value) => new {b.ClassName} {{ Value = value }};");
            }
            w.EndIf(b.If);
        }
        w.Close();
        w.EndIf(a.If);
        w.Line();
    }
}
