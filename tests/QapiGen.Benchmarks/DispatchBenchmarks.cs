using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using QapiGen.Benchmarks.Qapi;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;

namespace QapiGen.Benchmarks;

/// <summary>
/// One command through the generated dispatcher as a session runs it: arguments read from the
/// bytes of the request's "arguments" (already framed and scanned by the session), handler
/// called, reply value written.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private QapiDispatcher _dispatcher = null!;
    private QmpSession? _session;
    private QmpCommandContext _addFd = null!;
    private QmpCommandContext _echo = null!;
    private QmpCommandContext _query = null!;
    private ReadOnlyMemory<byte> _addFdArgs;
    private ReadOnlyMemory<byte> _echoArgs;
    private ReadOnlyMemory<byte> _noArgs;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dispatcher = new QapiDispatcher(new Handlers());
        _addFd = Context("add-fd-like");
        _echo = Context("echo-struct");
        _query = Context("query-things");
        _addFdArgs = """{"fdset-id":3,"opaque":"rdonly:/tmp/x"}"""u8.ToArray();
        _echoArgs = """{"value":{"name":"w","id":7,"size":4096,"color":"green","tags":["a","b"],"nested":{"label":"n","count":1}}}"""u8.ToArray();
        _noArgs = "{}"u8.ToArray();
        _writer = new Utf8JsonWriter(_buffer);
    }

    private QmpCommandContext Context(string name)
    {
        _dispatcher.TryGetCommand(name, out QmpCommandInfo info);
        // The handlers here do not touch the session: one that never runs will do.
        _session ??= new QmpSession(new StreamTransport(Stream.Null, Stream.Null, "bench", dedicatedThreads: false), _dispatcher);
        return new QmpCommandContext(_session, info);
    }

    private int Run(QmpCommandContext context, ReadOnlyMemory<byte> args)
    {
        QmpReply reply = _dispatcher.DispatchAsync(context, args, CancellationToken.None).GetAwaiter().GetResult();
        _buffer.ResetWrittenCount();
        _writer.Reset();
        reply.WriteReturnValue(_writer);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    /// <summary>add-fd-like: two optional scalar arguments, a small struct returned.</summary>
    [Benchmark(Baseline = true)]
    public int AddFdLike() => Run(_addFd, _addFdArgs);

    /// <summary>echo-struct: a nested struct with an enum, a list and a nested struct, both ways.</summary>
    [Benchmark]
    public int EchoStruct() => Run(_echo, _echoArgs);

    /// <summary>query-things: no arguments, a list returned.</summary>
    [Benchmark]
    public int QueryThings() => Run(_query, _noArgs);

    private sealed class Handlers : IQapiCommands
    {
        private static readonly IReadOnlyList<Thing> Things = new[] { new Thing { Label = "a" }, new Thing { Label = "b", Count = 2 } };

        public ValueTask<FdLikeInfo> AddFdLikeAsync(QmpCommandContext context, long? fdsetId, string? opaque, CancellationToken cancellationToken)
            => new(new FdLikeInfo { FdsetId = fdsetId ?? 0, Fd = 42 });

        public ValueTask<Widget> EchoStructAsync(QmpCommandContext context, Widget value, CancellationToken cancellationToken) => new(value);

        public ValueTask<ClashNames> ClashCommandAsync(QmpCommandContext context, string context_, string? cancellationToken_, string? fds_, string? @class,
            long? timeout, string? client, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<Thing>> QueryThingsAsync(QmpCommandContext context, CancellationToken cancellationToken) => new(Things);

        public ValueTask<Widths> SetWidthsAsync(QmpCommandContext context, sbyte? i8, short? i16, int? i32, long? i64, byte? u8, ushort? u16,
            uint? u32, ulong? u64, ulong? sz, double? num, bool? flag, string? @default, CancellationToken cancellationToken) => new(new Widths());

        public ValueTask<ShapeInfo> RunShapeAsync(QmpCommandContext context, Shape arguments, CancellationToken cancellationToken) => new(new ShapeInfo { Area = 0 });

        public ValueTask FireAndForgetAsync(QmpCommandContext context, long delay, CancellationToken cancellationToken) => default;

        public ValueTask<QmpReply> RawCommandAsync(QmpCommandContext context, JsonElement arguments, CancellationToken cancellationToken) => new(QmpReply.Empty);

        public ValueTask TakeValueAsync(QmpCommandContext context, Value value, TextOrThing? text, IReadOnlyList<SizeOrColor>? sizes,
            JsonElement? extra, IReadOnlyList<Color>? list, CancellationToken cancellationToken) => default;

        public ValueTask<AddfdInfo> AddFdAsync(QmpCommandContext context, long? fdsetId, string? opaque, CancellationToken cancellationToken)
            => new(new AddfdInfo { FdsetId = fdsetId ?? 0, Fd = 3 });

        public ValueTask MigrateSetCapabilitiesAsync(QmpCommandContext context, IReadOnlyList<MigrationCapabilityStatus> capabilities, CancellationToken cancellationToken) => default;

        public ValueTask MigrateSetParametersAsync(QmpCommandContext context, byte? cpuThrottleInitial, ulong? maxBandwidth, CancellationToken cancellationToken) => default;

        public ValueTask OldCommandAsync(QmpCommandContext context, CancellationToken cancellationToken) => default;

        public ValueTask XNewCommandAsync(QmpCommandContext context, CancellationToken cancellationToken) => default;

        public ValueTask<SkewInfo> QuerySkewAsync(QmpCommandContext context, CancellationToken cancellationToken)
            => new(new SkewInfo { Widgets = [], Shapes = [], Values = [] });
    }
}
