using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Collections.Generic;
using QapiGen.CodeGen;
using QapiGen.Schema;
using QapiGen.Schema.Model;
using QapiGen.Schema.Introspection;
using QapiGen.Tests.Shared;
using Xunit;
using Xunit.Abstractions;

namespace QapiGen.Generator.Tests;

public sealed class TmpMeasure(ITestOutputHelper o)
{
    [Fact]
    public void Measure()
    {
        string file = Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0", "qapi-schema.json");
        QapiSchema schema = QapiSchema.Load(file, null, new QapiSchemaOptions());
        for (int r = 0; r < 8; r++)
        {
            var sw = Stopwatch.StartNew();
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            IntrospectionSpec intro = IntrospectionSpec.Create(schema);
            double tIntro = sw.Elapsed.TotalMilliseconds; long aIntro = GC.GetAllocatedBytesForCurrentThread() - a0;
            sw.Restart(); a0 = GC.GetAllocatedBytesForCurrentThread();
            SchemaSpec spec = SpecBuilder.Build(schema, "Qapi", null, null, w => w[0]());
            double tRest = sw.Elapsed.TotalMilliseconds; long aRest = GC.GetAllocatedBytesForCurrentThread() - a0;
            string line = $"intro {tIntro:F1} ms {aIntro/1024} KB; rest {tRest:F1} ms {aRest/1024} KB;";
            spec = spec with { Introspection = intro };
            foreach (OutputKind k in CodeGenerator.Outputs(spec))
            {
                sw.Restart(); a0 = GC.GetAllocatedBytesForCurrentThread();
                CodeGenerator.Emit(spec, k, _ => true, Stream.Null);
                line += $" {k} {sw.Elapsed.TotalMilliseconds:F1} ms {(GC.GetAllocatedBytesForCurrentThread() - a0)/1024} KB;";
            }
            o.WriteLine(line);
        }
    }
}
