using System;
using System.IO;
using System.Linq;
using System.Text;
using QapiGen.Schema.Dump;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>
/// The dump written to a stream (what <c>qapigen dump</c> does) is the text dump's exact UTF-8 bytes,
/// written in pieces instead of held whole as a string and again as bytes.
/// </summary>
public sealed class SchemaDumperStreamTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static byte[] Streamed(QapiSchema schema)
    {
        using var bytes = new MemoryStream();
        SchemaDumper.Dump(schema, bytes);
        return bytes.ToArray();
    }

    [Fact]
    public void ManyPiecesWithNonAsciiTextAreTheTextDumpsBytes()
    {
        // Well over the piece size, with two- and four-byte UTF-8 in doc comments at every offset.
        var text = new StringBuilder();
        for (int i = 0; i < 4000; i++)
        {
            text.Append($"##\n# @Colour{i}:\n#\n# Grün {new string('x', i % 7)} 😀 élan\n##\n{{ 'enum': 'Colour{i}', 'data': [ 'red', 'green' ] }}\n");
        }

        var schema = QapiSchema.Load("main.json", new InMemorySchemaFileSystem().Add("main.json", text.ToString()));
        byte[] expected = new UTF8Encoding(false).GetBytes(SchemaDumper.Dump(schema));
        Assert.True(expected.Length > 200 * 1024);
        Assert.Equal(expected, Streamed(schema));
    }

    [SharedFact("qemu-schemas")]
    public void QemusSchemaStreamsTheReferenceOutAndHoldsLessThanTheText()
    {
        string dir = RepoPaths.SharedDirectory("qemu-schemas")!;
        var schema = QapiSchema.Load(Path.Combine(dir, "v8.2.0", "qapi-schema.json"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "v8.2.0.out")), Streamed(schema));

        SchemaDumper.Dump(schema, Stream.Null);
        long before = GC.GetAllocatedBytesForCurrentThread();
        SchemaDumper.Dump(schema, Stream.Null);
        long streamed = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        byte[] whole = new UTF8Encoding(false).GetBytes(SchemaDumper.Dump(schema));
        long asText = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(streamed < asText * 6 / 10, $"streamed {streamed} bytes allocated, as text and bytes {asText} ({whole.Length} bytes of dump)");
    }

    [SharedFact("qemu-schemas")]
    public void QemusSchemaDumpsWithoutAStringPerLineOrDocText()
    {
        // The dump of v8.2.0 is 1 MB of UTF-8. Lines appended piece by piece into the builder, doc
        // texts appended from their lines, indexed loops and buffers of tens of KB: the dump allocates
        // its buffers and little else. A string per line, an enumerator per list, the doc texts as
        // strings and buffers for 64 K characters made it 1.4 MB (`qapigen dump`'s stage, native).
        string dir = RepoPaths.SharedDirectory("qemu-schemas")!;
        var schema = QapiSchema.Load(Path.Combine(dir, "v8.2.0", "qapi-schema.json"));
        SchemaDumper.Dump(schema, Stream.Null);
        long before = GC.GetAllocatedBytesForCurrentThread();
        SchemaDumper.Dump(schema, Stream.Null);
        long streamed = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{streamed / 1024} KB allocated by a streamed dump of v8.2.0");
        Assert.True(streamed < 400 * 1024, $"streamed {streamed} bytes allocated");
    }
}
