using System;
using System.IO;
using System.Linq;
using System.Text;
using QapiGen.CodeGen;
using QapiGen.Schema;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// Generating QEMU's schema costs what it allocates (every fresh page of a short run is paid for), so
/// the emitters write their lines into the writer in pieces: no string per line, no
/// <c>string.Format</c> per interpolation (what netstandard2.0 made of <c>$"..."</c>).
/// </summary>
public sealed class EmitAllocationTests
{
    [SharedFact("qemu-schemas")]
    public void EmittingV820AllocatesLittleMoreThanItsText()
    {
        string file = Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0", "qapi-schema.json");
        QapiSchema schema = QapiSchema.Load(file, null, new QapiSchemaOptions());
        SchemaSpec spec = SpecBuilder.Build(schema, "Qapi");
        CodeGenerator.EmitAll(spec, _ => true); // the first run's one-time costs (statics, JIT) left out

        long before = GC.GetAllocatedBytesForCurrentThread();
        long chars = CodeGenerator.EmitAll(spec, _ => true).Sum(s => (long)s.Text.Length);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The text is made twice at least (the writer's chunks, then the string), two bytes a
        // character: 4 bytes a character. A string per line came to 9.4, the pieces 6.4 in all; since the tab
        // indentation the text is a tenth shorter for the same pieces (about the same bytes allocated): 7.1.
        Assert.True(chars > 4_000_000, $"{chars} characters"); // the whole output
        Assert.True(allocated < chars * 7.6, $"{allocated} bytes allocated for {chars} characters ({(double)allocated / chars:F2} per character)");
    }

    [SharedFact("qemu-schemas")]
    public void EmittingV820IntoStreamsAllocatesLessThanItsText()
    {
        // The CLI's way: each output streamed as UTF-8 (SourceWriter over a stream), no string of it.
        string file = Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0", "qapi-schema.json");
        QapiSchema schema = QapiSchema.Load(file, null, new QapiSchemaOptions());
        SchemaSpec spec = SpecBuilder.Build(schema, "Qapi");
        long EmitAll()
        {
            var counter = new ByteCounter();
            foreach (OutputKind kind in CodeGenerator.Outputs(spec))
            {
                CodeGenerator.Emit(spec, kind, _ => true, counter);
            }
            return counter.Length;
        }
        EmitAll(); // the first run's one-time costs left out

        long before = GC.GetAllocatedBytesForCurrentThread();
        long bytes = EmitAll();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The strings' way allocates 6.4 bytes a character (EmittingV820AllocatesLittleMoreThanItsText),
        // the text itself 4 of them; what is left is the emitters' own pieces: 2.4 bytes a byte of text,
        // 3.15 since the compact doc comments (each comment compacted as it is written: the text is a
        // tenth shorter, the pieces the same).
        Assert.True(bytes > 4_000_000, $"{bytes} bytes");
        Assert.True(allocated < bytes * 3.5, $"{allocated} bytes allocated for {bytes} bytes of text ({(double)allocated / bytes:F2} per byte)");
    }

    [SharedFact("qemu-schemas")]
    public void TheIntrospectionDataOfV820AllocatesLittleMoreThanItsText()
    {
        // What holds no condition is written as JSON text at once: a string per scalar and key, joined
        // level by level, came to 17 bytes (UTF-16) of allocation a byte of the data.
        string file = Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0", "qapi-schema.json");
        QapiSchema schema = QapiSchema.Load(file, null, new QapiSchemaOptions());
        IntrospectionSpec.Create(schema); // the first run's one-time costs left out

        long before = GC.GetAllocatedBytesForCurrentThread();
        IntrospectionSpec spec = IntrospectionSpec.Create(schema);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        long text = spec.Render(_ => true).Length * 2L;
        Assert.True(text > 400_000, $"{text} bytes of text");
        Assert.True(allocated < text * 8, $"{allocated} bytes allocated for {text} bytes of text ({(double)allocated / text:F2} per byte)");
    }

    // A stream that counts what is written to it.
    private sealed class ByteCounter : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
    }

    [Fact]
    public void AMembersDocIsMadeOncePerText()
    {
        // A base whose member has a long description, and structs that inherit it: each struct repeats
        // the member with the base's description, which is made into XML once, not once per struct.
        const int Structs = 100, DocLines = 100;
        var text = new StringBuilder("##\n# @Base:\n#\n# @member: the member\n");
        for (int i = 0; i < DocLines; i++)
        {
            text.Append("#     a line of the description of @member, long enough to count <").Append(i).Append(">\n");
        }
        text.Append("##\n{ 'struct': 'Base', 'data': { 'member': 'str' } }\n");
        for (int i = 0; i < Structs; i++)
        {
            text.Append("\n##\n# @Derived").Append(i).Append(":\n#\n# A struct.\n##\n{ 'struct': 'Derived").Append(i).Append("', 'base': 'Base', 'data': {} }\n");
        }
        var fs = new InMemorySchemaFileSystem();
        fs.Add("/s/qapi-schema.json", text.ToString());
        QapiSchema schema = QapiSchema.Load("/s/qapi-schema.json", fs);
        SchemaSpec first = SpecBuilder.Build(schema, "Qapi");
        string doc = first.Structs.Single(x => x.QapiName == "Derived7").AllMembers.Single().Doc!;
        Assert.Contains("<c>member</c>", doc);

        long before = GC.GetAllocatedBytesForCurrentThread();
        SpecBuilder.Build(schema, "Qapi");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Less than the description's XML once per struct (two bytes a character).
        Assert.True(allocated < Structs * doc.Length * 2L, $"{allocated} bytes allocated; the doc is {doc.Length} characters, {Structs} structs");
    }
}
