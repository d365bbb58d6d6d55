using System;
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
        // Indexed loops and texts appended from the docs' lines: no enumerator or string per doc.
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

            sb.Append("    body=\n");
            doc.Body.AppendTextTo(sb);
            sb.Append('\n');
            for (int i = 0; i < doc.ArgCount; i++)
            {
                QapiDoc.ArgSection arg = doc.ArgAt(i);
                sb.Append("    arg=").Append(arg.Name).Append('\n');
                arg.AppendTextTo(sb);
                sb.Append('\n');
            }

            for (int i = 0; i < doc.FeatureCount; i++)
            {
                QapiDoc.ArgSection feat = doc.FeatureAt(i);
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
    /// buffers reused from piece to piece, each a few tens of KB: in a short-lived <c>qapigen</c>
    /// every fresh page costs (docs/native.md), and larger pieces write no faster. Flushed only
    /// between appended strings; the encoder carries a surrogate pair split between two slices.
    /// </summary>
    private sealed class Utf8Sink
    {
        private const int Threshold = 16 * 1024;
        private const int Slice = 8 * 1024;
        private static readonly Encoding Utf8 = new UTF8Encoding(false);
        private readonly Stream _output;
        private readonly Encoder _encoder = Utf8.GetEncoder();
        private char[] _chars = new char[Threshold + 8 * 1024];
        private readonly byte[] _bytes = new byte[Utf8.GetMaxByteCount(Slice)];

        public Utf8Sink(Stream output) => _output = output;

        // Room past the threshold for the longest line or doc text usually appended at once.
        public StringBuilder Text { get; } = new(Threshold + 8 * 1024);

        public void FlushIfFull()
        {
            if (Text.Length >= Threshold)
            {
                Flush(final: false);
            }
        }

        /// <summary>Writes the text collected; <paramref name="final"/>: the end of the dump (the encoder is flushed too).</summary>
        public void Flush(bool final = true)
        {
            int length = Text.Length;
            if (length > _chars.Length)
            {
                _chars = new char[length];
            }
            Text.CopyTo(0, _chars, 0, length);
            for (int start = 0; start < length; start += Slice)
            {
                int count = Math.Min(Slice, length - start);
                int bytes = _encoder.GetBytes(_chars, start, count, _bytes, 0, flush: final && start + count == length);
                _output.Write(_bytes, 0, bytes);
            }
            if (final && length == 0)
            {
                _output.Write(_bytes, 0, _encoder.GetBytes(_chars, 0, 0, _bytes, 0, flush: true));
            }
            Text.Clear();
        }
    }

    private static string Py(bool b) => b ? "True" : "False";

    /// <summary>Each line appended piece by piece into the builder: no string made per line.</summary>
    private sealed class DumpVisitor : QapiSchemaVisitor
    {
        private readonly StringBuilder _sb;
        private readonly Utf8Sink? _sink;

        public DumpVisitor(StringBuilder sb, Utf8Sink? sink)
        {
            _sb = sb;
            _sink = sink;
        }

        // Ends the line appended to _sb.
        private void End()
        {
            _sb.Append('\n');
            _sink?.FlushIfFull();
        }

        public override void VisitModule(string name)
        {
            _sb.Append("module ").Append(name);
            End();
        }

        public override void VisitInclude(string name, QapiSourceInfo info)
        {
            _sb.Append("include ").Append(name);
            End();
        }

        public override void VisitEnumType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
            IReadOnlyList<QapiSchemaFeature> features, IReadOnlyList<QapiSchemaEnumMember> members, string? prefix)
        {
            _sb.Append("enum ").Append(name);
            End();
            if (!string.IsNullOrEmpty(prefix))
            {
                _sb.Append("    prefix ").Append(prefix);
                End();
            }

            for (int i = 0; i < members.Count; i++)
            {
                QapiSchemaEnumMember m = members[i];
                _sb.Append("    member ").Append(m.Name);
                End();
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

            _sb.Append("array ").Append(name).Append(' ').Append(elementType.Name);
            End();
            PrintIf(ifcond);
        }

        public override void VisitObjectType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
            IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? @base,
            IReadOnlyList<QapiSchemaObjectTypeMember> members, QapiSchemaVariants? variants)
        {
            _sb.Append("object ").Append(name);
            End();
            if (@base != null)
            {
                _sb.Append("    base ").Append(@base.Name);
                End();
            }

            for (int i = 0; i < members.Count; i++)
            {
                QapiSchemaObjectTypeMember m = members[i];
                _sb.Append("    member ").Append(m.Name).Append(": ").Append(m.Type.Name).Append(" optional=").Append(Py(m.Optional));
                End();
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
            _sb.Append("alternate ").Append(name);
            End();
            PrintVariants(variants);
            PrintIf(ifcond);
            PrintFeatures(features);
        }

        public override void VisitCommand(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
            IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? argType, QapiSchemaType? retType,
            bool gen, bool successResponse, bool boxed, bool allowOob, bool allowPreconfig, bool coroutine)
        {
            _sb.Append("command ").Append(name).Append(' ').Append(argType?.Name ?? "None").Append(" -> ").Append(retType?.Name ?? "None");
            End();
            _sb.Append("    gen=").Append(Py(gen)).Append(" success_response=").Append(Py(successResponse))
                .Append(" boxed=").Append(Py(boxed)).Append(" oob=").Append(Py(allowOob))
                .Append(" preconfig=").Append(Py(allowPreconfig));
            if (coroutine)
            {
                _sb.Append(" coroutine=True");
            }
            End();
            PrintIf(ifcond);
            PrintFeatures(features);
        }

        public override void VisitEvent(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
            IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? argType, bool boxed)
        {
            _sb.Append("event ").Append(name).Append(' ').Append(argType?.Name ?? "None");
            End();
            _sb.Append("    boxed=").Append(Py(boxed));
            End();
            PrintIf(ifcond);
            PrintFeatures(features);
        }

        private void PrintVariants(QapiSchemaVariants? variants)
        {
            if (variants == null)
            {
                return;
            }

            _sb.Append("    tag ").Append(variants.TagMember.Name);
            End();
            IReadOnlyList<QapiSchemaVariant> cases = variants.Variants;
            for (int i = 0; i < cases.Count; i++)
            {
                QapiSchemaVariant v = cases[i];
                _sb.Append("    case ").Append(v.Name).Append(": ").Append(v.Type.Name);
                End();
                PrintIf(v.IfCond, 8);
            }
        }

        private void PrintIf(QapiSchemaIfCond ifcond, int indent = 4)
        {
            if (ifcond.IsPresent)
            {
                _sb.Append(' ', indent).Append("if ").Append(ifcond.ToString());
                End();
            }
        }

        private void PrintFeatures(IReadOnlyList<QapiSchemaFeature> features, int indent = 4)
        {
            for (int i = 0; i < features.Count; i++)
            {
                QapiSchemaFeature f = features[i];
                _sb.Append(' ', indent).Append("feature ").Append(f.Name);
                End();
                PrintIf(f.IfCond, indent + 4);
            }
        }
    }
}
