using System.Collections.Generic;
using System.Linq;
using System.Text;
using QapiGen.CodeGen;

namespace QapiGen.Generator.Tests;

/// <summary>
/// C# compiled together with a generated QEMU client: <c>LiveProbe.RunAsync(endpoint)</c> connects, asks
/// the server's <c>query-commands</c>, and calls each read-only command the schema and the server share
/// (a <c>query-</c> command with no mandatory argument) twice: through the typed method, and raw, the raw
/// value then read by the same reader of output and written back out. It ends with <c>cont</c> and
/// <c>stop</c>, reporting the typed events received. Rows: <c>[command, typed-call error, read error,
/// server JSON, written JSON]</c>, then <c>["#event", class, name]</c>.
/// </summary>
internal static class LiveProbeSource
{
    // Members of QmpClient a generated method must not hide (as the client emitter has them).
    private static readonly string[] BaseMembers =
    [
        "ConnectAsync", "CreateAsync", "ConnectTransportAsync", "NegotiateAsync", "ExecuteAsync", "SendRawAsync",
        "ReadEventsAsync", "ReadTypedEventsAsync", "DisposeAsync", "InitializeAsync",
    ];

    /// <summary>The read-only commands of <paramref name="spec"/> the probe can call without arguments.</summary>
    public static IEnumerable<CommandSpec> Candidates(SchemaSpec spec) => spec.Commands.Where(c =>
        c.Wire.StartsWith("query-", System.StringComparison.Ordinal) && c.Gen && !c.Boxed && c.SuccessResponse
        && c.Returns != null && c.Args.All(a => a.Optional));

    public static string For(SchemaSpec spec)
    {
        var taken = new HashSet<string>(BaseMembers, System.StringComparer.Ordinal);
        var methods = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (CommandSpec? c in spec.Commands.Where(c => c.Wire != "qmp_capabilities"))
        {
            methods[c.Wire] = CsNames.Unique(c.CsName + "Async", taken);
        }

        var candidates = Candidates(spec).ToList();

        var sb = new StringBuilder();
        sb.Append($$"""
            #nullable enable
            #pragma warning disable CS0612, CS0618, QAPIEXP001
            namespace {{spec.Namespace}}
            {
                public static class LiveProbe
                {
                    public static async global::System.Threading.Tasks.Task<global::System.Collections.Generic.List<string?[]>> RunAsync(string endpoint)
                    {
                        var rows = new global::System.Collections.Generic.List<string?[]>();
                        await using var client = await QapiClient.ConnectAsync(endpoint);
                        var listed = new global::System.Collections.Generic.HashSet<string>();
                        foreach (var info in await client.{{methods["query-commands"]}}())
                            listed.Add(info.Name);
                        foreach (var command in Candidates)
                        {
                            if (!listed.Contains(command))
                                continue;
                            string? typedError = null, readError = null, raw = null, written = null;
                            try
                            {
                                await Call(client, command);
                            }
                            catch (global::System.Exception e)
                            {
                                typedError = e.GetType().Name + ": " + e.Message;
                            }
                            try
                            {
                                var value = await client.ExecuteAsync(command);
                                raw = value.GetRawText();
                                written = RoundTrip(command, value);
                            }
                            catch (global::System.Exception e)
                            {
                                readError = e.GetType().Name + ": " + e.Message;
                            }
                            rows.Add([command, typedError, readError, raw, written]);
                        }
                        using var cts = new global::System.Threading.CancellationTokenSource(global::System.TimeSpan.FromSeconds(120));
                        await client.{{methods["cont"]}}();
                        await client.{{methods["stop"]}}();
                        var seen = 0;
                        await foreach (var e in client.ReadTypedEventsAsync(cts.Token))
                        {
                            rows.Add(["#event", e.GetType().Name, e.EventName]);
                            if (e.EventName is "STOP" or "RESUME" && ++seen == 2)
                                break;
                        }
                        return rows;
                    }

                    private static readonly string[] Candidates =
                    [

            """);
        foreach (CommandSpec? c in candidates)
        {
            sb.Append("            ").Append(CsNames.Literal(c.Wire)).Append(",\n");
        }

        sb.Append("""
                    ];

                    private static async global::System.Threading.Tasks.Task Call(QapiClient client, string command)
                    {
                        switch (command)
                        {

            """);
        foreach (CommandSpec? c in candidates)
        {
            sb.Append($"                case {CsNames.Literal(c.Wire)}: await client.{methods[c.Wire]}(); break;\n");
        }

        sb.Append("""
                        }
                    }

                    private static string? RoundTrip(string command, global::System.Text.Json.JsonElement value)
                    {
                        var utf8 = global::System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value);
                        switch (command)
                        {

            """);
        foreach (CommandSpec? c in candidates)
        {
            TypeRef t = c.Returns!;
            string read, write;
            if (t.Kind == TypeKind.Array)
            {
                read = $"static (ref global::System.Text.Json.Utf8JsonReader r, in QapiPath p) => QapiJson.ReadList<{t.Element!.CsName}>(ref r, p, QapiJson.{Reader(t.Element!)})";
                write = "static (w, list) => { w.WriteStartArray(); foreach (var x in list) QapiJson.Write(w, x); w.WriteEndArray(); }";
            }
            else
            {
                read = "QapiJson." + Reader(t);
                write = "QapiJson.Write";
            }
            sb.Append($"                case {CsNames.Literal(c.Wire)}: return Text(QapiJson.Serialize<{t.CsName}>(QapiJson.Deserialize<{t.CsName}>(utf8, {read}), {write}));\n");
        }
        sb.Append("""
                            default: return null;
                        }
                    }

                    private static string Text(byte[] utf8) => global::System.Text.Encoding.UTF8.GetString(utf8);
                }
            }

            """);
        return sb.ToString();
    }

    // An enum's reader of output is the generic one, for every enum.
    private static string Reader(TypeRef t) => t.Kind == TypeKind.Enum ? $"ReadOutputEnum<{t.CsName}>" : (t.IsBuiltin ? "Read" : "ReadOutput") + t.IdName;
}
