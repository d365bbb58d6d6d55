using System.Collections.Generic;
using System.Linq;

namespace QapiGen.CodeGen.Emitters;

/// <summary>
/// Emits one class per event (deriving from <c>QapiEvent</c>), and <c>QapiEvents</c>: typed
/// <c>Emit…</c> extension methods on the runtime's event hub and command context, and the parser
/// that turns received events into the typed classes.
/// </summary>
internal static class EventsEmitter
{
    private const string Writer = "global::System.Text.Json.Utf8JsonWriter";
    private const string Hub = "global::QapiGen.Runtime.Server.QmpEventHub";
    private const string Context = "global::QapiGen.Runtime.Protocol.QmpCommandContext";

    public static void Emit(SchemaSpec spec, SourceWriter w)
    {
        // A client only reads events (Parse), a server only writes them (WriteData, Emit...).
        bool writers = spec.Scope != GenerationScope.Client;
        bool readers = spec.Scope != GenerationScope.Server;
        w.Raw(Emitter.Header(spec.Namespace));
        w.Line("/// <summary>An event of the schema; the derived class of each event carries its data.</summary>");
        w.Open($"public abstract partial record class QapiEvent : {Emitter.RecordBase}");
        w.Line("private protected QapiEvent() { }");
        w.Line();
        w.Line("/// <summary>The event's wire name, e.g. <c>SHUTDOWN</c>.</summary>");
        w.Line("public abstract string EventName { get; }");
        w.Line();
        w.Line("/// <summary>When the server emitted the event (set on received events).</summary>");
        w.Line("public global::System.DateTimeOffset? Timestamp { get; set; }");
        w.Line();
        if (writers)
        {
            w.Line("/// <summary>Whether the event has a \"data\" member on the wire.</summary>");
            w.Line("public abstract bool HasData { get; }");
            w.Line();
            w.Line("/// <summary>Writes the \"data\" object.</summary>");
            w.Line($"public abstract void WriteData({Writer} writer);");
            w.Line();
        }
        w.Close();
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// An event of the schema whose data this client cannot represent (a mandatory member missing, a value");
        w.Line("/// of the wrong JSON type): it still arrives, with the error and the data as received, so one bad event");
        w.Line("/// never ends the event stream.");
        w.Line("/// </summary>");
        w.Open("public sealed partial record class QapiUnparsedEvent : QapiEvent");
        w.Line("/// <summary>Creates the event.</summary>");
        w.Line("public QapiUnparsedEvent(string name, global::System.Text.Json.JsonElement data, global::QapiGen.Runtime.Client.QmpReplyException error) { Name = name; Data = data; Error = error; }");
        w.Line("/// <summary>The wire name.</summary>");
        w.Line("public string Name { get; }");
        w.Line("/// <summary>The \"data\" member as received (Undefined when absent).</summary>");
        w.Line("public global::System.Text.Json.JsonElement Data { get; }");
        w.Line("/// <summary>Why the data could not be read: the member path and the likely cause.</summary>");
        w.Line("public global::QapiGen.Runtime.Client.QmpReplyException Error { get; }");
        w.Line("/// <inheritdoc/>");
        w.Line("public override string EventName => Name;");
        if (writers)
        {
            DataOverrides(w);
        }

        w.Close();
        w.Line();
        w.Line("/// <summary>An event this schema does not define (received by a client).</summary>");
        w.Open("public sealed partial record class QapiUnknownEvent : QapiEvent");
        w.Line("/// <summary>Creates the event.</summary>");
        w.Line("public QapiUnknownEvent(string name, global::System.Text.Json.JsonElement data) { Name = name; Data = data; }");
        w.Line("/// <summary>The wire name.</summary>");
        w.Line("public string Name { get; }");
        w.Line("/// <summary>The \"data\" member (Undefined when absent).</summary>");
        w.Line("public global::System.Text.Json.JsonElement Data { get; }");
        w.Line("/// <inheritdoc/>");
        w.Line("public override string EventName => Name;");
        if (writers)
        {
            DataOverrides(w);
        }

        w.Close();
        w.Line();

        foreach (EventSpec e in spec.Events)
        {
            w.If(e.If);
            EmitClass(w, e, writers);
            w.EndIf(e.If);
            w.Line();
        }

        w.Line("/// <summary>Emitting and parsing the schema's events.</summary>");
        w.Open("public static partial class QapiEvents");
        if (writers)
        {
            EmitEmitters(w, spec);
        }

        if (readers)
        {
            EmitParser(w, spec);
        }

        w.Close();
    }

    private static void DataOverrides(SourceWriter w)
    {
        w.Line("/// <inheritdoc/>");
        w.Line("public override bool HasData => Data.ValueKind != global::System.Text.Json.JsonValueKind.Undefined;");
        w.Line("/// <inheritdoc/>");
        w.Line($"public override void WriteData({Writer} writer) => Data.WriteTo(writer);");
    }

    private static void EmitEmitters(SourceWriter w, SchemaSpec spec)
    {
        w.Line("/// <summary>Broadcasts <paramref name=\"event\"/> to every session of the hub.</summary>");
        w.Open($"public static void Emit(this {Hub} hub, QapiEvent @event)");
        w.Line("if (@event.HasData) hub.Emit(@event.EventName, @event, static (w, e) => e.WriteData(w));");
        w.Line("else hub.Emit(@event.EventName);");
        w.Close();
        w.Line();
        w.Line("/// <summary>Broadcasts <paramref name=\"event\"/> from a command (through the session's hub).</summary>");
        w.Open($"public static void Emit(this {Context} context, QapiEvent @event)");
        w.Line("if (@event.HasData) context.EmitEvent(@event.EventName, @event, static (w, e) => e.WriteData(w));");
        w.Line("else context.EmitEvent(@event.EventName);");
        w.Close();
        foreach (EventSpec e in spec.Events)
        {
            w.Line();
            w.If(e.If);
            EmitEmitters(w, e, Hub, "hub");
            w.Line();
            EmitEmitters(w, e, Context, "context");
            w.EndIf(e.If);
        }
    }

    private static void EmitParser(SourceWriter w, SchemaSpec spec)
    {
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// The typed form of a received event, read by the reader's side of QAPI's compatibility rules: members");
        w.Line("/// and enum values the schema lacks are kept. <see cref=\"QapiUnknownEvent\"/> for names the schema lacks;");
        w.Line("/// <see cref=\"QapiUnparsedEvent\"/> for data it cannot represent. Never throws for the data.");
        w.Line("/// </summary>");
        w.Open("public static QapiEvent Parse(global::QapiGen.Runtime.Client.QmpEvent received)");
        w.Line("QapiEvent result;");
        w.Open("try");
        w.Open("switch (received.Name)");
        foreach (EventSpec e in spec.Events)
        {
            w.If(e.If);
            w.Line($"case {CsNames.Literal(e.Wire)}: result = Read{e.ClassName}(received.Data); break;");
            w.EndIf(e.If);
        }
        // No early return: with no event (or none left by conditions) the code after the switch
        // would be unreachable (CS0162), and users build with warnings as errors.
        w.Line("default: result = new QapiUnknownEvent(received.Name, received.Data); break;");
        w.Close();
        w.Close();
        w.Open("catch (QapiJsonException e)");
        w.Line("result = new QapiUnparsedEvent(received.Name, received.Data, global::QapiGen.Runtime.Client.QmpReplyException.ForEvent(");
        w.Line("    received.Name, e.Member, e.IsMissing, e.Message, received.Data.ValueKind == global::System.Text.Json.JsonValueKind.Undefined ? \"\" : received.Data.GetRawText(), e));");
        w.Close();
        w.Open("catch (global::System.InvalidOperationException e)");
        w.Line("// The data is not of the JSON type the event's reader expects at its top level.");
        w.Line("result = new QapiUnparsedEvent(received.Name, received.Data, global::QapiGen.Runtime.Client.QmpReplyException.ForEvent(");
        w.Line("    received.Name, \"\", false, e.Message, received.Data.ValueKind == global::System.Text.Json.JsonValueKind.Undefined ? \"\" : received.Data.GetRawText(), e));");
        w.Close();
        w.Line("result.Timestamp = received.Seconds < 0 ? null : received.Timestamp;");
        w.Line("return result;");
        w.Close();
        foreach (EventSpec e in spec.Events)
        {
            w.Line();
            w.If(e.If);
            EmitReader(w, e);
            w.EndIf(e.If);
        }
    }

    private static void EmitClass(SourceWriter w, EventSpec e, bool writers)
    {
        Emitter.Doc(w, e.Doc);
        Emitter.Features(w, e.Deprecated, e.Unstable);
        Emitter.NotInBaseline(w, e.NotInBaseline);
        w.Open($"public sealed partial record class {e.ClassName} : QapiEvent");
        w.Line("/// <inheritdoc/>");
        w.Line($"public override string EventName => {CsNames.Literal(e.Wire)};");
        w.Line();
        if (writers)
        {
            w.Line("/// <inheritdoc/>");
            // An event without data has data on the wire only when a newer server sent members (kept in UnknownMembers).
            w.Line($"public override bool HasData => {(e.Members.Count > 0 || e.BoxedType != null ? "true" : Emitter.UnknownMembers + " != null")};");
            w.Line();
        }
        if (e.BoxedType != null)
        {
            w.Line("/// <summary>The event's data.</summary>");
            w.Line($"public required {e.BoxedType.CsName} Data {{ get; set; }}");
            w.Line();
        }
        foreach (MemberSpec m in e.Members)
        {
            w.If(m.If);
            Emitter.Summary(w, m.Doc);
            Emitter.Features(w, m.Deprecated, m.Unstable);
            Emitter.NotInBaseline(w, m.NotInBaseline);
            w.Line(TypesEmitter.PropertyDeclaration(m));
            w.EndIf(m.If);
            w.Line();
        }
        if (writers)
        {
            EmitWriteData(w, e);
        }

        w.Close();
    }

    private static void EmitWriteData(SourceWriter w, EventSpec e)
    {
        w.Line("/// <inheritdoc/>");
        w.Open($"public override void WriteData({Writer} writer)");
        int tmp = 0;
        if (e.BoxedType != null)
        {
            Emitter.WriteValue(w, e.BoxedType, "Data", "writer", ref tmp);
        }
        else
        {
            w.Line("writer.WriteStartObject();");
            Emitter.WriteMembers(w, e.Members, "this", "writer", ref tmp);
            w.Line($"QapiJson.WriteUnknownMembers(writer, {Emitter.UnknownMembers});");
            w.Line("writer.WriteEndObject();");
        }
        w.Close();
    }

    private static void EmitEmitters(SourceWriter w, EventSpec e, string target, string name)
    {
        Emitter.Doc(w, e.Doc);
        Emitter.Features(w, e.Deprecated, e.Unstable);
        var ps = new List<(string, CondSpec?)> { ($"this {target} {name}", null) };
        string init;
        if (e.BoxedType != null)
        {
            ps.Add(($"{e.BoxedType.CsName} data", null));
            init = "Data = data, ";
        }
        else
        {
            // Mandatory data first, then optional data defaulting to absent.
            ps.AddRange(e.Members.Where(m => !m.Optional).Select(m => ($"{m.CsType} {m.ParamName}", m.If)));
            ps.AddRange(e.Members.Where(m => m.Optional).Select(m => ($"{m.CsType} {m.ParamName} = null", m.If)));
            init = CommandsEmitter.Init(e.Members.Select(m => ($"{m.CsName} = {m.ParamName}", m.If)));
        }
        w.Line($"public static void Emit{e.CsName}({CommandsEmitter.Join(ps)})");
        w.Line($"    => Emit({name}, new {e.ClassName} {{ {init}}});");
    }

    private static void EmitReader(SourceWriter w, EventSpec e)
    {
        w.Open($"private static {e.ClassName} Read{e.ClassName}(global::System.Text.Json.JsonElement data)");
        if (e.BoxedType == null && e.Members.Count == 0)
        {
            // A newer server may have given the event data: its members are kept.
            w.Line($"var result = new {e.ClassName}();");
            w.Open("if (data.ValueKind == global::System.Text.Json.JsonValueKind.Object)");
            w.Line("foreach (var member in data.EnumerateObject())");
            w.Line($"    (result.{Emitter.UnknownMembers} ??= new global::System.Collections.Generic.Dictionary<string, global::System.Text.Json.JsonElement>(global::System.StringComparer.Ordinal))[member.Name] = member.Value.Clone();");
            w.Close();
            w.Line("return result;");
            w.Close();
            return;
        }
        // Absent data reads as an empty object: mandatory members are then reported missing.
        w.Line("var reader = new global::System.Text.Json.Utf8JsonReader(data.ValueKind == global::System.Text.Json.JsonValueKind.Undefined ? \"{}\"u8 : global::System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(data));");
        w.Line("reader.Read();");
        if (e.BoxedType != null)
        {
            w.Line($"return new {e.ClassName} {{ Data = {Emitter.ReadExpr(e.BoxedType, "reader", "QapiPath.Root", output: true)} }};");
            w.Close();
            return;
        }
        w.Line("QapiJson.ExpectObject(ref reader, QapiPath.Root);");
        ObjectReader.Emit(w, e.Members, System.Array.Empty<MemberSpec>(), "reader", "QapiPath.Root", true, "m", output: true);
        w.Open($"return new {e.ClassName}");
        ObjectReader.Assign(w, e.Members, "m");
        w.Line($"{Emitter.UnknownMembers} = munknown,");
        w.Close(";");
        w.Close();
    }
}
