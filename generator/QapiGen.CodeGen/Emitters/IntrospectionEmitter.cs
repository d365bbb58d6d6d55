using System;

namespace QapiGen.CodeGen.Emitters;

/// <summary>
/// Emits <c>QapiIntrospection</c>: the <c>query-qmp-schema</c> return value as UTF-8 bytes, with the
/// schema's conditions resolved against the build's preprocessor symbols at generation time.
/// </summary>
internal static class IntrospectionEmitter
{
    public static void Emit(SchemaSpec spec, Func<string, bool> isDefined, SourceWriter w)
    {
        string json = spec.Introspection.Render(isDefined);
        w.Raw(Emitter.Header(spec.Namespace));
        w.Line("/// <summary>Introspection data: what <c>query-qmp-schema</c> returns (QEMU's SchemaInfo list, masked type names).</summary>");
        w.Open("public static partial class QapiIntrospection");
        w.Line("/// <summary>The return value of <c>query-qmp-schema</c>, UTF-8 JSON laid out as QEMU prints it.</summary>");
        w.Line("public static global::System.ReadOnlyMemory<byte> SchemaJson => s_schemaJson;");
        w.Line();
        w.LiteralLine("private static readonly byte[] s_schemaJson = ", json, "u8.ToArray();");
        w.Close();
    }
}
