using System.Text;
using BenchmarkDotNet.Attributes;
using QapiGen.Benchmarks.Qapi;

namespace QapiGen.Benchmarks;

/// <summary>
/// A client reading a reply: the reader of output (<c>ReadOutputX</c>, what generated clients use: unknown
/// members and enum values kept) against the strict reader (<c>ReadX</c>, QEMU's input checks) on the same
/// JSON, and the reader of output on a reply from a newer server (two members and an enum value it lacks).
/// </summary>
[MemoryDiagnoser]
public class ReplyReadBenchmarks
{
    private readonly byte[] _reply = Encoding.UTF8.GetBytes(
        """{"name":"w","id":7,"size":4096,"color":"green","tags":["a","b"],"nested":{"label":"n","count":1}}""");

    private readonly byte[] _newer = Encoding.UTF8.GetBytes(
        """{"name":"w","id":7,"size":4096,"color":"ultraviolet","tags":["a","b"],"nested":{"label":"n","count":1,"shiny":true},"weight":2}""");

    [Benchmark(Baseline = true)]
    public Widget Strict() => QapiJson.Deserialize(_reply, QapiJson.ReadWidget);

    [Benchmark]
    public Widget Output() => QapiJson.Deserialize(_reply, QapiJson.ReadOutputWidget);

    [Benchmark]
    public Widget OutputFromNewerServer() => QapiJson.Deserialize(_newer, QapiJson.ReadOutputWidget);
}
