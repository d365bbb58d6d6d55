using System.Text;
using BenchmarkDotNet.Attributes;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;

namespace QapiGen.Benchmarks;

/// <summary>
/// Schemas that are long rather than wide, in memory: a chain of structs each extending the
/// previous one and adding a member, and a chain of files each including the next. Both should
/// grow linearly with their length.
/// </summary>
[MemoryDiagnoser]
public class DeepSchemaBenchmarks
{
    private InMemorySchemaFileSystem _baseChain = null!;
    private InMemorySchemaFileSystem _includeChain = null!;

    [Params(8_000, 20_000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < Length; i++)
        {
            string @base = i > 0 ? $", 'base': 'Link{i - 1}'" : "";
            sb.Append($"{{ 'struct': 'Link{i}'{@base}, 'data': {{ 'm{i}': 'int' }} }}\n");
        }
        sb.Append($"{{ 'command': 'use', 'data': 'Link{Length - 1}' }}\n");
        _baseChain = new InMemorySchemaFileSystem().Add("chain.json", sb.ToString());

        _includeChain = new InMemorySchemaFileSystem();
        for (int i = 0; i < Length; i++)
        {
            string include = i + 1 < Length ? $"{{ 'include': 'f{i + 1}.json' }}\n" : "";
            _includeChain.Add($"f{i}.json", include + $"{{ 'struct': 'Def{i}', 'data': {{ 'a': 'int' }} }}\n");
        }
    }

    [Benchmark]
    public int BaseChain() => QapiSchema.Load("chain.json", _baseChain).Entities.Count;

    [Benchmark]
    public int IncludeChain() => QapiSchema.Load("f0.json", _includeChain).Entities.Count;
}
