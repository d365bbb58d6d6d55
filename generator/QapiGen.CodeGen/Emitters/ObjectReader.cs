using System.Collections.Generic;
using System.Linq;

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
    /// <summary>The reader type where no alias names it.</summary>
    private const string FullReaderType = "global::System.Text.Json.Utf8JsonReader";

    /// <param name="w">Where to write.</param>
    /// <param name="members">The members to read into locals <c>{loc}0</c>, <c>{loc}1</c>...</param>
    /// <param name="skip">Members that are known but read elsewhere (a union's base while reading a branch).</param>
    /// <param name="reader">The reader variable: on StartObject before, on EndObject after.</param>
    /// <param name="path">An expression for the object's <c>QapiPath</c> as its members' parent (<c>QapiPath.AsParent</c>): each member's path is made from it, as text only for an error.</param>
    /// <param name="trackUnexpected">Whether to report names that are neither members nor skipped.</param>
    /// <param name="loc">Prefix of the value locals.</param>
    /// <param name="output">
    /// Read output (a reply or an event) by the reader's side of QAPI's compatibility rules: names
    /// neither members nor skipped are kept, with their values, in <c>{loc}unknown</c> (when
    /// <paramref name="trackUnexpected"/>), not reported; member values are read by the readers of output.
    /// </param>
    /// <param name="names">
    /// A <c>QapiNames</c> field holding the wire names of <paramref name="members"/>, every one whatever its
    /// condition (a member compiled out has no case, so its name is unexpected, as QEMU's would be): the
    /// member is found by one shared loop and a switch. Without it, each name is compared in line.
    /// </param>
    /// <param name="skipNames">With <paramref name="names"/>: a <c>QapiNames</c> field holding <paramref name="skip"/>.</param>
    /// <param name="aliased">Whether the file has aliases for <c>Utf8JsonReader</c> and <c>JsonTokenType</c>.</param>
    public static void Emit(SourceWriter w, IReadOnlyList<MemberSpec> members, IReadOnlyList<MemberSpec> skip, string reader, string path, bool trackUnexpected, string loc,
        bool output = false, string? names = null, string? skipNames = null, bool aliased = false)
    {
        if (output)
        {
            EmitSinglePass(w, members, skip, reader, path, trackUnexpected, loc, names, skipNames, aliased);
            return;
        }
        for (int i = 0; i < members.Count; i++)
        {
            w.If(members[i].If);
            w.Line($"{(aliased ? "Utf8JsonReader" : FullReaderType)} {loc}r{i} = default;");
            w.EndIf(members[i].If);
        }
        if (trackUnexpected)
        {
            w.Line($"string? {loc}unexpected = null;");
        }

        string other = trackUnexpected
            ? $"QapiJson.OtherMember(ref {reader}, ref {loc}unexpected, {skipNames ?? "null"});"
            : $"QapiJson.SkipValue(ref {reader});";
        Loop(w, members, skip, reader, names, skipNames, trackUnexpected, aliased, other, i => $"{reader}.Read(); {loc}r{i} = {reader}; {reader}.Skip(); continue;");

        for (int i = 0; i < members.Count; i++)
        {
            MemberSpec m = members[i];
            w.If(m.If);
            string memberPath = $"{path}.Member({CsNames.Literal(m.Wire)})";
            if (m.Optional)
            {
                w.Line($"{m.CsType} {loc}{i} = default;");
                w.Line($"if ({loc}r{i}.TokenType != 0) {loc}{i} = {Emitter.ReadExpr(m.Type, loc + "r" + i, memberPath, output)};");
            }
            else
            {
                string need = $"QapiJson.NeedMember(ref {loc}r{i}, {path}, {CsNames.Literal(m.Wire)})";
                w.Line($"{m.CsType} {loc}{i} = {Emitter.ReadExpr(m.Type, need, memberPath, output)};");
            }
            w.EndIf(m.If);
        }
        if (trackUnexpected)
        {
            w.Line($"if ({loc}unexpected != null) throw QapiJsonException.Unexpected({path}, {loc}unexpected);");
        }
    }

    /// <summary>
    /// The loop over an object's members: <paramref name="take"/> for each member found, skip for each
    /// name of <paramref name="skip"/>, <paramref name="other"/> for any other name. With a names table
    /// the member is found by <c>QapiNames.Find</c> and a switch, and the skipped names are
    /// <paramref name="other"/>'s to handle; without one, names are compared one line each.
    /// </summary>
    private static void Loop(SourceWriter w, IReadOnlyList<MemberSpec> members, IReadOnlyList<MemberSpec> skip, string reader, string? names, string? skipNames,
        bool trackUnexpected, bool aliased, string other, System.Func<int, string> take)
    {
        w.Open($"while ({reader}.Read() && {reader}.TokenType == {(aliased ? "" : "global::System.Text.Json.")}JsonTokenType.PropertyName)");
        if (names != null && members.Count > 0)
        {
            w.Open($"switch ({names}.Find(ref {reader}))");
            for (int i = 0; i < members.Count; i++)
            {
                w.If(members[i].If);
                w.Line($"case {i}: {take(i)}");
                w.EndIf(members[i].If);
            }
            w.Close();
        }
        else if (names == null)
        {
            for (int i = 0; i < members.Count; i++)
            {
                w.If(members[i].If);
                w.Line($"if ({reader}.ValueTextEquals({CsNames.U8(members[i].Wire)})) {{ {take(i)} }}");
                w.EndIf(members[i].If);
            }
        }
        if (trackUnexpected && skipNames == null)
        {
            foreach (MemberSpec m in skip)
            {
                w.If(m.If);
                w.Line($"if ({reader}.ValueTextEquals({CsNames.U8(m.Wire)})) {{ QapiJson.SkipValue(ref {reader}); continue; }}");
                w.EndIf(m.If);
            }
        }
        w.Line(other);
        w.Close();
    }

    /// <summary>
    /// Reads output in one pass: each member's value is read where it stands and a missing mandatory
    /// member is reported after the object. A client has no error order to match (the first problem in
    /// document order is as good as QEMU's schema order), so it needs neither the reader copies nor the second pass.
    /// </summary>
    private static void EmitSinglePass(SourceWriter w, IReadOnlyList<MemberSpec> members, IReadOnlyList<MemberSpec> skip, string reader, string path,
        bool trackUnexpected, string loc, string? names, string? skipNames, bool aliased)
    {
        // With a names table, mandatory member i (i < 64) is marked read by bit i of one mask, {loc}s, and
        // one test after the loop finds any missing (MissingMember names the first in schema order, as the
        // test per member did); other mandatory members keep a flag each.
        bool masked = names != null;
        var need = new List<int>();
        for (int i = 0; i < members.Count; i++)
        {
            MemberSpec m = members[i];
            bool bit = masked && i < 64 && !m.Optional;
            if (bit)
            {
                need.Add(i);
            }

            w.If(m.If);
            w.Line(m.Optional ? $"{m.CsType} {loc}{i} = default;" : bit ? $"{m.CsType} {loc}{i} = default!;" : $"{m.CsType} {loc}{i} = default!; bool {loc}h{i} = false;");
            w.EndIf(m.If);
        }
        // The needed bits: a constant when no mandatory member is conditional, else added under each condition.
        bool conditional = need.Exists(i => members[i].If != null);
        string mask = Mask(need.Where(i => members[i].If == null));
        if (need.Count > 0)
        {
            w.Line($"ulong {loc}s = 0;");
            if (conditional)
            {
                w.Line($"ulong {loc}n = {mask};");
                foreach (int i in need.Where(i => members[i].If != null))
                {
                    w.If(members[i].If);
                    w.Line($"{loc}n |= {Mask(new[] { i })};");
                    w.EndIf(members[i].If);
                }
                mask = loc + "n";
            }
        }
        if (trackUnexpected)
        {
            w.Line(aliased ? $"{UnknownAlias}? {loc}unknown = null;" : $"global::System.Collections.Generic.Dictionary<string, global::System.Text.Json.JsonElement>? {loc}unknown = null;");
        }

        string qapiJson = aliased ? "" : "QapiJson.";
        string other = trackUnexpected
            ? (skipNames != null ? $"{qapiJson}OtherOutputMember(ref {reader}, ref {loc}unknown, {skipNames});" : $"{qapiJson}KeepUnknown(ref {reader}, ref {loc}unknown);")
            : $"{qapiJson}SkipValue(ref {reader});";
        Loop(w, members, skip, reader, names, skipNames, trackUnexpected, aliased, other, i =>
        {
            MemberSpec m = members[i];
            string read = Emitter.ReadExpr(m.Type, reader, $"{path}.Member({CsNames.Literal(m.Wire)})", true, qapiJson);
            string seen = m.Optional ? "" : need.Contains(i) ? $" {loc}s |= {Mask(new[] { i })};" : $" {loc}h{i} = true;";
            return $"{reader}.Read(); {loc}{i} = {read};{seen} continue;";
        });
        if (need.Count > 0)
        {
            w.Line($"if (({loc}s & {mask}) != {mask}) throw {qapiJson}MissingMember({loc}s, {mask}, {names}, {path});");
        }

        for (int i = 0; i < members.Count; i++)
        {
            MemberSpec m = members[i];
            if (m.Optional || need.Contains(i))
            {
                continue;
            }

            w.If(m.If);
            w.Line($"if (!{loc}h{i}) throw QapiJsonException.Missing({path}.Member({CsNames.Literal(m.Wire)}).Full);");
            w.EndIf(m.If);
        }
    }

    /// <summary>The alias of the JSON file for the dictionary of unknown members.</summary>
    public const string UnknownAlias = "QapiUnknown";

    /// <summary>A literal with the bits <paramref name="bits"/> set: a constant the <c>ulong</c> mask converts (an
    /// <c>int</c> or <c>uint</c> below bit 32, a <c>ulong</c> from bit 63).</summary>
    private static string Mask(IEnumerable<int> bits)
    {
        ulong mask = 0;
        foreach (int i in bits)
        {
            mask |= 1UL << i;
        }

        return "0x" + mask.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
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
