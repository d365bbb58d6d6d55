using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using QapiGen.CodeGen;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;

namespace QapiGen.Benchmarks;

/// <summary>
/// The source generator's work for a consumer of the v8.2.0 QEMU schema, phase by phase and
/// whole: front end, equatable spec, every emitter. This is the code the incremental generator
/// runs on a schema edit (its Roslyn plumbing adds only the AdditionalFiles hand-over).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private InMemorySchemaFileSystem _fs = null!;
    private QapiSchema _schema = null!;
    private SchemaSpec _spec = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fs = new InMemorySchemaFileSystem();
        foreach (string file in Directory.GetFiles(BenchmarkPaths.LargeSchemaDirectory, "*.json"))
        {
            _fs.Add(Path.GetFileName(file), File.ReadAllText(file));
        }

        _schema = QapiSchema.Load("qapi-schema.json", _fs);
        _spec = SpecBuilder.Build(_schema, "Qemu");
    }

    [Benchmark]
    public object Spec() => SpecBuilder.Build(_schema, "Qemu");

    [Benchmark]
    public int Emit() => CodeGenerator.EmitAll(_spec, _ => false).Sum(s => s.Text.Length);

    /// <summary>Everything a schema edit costs: load, spec and all emitters.</summary>
    [Benchmark(Baseline = true)]
    public int Whole()
    {
        var schema = QapiSchema.Load("qapi-schema.json", _fs);
        return CodeGenerator.EmitAll(SpecBuilder.Build(schema, "Qemu"), _ => false).Sum(s => s.Text.Length);
    }
}
