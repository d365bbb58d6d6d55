using System.Collections.Generic;
using System.IO;
using System.Text;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Dump;

/// <summary>
/// Prints a schema in the reference front end's test dump format (the <c>.out</c> files of its test
/// suite): every module with its include directives and entities (built-in types and built-in arrays
/// are left out), then every doc comment with its body, member, feature and section texts.
/// </summary>
public static class SchemaDumper
{
    /// <summary>The whole dump, each line ending in '\n'.</summary>
    public static string Dump(QapiSchema schema)
    {
        var sb = new StringBuilder();
        Write(schema, sb, null);
        return sb.ToString();
    }

    /// <summary>
    /// The whole dump written to <paramref name="output"/> as UTF-8 without a byte order mark, the
    /// same bytes as <see cref="Dump(QapiSchema)"/> encoded, in pieces of about 32 KiB: the dump of a
    /// large schema (QEMU's: 1 MB) is never held whole, as text or as bytes.
    /// </summary>
    public static void Dump(QapiSchema schema, Stream output)
    {
        var sink = new Utf8Sink(output);
        Write(schema, sink.Text, sink);
        sink.Flush();
    }

    private static void Write(QapiSchema schema, StringBuilder sb, Utf8Sink? sink)
    {
        schema.Visit(new DumpVisitor(sb, sink));
        foreach (QapiDoc doc in schema.Docs)
        {
            if (doc.Symbol != null)
            {
                sb.Append("doc symbol=").Append(doc.Symbol).Append('\n');
            }
            else
            {
                sb.Append("doc freeform\n");
            }

            // The texts are appended from the docs' lines, not made strings (AppendTextTo).
            sb.Append("    body=\n");
            doc.Body.AppendTextTo(sb);
            sb.Append('\n');
            foreach (QapiDoc.ArgSection arg in doc.Args)
            {
                sb.Append("    arg=").Append(arg.Name).Append('\n');
                arg.AppendTextTo(sb);
                sb.Append('\n');
            }

            foreach (QapiDoc.ArgSection feat in doc.Features)
            {
                sb.Append("    feature=").Append(feat.Name).Append('\n');
                feat.AppendTextTo(sb);
                sb.Append('\n');
            }

            foreach (QapiDoc.Section section in doc.Sections)
            {
                sb.Append("    section=").Append(section.Name ?? "None").Append('\n');
                section.AppendTextTo(sb);
                sb.Append('\n');
            }

            sink?.FlushIfFull();
        }
    }

    /// <summary>
    /// Text collected in a builder and written out as UTF-8 whenever it passes a threshold, through
    /// buffers reused from piece to piece. Flushed only between appended strings, so a surrogate
    /// pair is never split.
    /// </summary>
    private sealed class Utf8Sink
    {
        private const int Threshold = 32 * 1024;
        private static readonly Encoding Utf8 = new UTF8Encoding(false);
        private readonly Stream _output;
        private char[] _chars = new char[Threshold * 2];
        private byte[] _bytes = new byte[Utf8.GetMaxByteCount(Threshold * 2)];

        public Utf8Sink(Stream output) => _output = output;

        public StringBuilder Text { get; } = new(Threshold * 2);

        public void FlushIfFull()
        {
            if (Text.Length >= Threshold)
            {
                Flush();
            }
        }

        public void Flush()
        {
            int length = Text.Length;
            if (length > _chars.Length)
            {
                _chars = new char[length];
                _bytes = new byte[Utf8.GetMaxByteCount(length)];
            }
            Text.CopyTo(0, _chars, 0, length);
            int count = Utf8.GetBytes(_chars, 0, length, _bytes, 0);
            _output.Write(_bytes, 0, count);
            Text.Clear();
        }
    }

    private static string Py(bool b) => b ? "True" : "False";

    private sealed class DumpVisitor : QapiSchemaVisitor
    {
        private readonly StringBuilder _sb;
        private readonly Utf8Sink? _sink;

        public DumpVisitor(StringBuilder sb, Utf8Sink? sink)
        {
            _sb = sb;
            _sink = sink;
        }

        private void Line(string text)
        {
            _sb.Append(text).Append('\n');
            _sink?.FlushIfFull();
        }

        public override void VisitModule(string name) => Line("module " + name);

        public override void VisitInclude(string name, QapiSourceInfo info) => Line("include " + name);

        public override void VisitEnumType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
            IReadOnlyList<QapiSchemaFeature> features, IReadOnlyList<QapiSchemaEnumMember> members, string? prefix)
        {
            Line("enum " + name);
            if (!string.IsNullOrEmpty(prefix))
            {
                Line("    prefix " + prefix);
            }

            foreach (QapiSchemaEnumMember m in members)
            {
                Line("    member " + m.Name);
                PrintIf(m.IfCond, 8);
                PrintFeatures(m.Features, 8);
            }
            PrintIf(ifcond);
            PrintFeatures(features);
        }

        public override void VisitArrayType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond, QapiSchemaType elementType)
        {
            if (info == null)
            {
                return; // suppress built-in arrays
            }

            Line($"array {name} {elementType.Name}");
            PrintIf(ifcond);
        }

        public override void VisitObjectType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
            IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? @base,
            IReadOnlyList<QapiSchemaObjectTypeMember> members, QapiSchemaVariants? variants)
        {
            Line("object " + name);
            if (@base != null)
            {
                Line("    base " + @base.Name);
            }

            foreach (QapiSchemaObjectTypeMember m in members)
            {
                Line($"    member {m.Name}: {m.Type.Name} optional={Py(m.Optional)}");
                PrintIf(m.IfCond, 8);
                PrintFeatures(m.Features, 8);
            }
            PrintVariants(variants);
            PrintIf(ifcond);
            PrintFeatures(features);
        }

        public override void VisitAlternateType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
            IReadOnlyList<QapiSchemaFeature> features, QapiSchemaVariants variants)
        {
            Line("alternate " + name);
            PrintVariants(variants);
            PrintIf(ifcond);
            PrintFeatures(features);
        }

        public override void VisitCommand(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
            IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? argType, QapiSchemaType? retType,
            bool gen, bool successResponse, bool boxed, bool allowOob, bool allowPreconfig, bool coroutine)
        {
            Line($"command {name} {argType?.Name ?? "None"} -> {retType?.Name ?? "None"}");
            Line($"    gen={Py(gen)} success_response={Py(successResponse)} boxed={Py(boxed)} oob={Py(allowOob)} preconfig={Py(allowPreconfig)}{(coroutine ? " coroutine=True" : "")}");
            PrintIf(ifcond);
            PrintFeatures(features);
        }

        public override void VisitEvent(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
            IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? argType, bool boxed)
        {
            Line($"event {name} {argType?.Name ?? "None"}");
            Line($"    boxed={Py(boxed)}");
            PrintIf(ifcond);
            PrintFeatures(features);
        }

        private void PrintVariants(QapiSchemaVariants? variants)
        {
            if (variants == null)
            {
                return;
            }

            Line("    tag " + variants.TagMember.Name);
            foreach (QapiSchemaVariant v in variants.Variants)
            {
                Line($"    case {v.Name}: {v.Type.Name}");
                PrintIf(v.IfCond, 8);
            }
        }

        private void PrintIf(QapiSchemaIfCond ifcond, int indent = 4)
        {
            if (ifcond.IsPresent)
            {
                Line(new string(' ', indent) + "if " + ifcond);
            }
        }

        private void PrintFeatures(IReadOnlyList<QapiSchemaFeature> features, int indent = 4)
        {
            foreach (QapiSchemaFeature f in features)
            {
                Line(new string(' ', indent) + "feature " + f.Name);
                PrintIf(f.IfCond, indent + 4);
            }
        }
    }
}
