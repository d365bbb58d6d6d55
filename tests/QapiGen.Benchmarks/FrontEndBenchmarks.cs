using System.IO;
using BenchmarkDotNet.Attributes;
using QapiGen.Schema;
using QapiGen.Schema.Checking;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;

namespace QapiGen.Benchmarks;

/// <summary>
/// The whole front end on the v8.2.0 QEMU schema (about 1,000 definitions in 40 files), warm and
/// in-process, with the files already in memory so the figure is the front end's, not the disk's.
/// </summary>
// The goal is stated as a median: show it beside the mean.
[MemoryDiagnoser]
[BenchmarkDotNet.Attributes.MedianColumn]
public class FrontEndBenchmarks
{
    private InMemorySchemaFileSystem _fs = null!;
    private string _main = null!;

    [GlobalSetup]
    public void Setup()
    {
        string dir = BenchmarkPaths.LargeSchemaDirectory;
        _fs = new InMemorySchemaFileSystem();
        foreach (string file in Directory.GetFiles(dir, "*.json"))
        {
            _fs.Add(Path.GetFileName(file), File.ReadAllText(file));
        }

        _main = "qapi-schema.json";
    }

    [Benchmark]
    public int Parse() => QapiSchemaParser.Parse(_main, _fs).Exprs.Count;

    [Benchmark]
    public int ParseAndCheck() => ExprChecker.CheckExprs(QapiSchemaParser.Parse(_main, _fs).Exprs).Count;

    [Benchmark(Baseline = true)]
    public int Load() => QapiSchema.Load(_main, _fs).Entities.Count;
}
