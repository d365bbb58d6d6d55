using System.Collections.Generic;
using System.Linq;

namespace QapiGen.CodeGen.Emitters;

/// <summary>
/// Emits <c>QapiClient</c>, a typed client on the runtime's <c>QmpClient</c>: one async method per
/// command (arguments written and the return value read by generated code) and a typed event stream.
/// </summary>
internal static class ClientEmitter
{
    private const string Rc = "global::QapiGen.Runtime.Client";
    private const string Ct = "global::System.Threading.CancellationToken";
    private const string Fds = "global::System.Collections.Generic.IReadOnlyList<global::System.Runtime.InteropServices.SafeHandle>?";
    private const string Writer = "global::System.Text.Json.Utf8JsonWriter";

    // Members of QmpClient a generated method must not hide.
    private static readonly HashSet<string> BaseMembers = new()
    {
        "ConnectAsync", "CreateAsync", "ConnectTransportAsync", "NegotiateAsync", "ExecuteAsync", "SendRawAsync",
        "ReadEventsAsync", "ReadTypedEventsAsync", "DisposeAsync", "InitializeAsync",
    };

    // Members of QgaClient a generated method must not hide.
    private static readonly HashSet<string> GuestAgentBaseMembers = new()
    {
        "ConnectAsync", "CreateAsync", "ExecuteAsync", "SendAsync", "SynchronizeAsync", "DisposeAsync", "InitializeAsync",
    };

    public static void Emit(SchemaSpec spec, SourceWriter w)
    {
        ClientDialect dialect = ClientDialects.Of(spec);
        bool qga = dialect == ClientDialect.GuestAgent;
        string baseClass = qga ? "QgaClient" : "QmpClient";
        string options = qga ? $"{Rc}.QgaClientOptions" : $"{Rc}.QmpClientOptions";
        w.Raw(Emitter.Header(spec.Namespace));
        w.Line(qga
            ? "/// <summary>A typed guest-agent client for the schema (no greeting; resynchronises with guest-sync-delimited): one method per command.</summary>"
            : "/// <summary>A typed QMP client for the schema: one method per command, typed events.</summary>");
        w.Open($"public partial class QapiClient : {Rc}.{baseClass}");
        w.Line($"/// <summary>Wraps a connected transport; use <see cref=\"CreateAsync\"/> or <see cref=\"ConnectAsync(string, {options}?, global::System.Threading.CancellationToken)\"/>.</summary>");
        w.Line($"protected QapiClient(global::QapiGen.Runtime.Transports.QmpTransport transport, {options}? options) : base(transport, options) {{ }}");
        w.Line();
        w.Line(qga
            ? "/// <summary>Connects to <c>unix:PATH</c> or <c>tcp:HOST:PORT</c> and resynchronises.</summary>"
            : "/// <summary>Connects to <c>unix:PATH</c> or <c>tcp:HOST:PORT</c>, reads the greeting and negotiates.</summary>");
        w.Open($"public static new async global::System.Threading.Tasks.Task<QapiClient> ConnectAsync(string endpoint, {options}? options = null, {Ct} cancellationToken = default)");
        w.Line($"var transport = await {(qga ? Rc + ".QmpClient." : "")}ConnectTransportAsync(global::QapiGen.Runtime.Transports.QmpEndpoint.Parse(endpoint), cancellationToken).ConfigureAwait(false);");
        w.Line("return await CreateAsync(transport, options, cancellationToken).ConfigureAwait(false);");
        w.Close();
        w.Line();
        w.Line("/// <summary>Runs the client protocol over an already connected transport.</summary>");
        w.Open($"public static new async global::System.Threading.Tasks.Task<QapiClient> CreateAsync(global::QapiGen.Runtime.Transports.QmpTransport transport, {options}? options = null, {Ct} cancellationToken = default)");
        w.Line("var client = new QapiClient(transport, options);");
        w.Open("try");
        w.Line("await client.InitializeAsync(cancellationToken).ConfigureAwait(false);");
        w.Line("return client;");
        w.Close();
        w.Open("catch");
        w.Line("await client.DisposeAsync().ConfigureAwait(false);");
        w.Line("throw;");
        w.Close();
        w.Close();
        if (!qga)
        {
            // The guest agent sends no events.
            w.Line();
            w.Line("/// <summary>Received events in their typed form (<see cref=\"QapiUnknownEvent\"/> for names the schema lacks).</summary>");
            w.Open($"public async global::System.Collections.Generic.IAsyncEnumerable<QapiEvent> ReadTypedEventsAsync([global::System.Runtime.CompilerServices.EnumeratorCancellation] {Ct} cancellationToken = default)");
            w.Line("await foreach (var received in global::System.Threading.Tasks.TaskAsyncEnumerableExtensions.ConfigureAwait(ReadEventsAsync(cancellationToken), false))");
            w.Line("    yield return QapiEvents.Parse(received);");
            w.Close();
        }

        var taken = new HashSet<string>(qga ? GuestAgentBaseMembers : BaseMembers);
        foreach (CommandSpec? c in spec.Commands.Where(c => c.Wire != "qmp_capabilities"))
        {
            w.Line();
            w.If(c.If);
            EmitMethod(w, c, CsNames.Unique(c.CsName + "Async", taken), dialect);
            w.EndIf(c.If);
        }
        w.Line();
        w.Line("// Reads a return value by the reader's side of QAPI's compatibility rules; what cannot be represented");
        w.Line("// is reported as a QmpReplyException naming the command, the member and the likely cause.");
        w.Line($"private static T ReadReturn<T>(string command, global::System.Text.Json.JsonElement value, QapiReadFunc<T> read)");
        w.Line("{");
        w.Line("    try");
        w.Line("    {");
        w.Line("        var reader = new global::System.Text.Json.Utf8JsonReader(global::System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value));");
        w.Line("        reader.Read();");
        w.Line("        return read(ref reader, QapiPath.Root);");
        w.Line("    }");
        w.Line("    catch (QapiJsonException e)");
        w.Line("    {");
        w.Line($"        throw {Rc}.QmpReplyException.ForReply(command, e.Member, e.IsMissing, e.Message, value.GetRawText(), e);");
        w.Line("    }");
        w.Line("}");
        w.Close();
    }

    /// <summary>
    /// <c>&lt;param&gt;</c> for each argument (its schema doc), the fds and the token, and
    /// <c>&lt;returns&gt;</c> from the command's Returns section.
    /// </summary>
    private static void EmitParameterDocs(SourceWriter w, CommandSpec c, ClientDialect dialect)
    {
        if (!c.Gen)
        {
            w.Line("/// <param name=\"arguments\">The arguments object, sent as it is ('gen': false).</param>");
        }
        else if (c.Boxed && c.BoxedType != null)
        {
            w.Line("/// <param name=\"arguments\">The arguments.</param>");
        }
        else
        {
            foreach (MemberSpec a in c.Args)
            {
                string doc = a.Doc?.Replace("\n", " ") ?? $"<c>{a.Wire}</c>";
                // A conditional argument's tag is as conditional as the parameter (CS1572 otherwise).
                w.If(a.If);
                w.Line($"/// <param name=\"{a.ParamName.TrimStart('@')}\">{doc}{(a.Optional ? " Optional: null leaves it out." : "")}</param>");
                w.EndIf(a.If);
            }
        }
        if (TakesFds(c, dialect))
        {
            w.Line("/// <param name=\"fds\">File descriptors to pass with the request (SCM_RIGHTS; unix sockets only): the command consumes them.</param>");
        }
        w.Line("/// <param name=\"cancellationToken\">Stops waiting for the reply.</param>");
        if (c.Returns != null && c.SuccessResponse)
        {
            w.Line($"/// <returns>{(c.ReturnsDoc ?? "The command's return value.").Replace("\n", " ")}</returns>");
        }
    }

    /// <summary>
    /// Whether a command's method takes <c>fds</c>: only a command that consumes passed fds (<c>getfd</c>, <c>add-fd</c>,
    /// or the item's <c>FdCommands</c>); anything else would take them only to leave them unused. The guest agent takes
    /// none (a virtio-serial port carries bytes only). <c>ExecuteAsync</c> still sends fds with any command.
    /// </summary>
    private static bool TakesFds(CommandSpec c, ClientDialect dialect) => c.TakesFds && dialect != ClientDialect.GuestAgent;

    private static void EmitMethod(SourceWriter w, CommandSpec c, string name, ClientDialect dialect)
    {
        Emitter.Doc(w, c.Doc);
        EmitParameterDocs(w, c, dialect);
        Emitter.Features(w, c.Deprecated, c.Unstable);
        Emitter.NotInBaseline(w, c.NotInBaseline);
        var ps = new List<(string, CondSpec?)>();
        string state;
        string write;
        if (!c.Gen)
        {
            ps.Add(($"global::System.Text.Json.JsonElement arguments", null));
            state = "arguments";
            write = "static (w, a) => a.WriteTo(w)";
        }
        else if (c.Boxed && c.BoxedType != null)
        {
            ps.Add(($"{c.BoxedType.CsName} arguments", null));
            state = "arguments";
            write = "static (w, a) => QapiJson.Write(w, a)";
        }
        else if (c.Args.Count > 0)
        {
            ps.AddRange(c.Args.Where(a => !a.Optional).Select(a => ($"{a.CsType} {a.ParamName}", a.If)));
            ps.AddRange(c.Args.Where(a => a.Optional).Select(a => ($"{a.CsType} {a.ParamName} = null", a.If)));
            // The state is a tuple of the arguments (a value type: no allocation beyond the request).
            var present = c.Args.Where(a => a.If == null).ToList();
            if (present.Count == c.Args.Count)
            {
                state = present.Count == 1 ? present[0].ParamName : "(" + string.Join(", ", present.Select(a => a.ParamName)) + ")";
                write = $"Write{c.CsName}Arguments";
            }
            else
            {
                // Conditional arguments: fall back to a JsonElement built here.
                state = "BuildArguments" + c.CsName + "(" + CommandsEmitter.Join(new[] { ("0", (CondSpec?)null) }.Concat(c.Args.Select(a => (a.ParamName, a.If)))) + ")";
                write = "static (w, a) => a.WriteTo(w)";
            }
        }
        else
        {
            state = "(object?)null";
            write = "null";
        }
        bool qga = dialect == ClientDialect.GuestAgent;
        bool fds = TakesFds(c, dialect);
        if (fds)
        {
            ps.Add(($"{Fds} fds = null", null));
        }

        ps.Add(($"{Ct} cancellationToken = default", null));
        TypeRef? returns = c.Returns != null && c.Gen && c.SuccessResponse ? c.Returns : null;
        string? retType = !c.Gen ? "global::System.Text.Json.JsonElement" : returns?.CsName;
        string task = retType == null ? "global::System.Threading.Tasks.Task" : $"global::System.Threading.Tasks.Task<{retType}>";
        string paramText = CommandsEmitter.Join(new[] { ("", (CondSpec?)null) }.Concat(ps)).Substring(2);
        w.Open($"public async {task} {name}({paramText})");
        if (qga && !c.SuccessResponse && c.Gen)
        {
            // The agent never answers these (guest-shutdown, guest-suspend-*): waiting would only time out.
            w.Line($"await SendAsync({CsNames.Literal(c.Wire)}, {state}, {write}, cancellationToken).ConfigureAwait(false);");
        }
        else
        {
            w.Line(qga
                ? $"var result = await ExecuteAsync({CsNames.Literal(c.Wire)}, {state}, {write}, cancellationToken).ConfigureAwait(false);"
                : $"var result = await ExecuteAsync({CsNames.Literal(c.Wire)}, {state}, {write}, {(fds ? "fds" : "null")}, false, cancellationToken).ConfigureAwait(false);");
            if (!c.Gen)
            {
                w.Line("return result;");
            }
            else if (returns != null)
            {
                w.Line($"return ReadReturn<{returns.CsName}>({CsNames.Literal(c.Wire)}, result, {ReadFunc(returns)});");
            }
            else
            {
                w.Line("_ = result;");
            }
        }
        w.Close();

        if (c.Gen && !c.Boxed && c.Args.Count > 0)
        {
            var present = c.Args.Where(a => a.If == null).ToList();
            w.Line();
            if (present.Count == c.Args.Count)
            {
                string stateType = present.Count == 1 ? present[0].CsType : "(" + string.Join(", ", present.Select(a => a.CsType)) + ")";
                w.Open($"private static void Write{c.CsName}Arguments({Writer} writer, {stateType} args)");
                w.Line("writer.WriteStartObject();");
                int tmp = 0;
                var members = present.Select((a, i) => a with { CsName = "Item" + (i + 1) }).ToList();
                if (present.Count == 1)
                {
                    WriteSingle(w, present[0], ref tmp);
                }
                else
                {
                    Emitter.WriteMembers(w, members, "args", "writer", ref tmp);
                }

                w.Line("writer.WriteEndObject();");
                w.Close();
            }
            else
            {
                var bps = new List<(string, CondSpec?)> { ("int unused", null) };
                bps.AddRange(c.Args.Select(a => ($"{a.CsType} {a.ParamName}", a.If)));
                w.Open($"private static global::System.Text.Json.JsonElement BuildArguments{c.CsName}({CommandsEmitter.Join(bps)})");
                w.Line("var buffer = new global::System.Buffers.ArrayBufferWriter<byte>();");
                w.Open($"using (var writer = new {Writer}(buffer))");
                w.Line("writer.WriteStartObject();");
                int tmp = 0;
                foreach (MemberSpec a in c.Args)
                {
                    w.If(a.If);
                    if (a.Optional)
                    {
                        w.Open($"if ({a.ParamName} is {{ }} p{tmp})");
                    }

                    w.Line($"writer.WritePropertyName({CsNames.U8(a.Wire)});");
                    Emitter.WriteValue(w, a.Type, a.Optional ? "p" + tmp++ : a.ParamName, "writer", ref tmp);
                    if (a.Optional)
                    {
                        w.Close();
                    }

                    w.EndIf(a.If);
                }
                w.Line("writer.WriteEndObject();");
                w.Close();
                w.Line("using var document = global::System.Text.Json.JsonDocument.Parse(buffer.WrittenMemory);");
                w.Line("return document.RootElement.Clone();");
                w.Close();
            }
        }
    }

    private static void WriteSingle(SourceWriter w, MemberSpec a, ref int tmp)
    {
        if (a.Optional)
        {
            w.Open($"if (args is {{ }} v{tmp})");
            w.Line($"writer.WritePropertyName({CsNames.U8(a.Wire)});");
            string v = "v" + tmp++;
            Emitter.WriteValue(w, a.Type, v, "writer", ref tmp);
            w.Close();
        }
        else
        {
            w.Line($"writer.WritePropertyName({CsNames.U8(a.Wire)});");
            Emitter.WriteValue(w, a.Type, "args", "writer", ref tmp);
        }
    }

    private static string ReadFunc(TypeRef t) => t.Kind == TypeKind.Array
        ? $"static (ref global::System.Text.Json.Utf8JsonReader r, in QapiPath p) => QapiJson.ReadList<{t.Element!.CsName}>(ref r, p, QapiJson.{Emitter.ReadName(t.Element!, true)})"
        : $"QapiJson.{Emitter.ReadName(t, true)}";
}
