using System;
using System.IO;
using System.Linq;
using QapiGen.CodeGen;
using QapiGen.Schema;
using QapiGen.Schema.Model;
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
        // character: 4 bytes a character. A string per line came to 9.4.
        Assert.True(chars > 5_000_000, $"{chars} characters");
        Assert.True(allocated < chars * 7, $"{allocated} bytes allocated for {chars} characters ({(double)allocated / chars:F2} per character)");
    }

    [SharedFact("qemu-schemas")]
    public void AMembersDocIsMadeOncePerText()
    {
        // v8.2.0's structs repeat their bases' members, each with the base's doc: with the doc made once
        // per text, building the spec allocates a fixed share more than its introspection part alone.
        string file = Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0", "qapi-schema.json");
        QapiSchema schema = QapiSchema.Load(file, null, new QapiSchemaOptions());
        SpecBuilder.Build(schema, "Qapi");

        long before = GC.GetAllocatedBytesForCurrentThread();
        SpecBuilder.Build(schema, "Qapi");
        long spec = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        IntrospectionSpec.Create(schema, null, BuiltInCommands.Missing(schema));
        long introspection = GC.GetAllocatedBytesForCurrentThread() - before;

        // 22.4 MB against 10.4 MB (2.15×) with a doc per member and type; 17.7 MB against 8.0 MB now.
        Assert.True(spec < introspection * 2.4, $"spec {spec} bytes, its introspection part {introspection}");
    }
}
