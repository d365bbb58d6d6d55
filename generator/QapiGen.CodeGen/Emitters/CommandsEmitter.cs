using System.Collections.Generic;
using System.Linq;

namespace QapiGen.CodeGen.Emitters;

/// <summary>
/// Emits the handler interface <c>IQapiCommands</c> (one async, cancellable method per command) and
/// <c>QapiDispatcher</c>, the runtime's <c>IQmpDispatcher</c>: it parses arguments with QEMU's
/// checks and messages, calls the handler and writes the reply.
/// </summary>
internal static class CommandsEmitter
{
    private const string Rt = "global::QapiGen.Runtime.Protocol";
    private const string Ct = "global::System.Threading.CancellationToken";
    private const string Writer = "global::System.Text.Json.Utf8JsonWriter";
    private const string JsonElement = "global::System.Text.Json.JsonElement";
    private const string Bytes = "global::System.ReadOnlyMemory<byte>";

    public static void Emit(SchemaSpec spec, SourceWriter w)
    {
        w.Raw(Emitter.Header(spec.Namespace));
        EmitInterface(w, spec);
        w.Line();
        ArgumentRecordsEmitter.Emit(w, spec);
        EmitBase(w, spec);
        w.Line();
        EmitDispatcher(w, spec);
    }

    public static string ReturnType(CommandSpec c)
    {
        if (!c.Gen)
        {
            return $"global::System.Threading.Tasks.ValueTask<{Rt}.QmpReply>";
        }

        if (c.Returns == null || !c.SuccessResponse)
        {
            return "global::System.Threading.Tasks.ValueTask";
        }

        return $"global::System.Threading.Tasks.ValueTask<{c.Returns.CsName}>";
    }

    private static void EmitInterface(SourceWriter w, SchemaSpec spec)
    {
        w.Line("/// <summary>");
        w.Line("/// The schema's commands, to be implemented by the server. Each method gets the command's");
        w.Line("/// context (session, received fds, events) and its arguments, and is cancelled when the");
        w.Line("/// session closes. Throw <see cref=\"global::QapiGen.Runtime.Protocol.QmpException\"/> to fail with a QMP error.");
        w.Line("/// Register with <c>new QapiDispatcher(handlers)</c>.");
        w.Line("/// </summary>");
        w.Open("public partial interface IQapiCommands");
        foreach (CommandSpec? c in spec.Commands.Where(c => !c.IsBuiltIn))
        {
            w.If(c.If);
            Emitter.Doc(w, c.Doc);
            w.Line("/// <param name=\"context\">The session and fds of the request.</param>");
            if (!c.Gen)
            {
                w.Line("/// <param name=\"arguments\">The unchecked arguments object ('gen': false).</param>");
            }
            else if (c.Boxed)
            {
                if (c.BoxedType != null)
                {
                    w.Line("/// <param name=\"arguments\">The arguments.</param>");
                }
            }
            else
            {
                // Every parameter gets a tag (C# warns about the rest once one has one), as
                // conditional as the parameter.
                foreach (MemberSpec a in c.Args)
                {
                    w.If(a.If);
                    w.Line($"/// <param name=\"{a.ParamName.TrimStart('@')}\">{a.Doc?.Replace("\n", " ") ?? $"<c>{a.Wire}</c>"}</param>");
                    w.EndIf(a.If);
                }
            }
            w.Line("/// <param name=\"cancellationToken\">Cancelled when the session closes.</param>");
            if (c.ReturnsDoc != null && c.Returns != null)
            {
                w.Line($"/// <returns>{c.ReturnsDoc.Replace("\n", " ")}</returns>");
            }

            Emitter.Features(w, c.Deprecated, c.Unstable);
            w.Line($"{ReturnType(c)} {c.CsName}Async({Join(Parameters(c))});");
            w.EndIf(c.If);
            w.Line();
        }
        w.Close();
    }

    /// <summary>
    /// <c>QapiCommandsBase</c>: every command answered as a server that lacks it answers (CommandNotFound,
    /// QEMU's text) until overridden, and a command's arguments handed over as its argument record, so an
    /// implementation that derives from it keeps compiling when the schema gains commands, optional arguments
    /// or output members. It implements the interface's positional methods explicitly, building the record:
    /// the dispatcher and <c>IQapiCommands</c> stay positional (no allocation for direct implementers).
    /// </summary>
    private static void EmitBase(SourceWriter w, SchemaSpec spec)
    {
        w.Line("/// <summary>");
        w.Line("/// A base for implementations of <see cref=\"IQapiCommands\"/> that keep compiling as the schema grows: every");
        w.Line("/// command answers as a server without it does (<c>CommandNotFound</c>, \"The command NAME has not been found\")");
        w.Line("/// until overridden, and an override receives the command's arguments as one record (<c>NAMEArguments</c>).");
        w.Line("/// Commands, optional arguments and output members added to the schema later need no code, so an");
        w.Line("/// implementation written for an older schema compiles against a newer one.");
        w.Line("/// </summary>");
        w.Open("public abstract partial class QapiCommandsBase : IQapiCommands");
        foreach (CommandSpec c in spec.Commands.Where(c => !c.IsBuiltIn))
        {
            w.If(c.If);
            if (c.ArgumentsName == null)
            {
                // Boxed and 'gen': false commands take one object already: their signature survives added arguments.
                w.Line("/// <inheritdoc/>");
                Emitter.Features(w, c.Deprecated, c.Unstable);
                w.Line($"public virtual {ReturnType(c)} {c.CsName}Async({Join(Parameters(c))})");
                w.Line($"    => throw new {Rt}.QmpException({Rt}.QmpError.CommandNotFound({CsNames.Literal(c.Wire)}));");
            }
            else
            {
                // One line, pointing at the interface's documentation rather than repeating it (the size of the output).
                w.Line($"/// <summary>Serves <c>{c.Wire}</c> (<see cref=\"IQapiCommands.{c.CsName}Async\"/>) with its arguments in one record; answers CommandNotFound until overridden.</summary>");
                Emitter.Features(w, c.Deprecated, c.Unstable);
                w.Line($"public virtual {ReturnType(c)} {c.CsName}Async({Rt}.QmpCommandContext context, {c.ArgumentsName} arguments, {Ct} cancellationToken)");
                w.Line($"    => throw new {Rt}.QmpException({Rt}.QmpError.CommandNotFound({CsNames.Literal(c.Wire)}));");
                w.Line();
                string init = Init(c.Args.Select(a => ($"{a.CsName} = {a.ParamName}", a.If)));
                w.Line($"{ReturnType(c)} IQapiCommands.{c.CsName}Async({Join(Parameters(c))})");
                w.Line($"    => {c.CsName}Async(context, new {c.ArgumentsName} {{ {init}}}, cancellationToken);");
            }
            w.EndIf(c.If);
            w.Line();
        }
        w.Close();
    }

    private static IEnumerable<(string, CondSpec?)> Parameters(CommandSpec c)
    {
        yield return ($"{Rt}.QmpCommandContext context", null);
        if (!c.Gen)
        {
            yield return ($"{JsonElement} arguments", null);
        }
        else if (c.Boxed)
        {
            if (c.BoxedType != null)
            {
                yield return ($"{c.BoxedType.CsName} arguments", null);
            }
        }
        else
        {
            foreach (MemberSpec a in c.Args)
            {
                yield return ($"{a.CsType} {a.ParamName}", a.If);
            }
        }
        yield return ($"{Ct} cancellationToken", null);
    }

    /// <summary>A comma-separated list whose conditional items sit, with their comma, between #if lines.
    /// The first item must be unconditional.</summary>
    internal static string Join(IEnumerable<(string Text, CondSpec? If)> items)
    {
        var sb = new System.Text.StringBuilder();
        bool first = true;
        foreach ((string? text, CondSpec? cond) in items)
        {
            if (first)
            {
                if (cond != null)
                {
                    throw new System.InvalidOperationException("first list item must be unconditional");
                }

                sb.Append(text);
                first = false;
            }
            else if (cond == null)
            {
                sb.Append(", ").Append(text);
            }
            else
            {
                sb.Append("\n#if ").Append(cond.ToCSharp()).Append("\n, ").Append(text).Append("\n#endif\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>Object-initializer items (each with its trailing comma), conditional ones between #if lines.</summary>
    internal static string Init(IEnumerable<(string Text, CondSpec? If)> items)
    {
        var sb = new System.Text.StringBuilder();
        foreach ((string? text, CondSpec? cond) in items)
        {
            if (cond == null)
            {
                sb.Append(text).Append(", ");
            }
            else
            {
                sb.Append("\n#if ").Append(cond.ToCSharp()).Append('\n').Append(text).Append(",\n#endif\n");
            }
        }
        return sb.ToString();
    }

    private static void EmitDispatcher(SourceWriter w, SchemaSpec spec)
    {
        w.Line("/// <summary>");
        w.Line("/// The generated command table: looks commands up, checks arguments exactly as QEMU does");
        w.Line("/// (same error texts), runs the <see cref=\"IQapiCommands\"/> handler and writes the reply.");
        w.Line("/// <c>query-qmp-schema</c> is answered from <see cref=\"QapiIntrospection\"/>.");
        if (spec.BuiltIns.Count > 0)
        {
            w.Line($"/// The schema does not serve {string.Join(", ", spec.BuiltIns.Select(b => "<c>" + b + "</c>"))}: the table answers {(spec.BuiltIns.Count == 1 ? "it" : "them")} itself, with QEMU's definitions.");
        }
        w.Line("/// </summary>");
        w.Open($"public sealed partial class QapiDispatcher : {Rt}.IQmpDispatcher");
        w.Line("private readonly IQapiCommands _handlers;");
        w.Line();
        w.Line("/// <summary>A table that runs <paramref name=\"handlers\"/>.</summary>");
        w.Line("public QapiDispatcher(IQapiCommands handlers) => _handlers = handlers ?? throw new global::System.ArgumentNullException(nameof(handlers));");
        w.Line();
        // The built-ins the schema does not serve follow its commands: in the table, in query-commands, in introspection.
        List<CommandSpec> table = spec.Commands.Concat(spec.BuiltIns.Select(BuiltIn)).ToList();
        w.Line("/// <summary>Every command served: the schema's (enabled by the build's symbols) in schema order, then the built-ins it lacks; what <c>query-commands</c> lists.</summary>");
        w.Open($"public static global::System.Collections.Generic.IReadOnlyList<{Rt}.QmpCommandInfo> Commands {{ get; }} = new {Rt}.QmpCommandInfo[]");
        foreach (CommandSpec c in table)
        {
            w.If(c.If);
            w.Line(Info(c) + ",");
            w.EndIf(c.If);
        }
        w.Close(";");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open($"public bool TryGetCommand(string name, out {Rt}.QmpCommandInfo info)");
        w.Open("switch (name)");
        foreach (CommandSpec c in table)
        {
            w.If(c.If);
            w.Line($"case {CsNames.Literal(c.Wire)}: info = {Info(c)}; return true;");
            w.EndIf(c.If);
        }
        w.Line("default: break; // never an empty switch (CS1522), even when conditions leave no command");
        w.Close();
        w.Line("info = default;");
        w.Line("return false;");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open($"public global::System.Threading.Tasks.ValueTask<{Rt}.QmpReply> DispatchAsync({Rt}.QmpCommandContext context, {Bytes} arguments, {Ct} cancellationToken)");
        w.Open("try");
        w.Open("switch (context.Command.Name)");
        foreach (CommandSpec? c in table.Where(c => c.Wire != "qmp_capabilities"))
        {
            w.If(c.If);
            w.Line($"case {CsNames.Literal(c.Wire)}: return Run{c.CsName}(context, arguments, cancellationToken);");
            w.EndIf(c.If);
        }
        w.Line("default: break;");
        w.Close();
        w.Close();
        w.Open("catch (QapiJsonException e)");
        w.Line($"return new global::System.Threading.Tasks.ValueTask<{Rt}.QmpReply>({Rt}.QmpReply.FromError({Rt}.QmpError.Generic(e.Message)));");
        w.Close();
        w.Line($"return new global::System.Threading.Tasks.ValueTask<{Rt}.QmpReply>({Rt}.QmpReply.FromError({Rt}.QmpError.CommandNotFound(context.Command.Name)));");
        w.Close();

        foreach (CommandSpec? c in table.Where(c => c.Wire != "qmp_capabilities"))
        {
            w.Line();
            w.If(c.If);
            EmitRun(w, c, builtIn: spec.BuiltIns.Contains(c.Wire));
            w.EndIf(c.If);
        }

        w.Line();
        w.Line($"private static global::System.Threading.Tasks.ValueTask<{Rt}.QmpReply> Finish<T>(global::System.Threading.Tasks.ValueTask<T> task, global::System.Action<{Writer}, T> write)");
        w.Line("{");
        w.Line("    if (task.IsCompletedSuccessfully)");
        w.Line($"        return new global::System.Threading.Tasks.ValueTask<{Rt}.QmpReply>({Rt}.QmpReply.FromGeneratedWriter(task.Result, write));");
        w.Line("    return Slow(task, write);");
        w.Line();
        w.Line($"    static async global::System.Threading.Tasks.ValueTask<{Rt}.QmpReply> Slow(global::System.Threading.Tasks.ValueTask<T> task, global::System.Action<{Writer}, T> write)");
        w.Line($"        => {Rt}.QmpReply.FromGeneratedWriter(await task.ConfigureAwait(false), write);");
        w.Line("}");
        w.Line();
        w.Line($"private static global::System.Threading.Tasks.ValueTask<{Rt}.QmpReply> Finish(global::System.Threading.Tasks.ValueTask task, bool respond)");
        w.Line("{");
        w.Line("    if (task.IsCompletedSuccessfully)");
        w.Line("    {");
        w.Line("        task.GetAwaiter().GetResult();");
        w.Line($"        return new global::System.Threading.Tasks.ValueTask<{Rt}.QmpReply>(respond ? {Rt}.QmpReply.Empty : {Rt}.QmpReply.NoResponse);");
        w.Line("    }");
        w.Line("    return Slow(task, respond);");
        w.Line();
        w.Line($"    static async global::System.Threading.Tasks.ValueTask<{Rt}.QmpReply> Slow(global::System.Threading.Tasks.ValueTask task, bool respond)");
        w.Line("    {");
        w.Line("        await task.ConfigureAwait(false);");
        w.Line($"        return respond ? {Rt}.QmpReply.Empty : {Rt}.QmpReply.NoResponse;");
        w.Line("    }");
        w.Line("}");
        w.Close();
    }

    /// <summary>
    /// A built-in as QEMU defines it: no arguments, allowed in preconfig state, not out of band. Its C# name (that of
    /// its Run method) is prefixed so that no schema command's can clash with it.
    /// </summary>
    private static CommandSpec BuiltIn(string wire) => new(wire, "BuiltIn" + CsNames.Pascal(wire), null, null, EquatableArray<MemberSpec>.Empty,
        Boxed: false, BoxedType: null, Returns: null, ReturnsDoc: null, Gen: true, SuccessResponse: true, AllowOob: false,
        AllowPreconfig: true, Coroutine: false, Deprecated: false, Unstable: false);

    private static string Info(CommandSpec c) =>
        $"new {Rt}.QmpCommandInfo({CsNames.Literal(c.Wire)}, AllowOob: {Bool(c.AllowOob)}, AllowPreconfig: {Bool(c.AllowPreconfig)}, SuccessResponse: {Bool(c.SuccessResponse)})";

    private static string Bool(bool b) => b ? "true" : "false";

    /// <summary>
    /// Reads the arguments object into locals <c>a0</c>, <c>a1</c>... For a command without
    /// arguments only an object with members needs reading (to report the first as unexpected):
    /// "{}", the usual case and the only object of two bytes, skips the reader entirely.
    /// </summary>
    private static void EmitArgumentsReader(SourceWriter w, CommandSpec c)
    {
        bool none = c.Args.Count == 0;
        if (none)
        {
            w.Open("if (arguments.Length > 2)");
        }

        w.Line("var reader = new global::System.Text.Json.Utf8JsonReader(arguments.Span);");
        w.Line("reader.Read();");
        ObjectReader.Emit(w, c.Args, System.Array.Empty<MemberSpec>(), "reader", "QapiPath.Root", true, "a");
        if (none)
        {
            w.Close();
        }
    }

    private static void EmitRun(SourceWriter w, CommandSpec c, bool builtIn)
    {
        w.Open($"private global::System.Threading.Tasks.ValueTask<{Rt}.QmpReply> Run{c.CsName}({Rt}.QmpCommandContext context, {Bytes} arguments, {Ct} cancellationToken)");
        string? answer = c.Wire switch
        {
            "query-qmp-schema" => $"{Rt}.QmpReply.FromRawJson(QapiIntrospection.SchemaJson)",
            "query-version" when builtIn => $"{Rt}.QmpBuiltInCommands.QueryVersion(context.Session.Options.Version)",
            "query-commands" when builtIn => $"{Rt}.QmpBuiltInCommands.QueryCommands(Commands)",
            _ => null,
        };
        if (answer != null)
        {
            EmitArgumentsReader(w, c);
            w.Line($"return new global::System.Threading.Tasks.ValueTask<{Rt}.QmpReply>({answer});");
            w.Close();
            return;
        }
        if (!c.Gen)
        {
            // The one tree on the request path, for the one kind of command that wants it; it
            // owns its data, so the handler may keep it.
            w.Line("var reader = new global::System.Text.Json.Utf8JsonReader(arguments.Span);");
            w.Line($"return _handlers.{c.CsName}Async(context, {JsonElement}.ParseValue(ref reader), cancellationToken);");
            w.Close();
            return;
        }
        string call;
        if (c.Boxed && c.BoxedType != null)
        {
            w.Line("var reader = new global::System.Text.Json.Utf8JsonReader(arguments.Span);");
            w.Line("reader.Read();");
            w.Line($"var arg = {Emitter.ReadExpr(c.BoxedType, "reader", "QapiPath.Root")};");
            call = $"_handlers.{c.CsName}Async(context, arg, cancellationToken)";
        }
        else
        {
            EmitArgumentsReader(w, c);
            var args = new List<(string, CondSpec?)> { ("context", null) };
            for (int i = 0; i < c.Args.Count; i++)
            {
                args.Add(("a" + i, c.Args[i].If));
            }

            args.Add(("cancellationToken", null));
            call = $"_handlers.{c.CsName}Async({Join(args)})";
        }
        if (c.Returns == null || !c.SuccessResponse)
        {
            w.Line($"return Finish({call}, respond: {Bool(c.SuccessResponse)});");
            w.Close();
            return;
        }
        w.Line($"return Finish({call}, Write{c.CsName}Return);");
        w.Close();
        w.Line();
        w.Open($"private static void Write{c.CsName}Return({Writer} writer, {c.Returns.CsName} value)");
        int tmp = 0;
        Emitter.WriteValue(w, c.Returns, "value", "writer", ref tmp);
        w.Close();
    }
}
