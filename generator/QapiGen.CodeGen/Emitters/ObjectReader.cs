using System.Collections.Generic;

namespace QapiGen.CodeGen.Emitters;

/// <summary>
/// Emits the reading of a JSON object's members. Input (arguments), in two passes like QEMU's visitor reports errors:
/// a scan that remembers where each known member's value is (a copy of the reader, no allocation)
/// and the first unknown name; then, in schema order, each member is checked (missing mandatory
/// member) and parsed; finally an unknown member is reported. So the first error is the one QEMU
/// gives for the same input. Output (replies and events) is read in one pass (<see cref="EmitSinglePass"/>).
/// </summary>
internal static class ObjectReader
{
    /// <param name="w">Where to write.</param>
    /// <param name="members">The members to read into locals <c>{loc}0</c>, <c>{loc}1</c>...</param>
    /// <param name="skip">Members that are known but read elsewhere (a union's base while reading a branch).</param>
    /// <param name="reader">The reader variable: on StartObject before, on EndObject after.</param>
    /// <param name="prefix">An expression for the members' path prefix.</param>
    /// <param name="trackUnexpected">Whether to report names that are neither members nor skipped.</param>
    /// <param name="loc">Prefix of the value locals.</param>
    /// <param name="output">
    /// Read output (a reply or an event) by the reader's side of QAPI's compatibility rules: names
    /// neither members nor skipped are kept, with their values, in <c>{loc}unknown</c> (when
    /// <paramref name="trackUnexpected"/>), not reported; member values are read by the readers of output.
    /// </param>
    public static void Emit(SourceWriter w, IReadOnlyList<MemberSpec> members, IReadOnlyList<MemberSpec> skip, string reader, string prefix, bool trackUnexpected, string loc,
        bool output = false)
    {
        if (output)
        {
            EmitSinglePass(w, members, skip, reader, prefix, trackUnexpected, loc);
            return;
        }
        for (int i = 0; i < members.Count; i++)
        {
            w.If(members[i].If);
            w.Line($"global::System.Text.Json.Utf8JsonReader {loc}r{i} = default;");
            w.Line($"bool {loc}h{i} = false;");
            w.EndIf(members[i].If);
        }
        if (trackUnexpected && output)
        {
            w.Line($"global::System.Collections.Generic.Dictionary<string, global::System.Text.Json.JsonElement>? {loc}unknown = null;");
        }
        else if (trackUnexpected)
        {
            w.Line($"string? {loc}unexpected = null;");
        }

        w.Open($"while ({reader}.Read() && {reader}.TokenType == global::System.Text.Json.JsonTokenType.PropertyName)");
        for (int i = 0; i < members.Count; i++)
        {
            w.If(members[i].If);
            w.Open($"if ({reader}.ValueTextEquals({CsNames.U8(members[i].Wire)}))");
            w.Line($"{reader}.Read();");
            w.Line($"{loc}r{i} = {reader};");
            w.Line($"{loc}h{i} = true;");
            w.Line($"{reader}.Skip();");
            w.Line("continue;");
            w.Close();
            w.EndIf(members[i].If);
        }
        if (trackUnexpected)
        {
            foreach (MemberSpec m in skip)
            {
                w.If(m.If);
                w.Open($"if ({reader}.ValueTextEquals({CsNames.U8(m.Wire)}))");
                w.Line($"QapiJson.SkipValue(ref {reader});");
                w.Line("continue;");
                w.Close();
                w.EndIf(m.If);
            }
            if (output)
            {
                w.Line($"QapiJson.KeepUnknown(ref {reader}, ref {loc}unknown);");
            }
            else
            {
                w.Line($"{loc}unexpected ??= {reader}.GetString();");
                w.Line($"QapiJson.SkipValue(ref {reader});");
            }
        }
        else
        {
            w.Line($"QapiJson.SkipValue(ref {reader});");
        }
        w.Close();

        for (int i = 0; i < members.Count; i++)
        {
            MemberSpec m = members[i];
            w.If(m.If);
            string path = $"new QapiPath({prefix}, {CsNames.Literal(m.Wire)})";
            if (m.Optional)
            {
                w.Line($"{m.CsType} {loc}{i} = default;");
                w.Line($"if ({loc}h{i}) {loc}{i} = {Emitter.ReadExpr(m.Type, loc + "r" + i, path, output)};");
            }
            else
            {
                w.Line($"if (!{loc}h{i}) throw QapiJsonException.Missing({path}.Full);");
                w.Line($"{m.CsType} {loc}{i} = {Emitter.ReadExpr(m.Type, loc + "r" + i, path, output)};");
            }
            w.EndIf(m.If);
        }
        if (trackUnexpected && !output)
        {
            w.Line($"if ({loc}unexpected != null) throw QapiJsonException.Unexpected({prefix}, {loc}unexpected);");
        }
    }

    /// <summary>
    /// Reads output in one pass: each member's value is read where it stands and a missing mandatory
    /// member is reported after the object. A client has no error order to match (the first problem in
    /// document order is as good as QEMU's schema order), so it needs neither the reader copies nor the second pass.
    /// </summary>
    private static void EmitSinglePass(SourceWriter w, IReadOnlyList<MemberSpec> members, IReadOnlyList<MemberSpec> skip, string reader, string prefix,
        bool trackUnexpected, string loc)
    {
        for (int i = 0; i < members.Count; i++)
        {
            MemberSpec m = members[i];
            w.If(m.If);
            if (m.Optional)
            {
                w.Line($"{m.CsType} {loc}{i} = default;");
            }
            else
            {
                w.Line($"{m.CsType} {loc}{i} = default!;");
                w.Line($"bool {loc}h{i} = false;");
            }
            w.EndIf(m.If);
        }
        if (trackUnexpected)
        {
            w.Line($"global::System.Collections.Generic.Dictionary<string, global::System.Text.Json.JsonElement>? {loc}unknown = null;");
        }

        w.Open($"while ({reader}.Read() && {reader}.TokenType == global::System.Text.Json.JsonTokenType.PropertyName)");
        for (int i = 0; i < members.Count; i++)
        {
            MemberSpec m = members[i];
            w.If(m.If);
            w.Open($"if ({reader}.ValueTextEquals({CsNames.U8(m.Wire)}))");
            w.Line($"{reader}.Read();");
            w.Line($"{loc}{i} = {Emitter.ReadExpr(m.Type, reader, $"new QapiPath({prefix}, {CsNames.Literal(m.Wire)})", true)};");
            if (!m.Optional)
            {
                w.Line($"{loc}h{i} = true;");
            }

            w.Line("continue;");
            w.Close();
            w.EndIf(m.If);
        }
        if (trackUnexpected)
        {
            foreach (MemberSpec m in skip)
            {
                w.If(m.If);
                w.Open($"if ({reader}.ValueTextEquals({CsNames.U8(m.Wire)}))");
                w.Line($"QapiJson.SkipValue(ref {reader});");
                w.Line("continue;");
                w.Close();
                w.EndIf(m.If);
            }
            w.Line($"QapiJson.KeepUnknown(ref {reader}, ref {loc}unknown);");
        }
        else
        {
            w.Line($"QapiJson.SkipValue(ref {reader});");
        }
        w.Close();
        for (int i = 0; i < members.Count; i++)
        {
            MemberSpec m = members[i];
            if (m.Optional)
            {
                continue;
            }

            w.If(m.If);
            w.Line($"if (!{loc}h{i}) throw QapiJsonException.Missing(new QapiPath({prefix}, {CsNames.Literal(m.Wire)}).Full);");
            w.EndIf(m.If);
        }
    }

    /// <summary>Object-initializer lines <c>Prop = local,</c> for the members read by <see cref="Emit"/>.</summary>
    public static void Assign(SourceWriter w, IReadOnlyList<MemberSpec> members, string loc, int offset = 0)
    {
        for (int i = 0; i < members.Count; i++)
        {
            w.If(members[i].If);
            w.Line($"{members[i].CsName} = {loc}{i + offset},");
            w.EndIf(members[i].If);
        }
    }
}
