using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using QapiGen.CodeGen;
using QapiGen.Schema;
using QapiGen.Schema.Model;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// What the CLI writes (every output streamed into its file as UTF-8, the spec's pieces built on two
/// threads) is what the source generator adds (the strings of a spec built on one): the same bytes, for
/// the host's schema and QEMU's, whole and as a client of a subset.
/// </summary>
public sealed class StreamedOutputTests
{
    private static readonly GenerationOptions[] Choices =
    {
        GenerationOptions.Default,
        new(GenerationScope.Client, "query-block*;blockdev-*"),
        new(GenerationScope.Server, "query-version;query-status", "STOP"),
    };

    private static string HostSchema => Path.Combine(RepoPaths.Root, "schema", "qapi-schema.json");

    private static string? QemuSchema => RepoPaths.SharedDirectory("qemu-schemas") is { } dir ? Path.Combine(dir, "v8.2.0", "qapi-schema.json") : null;

    // Runs the pieces at once, each on a thread of its own, and counts them.
    private static Action<IReadOnlyList<Action>> AtOnce(List<int> counts) => work =>
    {
        counts.Add(work.Count);
        var errors = new Exception?[work.Count];
        Thread[] threads = work.Select((a, i) => new Thread(() =>
        {
            try
            {
                a();
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        })).ToArray();
        foreach (Thread t in threads)
        {
            t.Start();
        }
        foreach (Thread t in threads)
        {
            t.Join();
        }
        Assert.All(errors, e => Assert.Null(e));
    };

    private static void AssertStreamsAreTheTexts(string file)
    {
        QapiSchema schema = QapiSchema.Load(file, null, new QapiSchemaOptions());
        foreach (GenerationOptions options in Choices)
        {
            var counts = new List<int>();
            SchemaSpec serial = SpecBuilder.Build(schema, "Qapi", null, options);
            SchemaSpec parallel = SpecBuilder.Build(schema, "Qapi", null, options, AtOnce(counts));
            Assert.Equal(new[] { 4 }, counts); // types, introspection data, commands and events, enums
            Assert.Equal(serial, parallel);
            Assert.Equal(serial.Introspection.Render(_ => true), parallel.Introspection.Render(_ => true));

            IReadOnlyList<GeneratedSource> texts = CodeGenerator.EmitAll(serial, _ => true);
            Assert.Equal(texts.Select(t => t.HintName), CodeGenerator.Outputs(parallel).Select(k => CodeGenerator.HintName(parallel, k)));
            foreach (OutputKind kind in CodeGenerator.Outputs(parallel))
            {
                var bytes = new MemoryStream();
                CodeGenerator.Emit(parallel, kind, _ => true, bytes);
                string expected = texts.Single(t => t.HintName == CodeGenerator.HintName(serial, kind)).Text;
                Assert.True(expected.Length > 100, $"{kind}: {expected.Length} characters");
                Assert.True(new UTF8Encoding(false).GetBytes(expected).AsSpan().SequenceEqual(bytes.ToArray()), $"{kind} ({options})");
            }
        }
    }

    [Fact]
    public void TheHostSchemasOutputsStreamAsTheirTexts() => AssertStreamsAreTheTexts(HostSchema);

    [SharedFact("qemu-schemas")]
    public void QemusOutputsStreamAsTheirTexts() => AssertStreamsAreTheTexts(QemuSchema!);
}
