using System;
using System.Collections.Generic;
using System.Linq;

namespace QapiGen.CodeGen.Emitters;

/// <summary>Emits <c>QapiJson</c>: Utf8JsonWriter / Utf8JsonReader code for every type, no reflection.</summary>
internal static class JsonEmitter
{
    private const string Writer = "global::System.Text.Json.Utf8JsonWriter";
    private const string Reader = "global::System.Text.Json.Utf8JsonReader";
    private const string Token = "global::System.Text.Json.JsonTokenType";

    /// <summary>The code a type gets: a writer, a strict reader (QEMU's input checks), a reader of output.</summary>
    [System.Flags]
    private enum Parts
    {
        None = 0,
        Writer = 1,
        Reader = 2,
        OutputReader = 4,
    }

    public static string Emit(SchemaSpec spec)
    {
        var w = new SourceWriter { Indent = 1 };
        w.Open("public static partial class QapiJson");
        Func<string, Parts> parts = PartsOf(spec);
        foreach (EnumSpec e in spec.Enums)
        {
            EmitEnum(w, e, parts(e.CsName));
        }

        int names = 0; // numbers the pre-encoded member names (Emitter.EncodedNames)
        foreach (StructSpec s in spec.Structs)
        {
            EmitStruct(w, s, ref names, parts(s.CsName));
        }

        var unions = spec.Unions.ToDictionary(u => u.CsName, u => u);
        foreach (UnionSpec u in spec.Unions)
        {
            EmitUnion(w, u, unions, ref names, parts(u.CsName));
        }

        foreach (AlternateSpec a in spec.Alternates)
        {
            EmitAlternate(w, a, parts(a.CsName));
        }

        w.Close();
        return w.ToString(Emitter.Header(spec.Namespace), "}\n");
    }

    /// <summary>
    /// What each type needs on the spec's side. Both sides: a writer and a strict reader of every type, and
    /// a reader of output of the types a client reads from replies and events. A client writes the types
    /// its arguments reach and reads, by the readers of output, those replies and events reach; a server
    /// reads arguments strictly and writes replies and events.
    /// </summary>
    private static System.Func<string, Parts> PartsOf(SchemaSpec spec)
    {
        HashSet<string> output = OutputTypes.Of(spec);
        switch (spec.Scope)
        {
            case GenerationScope.Client:
            {
                HashSet<string> input = TypeReach.Input(spec);
                return t => (input.Contains(t) ? Parts.Writer : Parts.None) | (output.Contains(t) ? Parts.OutputReader : Parts.None);
            }
            case GenerationScope.Server:
            {
                HashSet<string> input = TypeReach.Input(spec);
                return t => (input.Contains(t) ? Parts.Reader : Parts.None) | (output.Contains(t) ? Parts.Writer : Parts.None);
            }
            default:
                return t => Parts.Writer | Parts.Reader | (output.Contains(t) ? Parts.OutputReader : Parts.None);
        }
    }

    private static void EmitEnum(SourceWriter w, EnumSpec e, Parts parts)
    {
        string t = e.CsName;
        if (parts == Parts.None)
        {
            return;
        }

        w.If(e.If);
        w.Line($"/// <summary>The wire string of a <see cref=\"{t}\"/>.</summary>");
        w.Open($"public static string ToWire({t} value)");
        w.Open("switch (value)");
        PerValue(w, e, v => $"case {t}.{v.CsName}: return {CsNames.Literal(v.Wire)};");
        w.Line($"default: return QapiUnknownValues<{t}>.WireOf(value) ?? throw new global::System.ArgumentOutOfRangeException(nameof(value), value, \"not a value of {e.QapiName}\");");
        w.Close();
        w.Close();
        w.Line();
        w.Line($"/// <summary>Whether <paramref name=\"value\"/> is a value of the schema (false for a value a newer server sent that the schema lacks).</summary>");
        w.Open($"public static bool IsKnown({t} value)");
        w.Open("switch (value)");
        PerValue(w, e, v => $"case {t}.{v.CsName}: return true;");
        w.Line("default: return false;");
        w.Close();
        w.Close();
        w.Line();
        w.Line($"/// <summary>Parses the wire string of a <see cref=\"{t}\"/>; false for unknown values.</summary>");
        w.Open($"public static bool TryParse(string wire, out {t} value)");
        w.Open("switch (wire)");
        PerValue(w, e, v => $"case {CsNames.Literal(v.Wire)}: value = {t}.{v.CsName}; return true;");
        w.Close();
        w.Line("value = default;");
        w.Line("return false;");
        w.Close();
        w.Line();
        if ((parts & Parts.Writer) != 0)
        {
            w.Line($"/// <summary>Writes a <see cref=\"{t}\"/> as its wire string.</summary>");
            w.Open($"public static void Write({Writer} writer, {t} value)");
            w.Open("switch (value)");
            PerValue(w, e, v => $"case {t}.{v.CsName}: writer.WriteStringValue({CsNames.U8(v.Wire)}); return;");
            w.Line($"default: writer.WriteStringValue(QapiUnknownValues<{t}>.WireOf(value) ?? throw new global::System.ArgumentOutOfRangeException(nameof(value), value, \"not a value of {e.QapiName}\")); return;");
            w.Close();
            w.Close();
            w.Line();
        }
        if ((parts & Parts.Reader) != 0)
        {
            w.Line($"/// <summary>Reads a <see cref=\"{t}\"/>; an unknown value is an error.</summary>");
            w.Open($"public static {t} Read{t}(ref {Reader} reader, in QapiPath path)");
            w.Line($"if (reader.TokenType != {Token}.String) throw QapiJsonException.InvalidType(path.Full, \"string\");");
            PerValue(w, e, v => $"if (reader.ValueTextEquals({CsNames.U8(v.Wire)})) return {t}.{v.CsName};");
            w.Line("throw QapiJsonException.BadEnum(path.Short, reader.GetString());");
            w.Close();
        }
        if ((parts & Parts.OutputReader) != 0)
        {
            if ((parts & Parts.Reader) != 0)
            {
                w.Line();
            }

            w.Line($"/// <summary>Reads a <see cref=\"{t}\"/> from output: a value the schema lacks becomes an undefined value that keeps its wire string (<see cref=\"QapiUnknownValues{{TEnum}}\"/>).</summary>");
            w.Open($"public static {t} ReadOutput{t}(ref {Reader} reader, in QapiPath path)");
            w.Line($"if (reader.TokenType != {Token}.String) throw QapiJsonException.InvalidType(path.Full, \"string\");");
            PerValue(w, e, v => $"if (reader.ValueTextEquals({CsNames.U8(v.Wire)})) return {t}.{v.CsName};");
            w.Line($"return UnknownEnum<{t}>(ref reader, path);");
            w.Close();
        }
        w.EndIf(e.If);
        w.Line();
    }

    /// <summary>One line per enum value, each under the value's condition.</summary>
    private static void PerValue(SourceWriter w, EnumSpec e, System.Func<EnumValueSpec, string> line)
    {
        foreach (EnumValueSpec v in e.Values)
        {
            w.If(v.If);
            w.Line(line(v));
            w.EndIf(v.If);
        }
    }

    private static void EmitStruct(SourceWriter w, StructSpec s, ref int names, Parts parts)
    {
        string t = s.CsName;
        if (parts == Parts.None)
        {
            return;
        }

        w.If(s.If);
        if ((parts & Parts.Writer) != 0)
        {
            // The names' fields come first: the doc comment belongs to the method.
            int encoded = Emitter.EncodedNames(w, s.AllMembers, ref names);
            w.Line($"/// <summary>Writes a <see cref=\"{t}\"/> as a JSON object.</summary>");
            w.Open($"public static void Write({Writer} writer, {t} value)");
            w.Line("writer.WriteStartObject();");
            int tmp = 0;
            Emitter.WriteMembers(w, s.AllMembers, "value", "writer", ref tmp, encoded);
            w.Line($"WriteUnknownMembers(writer, value.{Emitter.UnknownMembers});");
            w.Line("writer.WriteEndObject();");
            w.Close();
            w.Line();
        }
        if ((parts & Parts.Reader) != 0)
        {
            w.Line($"/// <summary>Reads a <see cref=\"{t}\"/>, checking members as QEMU does.</summary>");
            w.Open($"public static {t} Read{t}(ref {Reader} reader, in QapiPath path)");
            w.Line("ExpectObject(ref reader, path);");
            w.Line("var prefix = path.MemberPrefix;");
            ObjectReader.Emit(w, s.AllMembers, System.Array.Empty<MemberSpec>(), "reader", "prefix", true, "m");
            w.Open($"return new {t}");
            ObjectReader.Assign(w, s.AllMembers, "m");
            w.Close(";");
            w.Close();
        }
        if ((parts & Parts.OutputReader) != 0)
        {
            if ((parts & Parts.Reader) != 0)
            {
                w.Line();
            }

            w.Line($"/// <summary>Reads a <see cref=\"{t}\"/> from output: members the schema lacks are kept in <c>{Emitter.UnknownMembers}</c>.</summary>");
            w.Open($"public static {t} ReadOutput{t}(ref {Reader} reader, in QapiPath path)");
            w.Line("ExpectObject(ref reader, path);");
            w.Line("var prefix = path.MemberPrefix;");
            ObjectReader.Emit(w, s.AllMembers, System.Array.Empty<MemberSpec>(), "reader", "prefix", true, "m", output: true);
            w.Open($"return new {t}");
            ObjectReader.Assign(w, s.AllMembers, "m");
            w.Line($"{Emitter.UnknownMembers} = munknown,");
            w.Close(";");
            w.Close();
        }
        w.EndIf(s.If);
        w.Line();
    }

    private static void EmitUnion(SourceWriter w, UnionSpec u, IReadOnlyDictionary<string, UnionSpec> unions, ref int names, Parts parts)
    {
        string t = u.CsName;
        if (parts == Parts.None)
        {
            return;
        }

        w.If(u.If);
        if ((parts & Parts.Writer) != 0)
        {
            w.Line($"/// <summary>Writes a <see cref=\"{t}\"/> as a flat JSON object (base members, tag, branch members).</summary>");
            w.Open($"public static void Write({Writer} writer, {t} value)");
            w.Line("writer.WriteStartObject();");
            w.Line($"Write{t}Members(writer, value);");
            w.Line("writer.WriteEndObject();");
            w.Close();
            w.Line();
            int baseNames = Emitter.EncodedNames(w, u.BaseMembers, ref names);
            int[] branchNames = new int[u.Branches.Count];
            for (int k = 0; k < u.Branches.Count; k++)
            {
                w.If(u.Branches[k].If);
                branchNames[k] = Emitter.EncodedNames(w, u.Branches[k].Members, ref names);
                w.EndIf(u.Branches[k].If);
            }
            w.Open($"internal static void Write{t}Members({Writer} writer, {t} value)");
            int tmp = 0;
            Emitter.WriteMembers(w, u.BaseMembers, "value", "writer", ref tmp, baseNames);
            w.Open("switch (value)");
            for (int k = 0; k < u.Branches.Count; k++)
            {
                UnionBranchSpec b = u.Branches[k];
                if (b.Members.Count == 0 && b.UnionType == null)
                {
                    continue;
                }

                w.If(b.If);
                w.Line($"case {t}.{b.ClassName} branch:");
                w.Indent++;
                Emitter.WriteMembers(w, b.Members, "branch", "writer", ref tmp, branchNames[k]);
                if (b.UnionType != null)
                {
                    w.Line($"Write{b.UnionType.IdName}Members(writer, branch.{b.ValueName});");
                }

                w.Line("break;");
                w.Indent--;
                w.EndIf(b.If);
            }
            w.Line("default: break;");
            w.Close();
            w.Line($"WriteUnknownMembers(writer, value.{Emitter.UnknownMembers});");
            w.Close();
            w.Line();
        }
        int counter = 0;
        if ((parts & Parts.Reader) != 0)
        {
            w.Line($"/// <summary>Reads a <see cref=\"{t}\"/>: the tag selects the branch class.</summary>");
            w.Open($"public static {t} Read{t}(ref {Reader} reader, in QapiPath path)");
            w.Line("ExpectObject(ref reader, path);");
            w.Line($"return Read{t}Core(ref reader, path.MemberPrefix);");
            w.Close();
            w.Line();
            EmitUnionReader(w, u, "", new List<MemberSpec>(), unions, ref counter, false);
        }
        if ((parts & Parts.OutputReader) != 0)
        {
            w.Line($"/// <summary>Reads a <see cref=\"{t}\"/> from output: members the schema lacks are kept, a tag value it lacks gives <see cref=\"{t}.{u.UnknownClassName}\"/>.</summary>");
            w.Open($"public static {t} ReadOutput{t}(ref {Reader} reader, in QapiPath path)");
            w.Line("ExpectObject(ref reader, path);");
            w.Line($"return ReadOutput{t}Core(ref reader, path.MemberPrefix);");
            w.Close();
            w.Line();
            counter = 0;
            EmitUnionReader(w, u, "", new List<MemberSpec>(), unions, ref counter, true);
        }
        w.EndIf(u.If);
        w.Line();
    }

    // Reads union u from an object whose members also include extraSkip (the base members of
    // unions u is a branch of): reader on StartObject before, on EndObject after.
    // With output, the readers of output (ReadOutput...): unknown members kept, an unknown tag value
    // read into the union's Unknown class.
    private static void EmitUnionReader(SourceWriter w, UnionSpec u, string suffix, List<MemberSpec> extraSkip,
        IReadOnlyDictionary<string, UnionSpec> unions, ref int counter, bool output)
    {
        string t = u.CsName;
        string rd = output ? "ReadOutput" : "Read";
        int tagIndex = IndexOf(u.BaseMembers, u.TagWire);
        MemberSpec tag = u.BaseMembers[tagIndex];
        w.Open($"private static {t} {rd}{t}Core{suffix}(ref {Reader} reader, string? prefix)");
        w.Line("var scan = reader;");
        ObjectReader.Emit(w, u.BaseMembers, System.Array.Empty<MemberSpec>(), "scan", "prefix", false, "b", output);
        w.Open($"switch (b{tagIndex})");
        foreach (UnionBranchSpec b in u.Branches)
        {
            w.If(b.If);
            w.Line($"case {tag.Type.CsName}.{b.TagCsName}: return {rd}{t}__{b.ClassName}{suffix}(");
            w.Indent++;
            w.Line("ref reader, prefix");
            EachBaseMember(w, u, tagIndex, i => $", b{i}");
            w.Line(");");
            w.Indent--;
            w.EndIf(b.If);
        }
        w.Close();
        if (output)
        {
            w.Line($"return {rd}{t}__{u.UnknownClassName}{suffix}(");
            w.Indent++;
            w.Line($"ref reader, prefix, b{tagIndex}");
            EachBaseMember(w, u, tagIndex, i => $", b{i}");
            w.Line(");");
            w.Indent--;
        }
        else
        {
            w.Line($"throw QapiJsonException.BadEnum({CsNames.Literal(u.TagWire)}, ToWire(b{tagIndex}));");
        }
        w.Close();
        w.Line();

        var skip = new List<MemberSpec>(extraSkip);
        skip.AddRange(u.BaseMembers);
        if (output)
        {
            w.Line($"private static {t}.{u.UnknownClassName} {rd}{t}__{u.UnknownClassName}{suffix}(");
            w.Indent++;
            w.Line($"ref {Reader} reader, string? prefix, {tag.CsType} tag");
            EachBaseMember(w, u, tagIndex, i => $", {u.BaseMembers[i].CsType} b{i}");
            w.Indent--;
            w.Line(")");
            w.Line("{");
            w.Indent++;
            ObjectReader.Emit(w, System.Array.Empty<MemberSpec>(), skip, "reader", "prefix", true, "m", output: true);
            w.Open($"return new {t}.{u.UnknownClassName}(tag)");
            EachBaseMember(w, u, tagIndex, i => $"{u.BaseMembers[i].CsName} = b{i},");
            w.Line($"{Emitter.UnknownMembers} = munknown,");
            w.Close(";");
            w.Close();
            w.Line();
        }
        var nested = new List<(UnionSpec, string, List<MemberSpec>)>();
        foreach (UnionBranchSpec b in u.Branches)
        {
            w.If(b.If);
            w.Line($"private static {t}.{b.ClassName} {rd}{t}__{b.ClassName}{suffix}(");
            w.Indent++;
            w.Line($"ref {Reader} reader, string? prefix");
            EachBaseMember(w, u, tagIndex, i => $", {u.BaseMembers[i].CsType} b{i}");
            w.Indent--;
            w.Line(")");
            w.Line("{");
            w.Indent++;
            string? inner = null;
            if (b.UnionType != null)
            {
                string innerSuffix = "__" + (++counter).ToString(System.Globalization.CultureInfo.InvariantCulture);
                nested.Add((unions[b.UnionType.IdName], suffix + innerSuffix, skip));
                inner = $"{rd}{b.UnionType.IdName}Core{suffix}{innerSuffix}(ref reader, prefix)";
            }
            else
            {
                ObjectReader.Emit(w, b.Members, skip, "reader", "prefix", true, "m", output);
            }
            w.Open($"return new {t}.{b.ClassName}");
            EachBaseMember(w, u, tagIndex, i => $"{u.BaseMembers[i].CsName} = b{i},");
            ObjectReader.Assign(w, b.Members, "m");
            if (inner != null)
            {
                w.Line($"{b.ValueName} = {inner},");
            }
            else if (output)
            {
                w.Line($"{Emitter.UnknownMembers} = munknown,");
            }

            w.Close(";");
            w.Close();
            w.EndIf(b.If);
            w.Line();
        }
        foreach ((UnionSpec? nu, string? nsuffix, List<MemberSpec>? nskip) in nested)
        {
            EmitUnionReader(w, nu, nsuffix, nskip, unions, ref counter, output);
        }
    }

    private static int IndexOf(IReadOnlyList<MemberSpec> members, string wire)
    {
        for (int i = 0; i < members.Count; i++)
        {
            if (members[i].Wire == wire)
            {
                return i;
            }
        }
        throw new System.InvalidOperationException("tag member not found: " + wire);
    }

    private static IEnumerable<string> Tokens(TypeKind kind) => kind switch
    {
        TypeKind.Str or TypeKind.Enum => new[] { "String" },
        TypeKind.Bool => new[] { "True", "False" },
        TypeKind.Null => new[] { "Null" },
        TypeKind.Struct or TypeKind.Union => new[] { "StartObject" },
        TypeKind.Array => new[] { "StartArray" },
        TypeKind.Any or TypeKind.Alternate => System.Array.Empty<string>(),
        _ => new[] { "Number" },
    };

    private static void EmitAlternate(SourceWriter w, AlternateSpec a, Parts parts)
    {
        string t = a.CsName;
        if (parts == Parts.None)
        {
            return;
        }

        w.If(a.If);
        if ((parts & Parts.Writer) != 0)
        {
            w.Line($"/// <summary>Writes a <see cref=\"{t}\"/> as its branch's value.</summary>");
            w.Open($"public static void Write({Writer} writer, {t} value)");
            w.Open("switch (value)");
            int tmp = 0;
            foreach (AlternateBranchSpec b in a.Branches)
            {
                w.If(b.If);
                w.Line($"case {t}.{b.ClassName} branch:");
                w.Indent++;
                Emitter.WriteValue(w, b.Type, "branch.Value", "writer", ref tmp);
                w.Line("return;");
                w.Indent--;
                w.EndIf(b.If);
            }
            w.Line($"default: throw new global::System.ArgumentException(\"unknown branch of {a.QapiName}\", nameof(value));");
            w.Close();
            w.Close();
            w.Line();
        }
        var readers = new List<bool>();
        if ((parts & Parts.Reader) != 0)
        {
            readers.Add(false);
        }

        if ((parts & Parts.OutputReader) != 0)
        {
            readers.Add(true);
        }

        foreach (bool rd in readers)
        {
            if (rd)
            {
                if ((parts & Parts.Reader) != 0)
                {
                    w.Line();
                }

                w.Line($"/// <summary>Reads a <see cref=\"{t}\"/> from output: the JSON type picks the branch, read by the readers of output.</summary>");
            }
            else
            {
                w.Line($"/// <summary>Reads a <see cref=\"{t}\"/>: the JSON type picks the branch.</summary>");
            }
            w.Open($"public static {t} {(rd ? "ReadOutput" : "Read")}{t}(ref {Reader} reader, in QapiPath path)");
            w.Open("switch (reader.TokenType)");
            foreach (AlternateBranchSpec b in a.Branches)
            {
                w.If(b.If);
                foreach (string token in Tokens(b.Type.Kind))
                {
                    w.Line($"case {Token}.{token}:");
                }

                w.Indent++;
                w.Line($"return new {t}.{b.ClassName} {{ Value = {Emitter.ReadExpr(b.Type, "reader", "path", rd)} }};");
                w.Indent--;
                w.EndIf(b.If);
            }
            w.Close();
            w.Line($"throw QapiJsonException.InvalidType(path, path.Short, {CsNames.Literal(a.QapiName)});");
            w.Close();
        }
        w.EndIf(a.If);
        w.Line();
    }

    /// <summary>
    /// One line per base member of a union but its tag, each under the member's condition: the
    /// parameter lists, arguments and initialisers that carry base members into a branch's reader.
    /// </summary>
    private static void EachBaseMember(SourceWriter w, UnionSpec u, int tagIndex, System.Func<int, string> line)
    {
        for (int i = 0; i < u.BaseMembers.Count; i++)
        {
            if (i == tagIndex)
            {
                continue;
            }

            w.If(u.BaseMembers[i].If);
            w.Line(line(i));
            w.EndIf(u.BaseMembers[i].If);
        }
    }
}
