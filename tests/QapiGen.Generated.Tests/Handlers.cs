using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Generated.Tests.Qapi;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;

namespace QapiGen.Generated.Tests;

/// <summary>A server implementation of the test schema that records what it was called with.</summary>
internal sealed class Handlers : IQapiCommands
{
    public List<string> Calls { get; } = new();

    /// <summary>Answers with a ClashNames whose string members all carry <paramref name="context_"/>.</summary>
    public ValueTask<ClashNames> ClashCommandAsync(QmpCommandContext context, string context_, string? cancellationToken_, string? fds_, string? @class,
        long? timeout, string? client, CancellationToken cancellationToken)
    {
        Calls.Add($"clash-command {context_} {cancellationToken_ ?? "-"} {fds_ ?? "-"} {@class ?? "-"} {timeout?.ToString() ?? "-"} {client ?? "-"}");
        return new(new ClashNames
        {
            Type = context_, Value = timeout ?? 0, Data = context_, Event = context_, Class = @class ?? context_, Namespace = context_,
            Equals_ = "equals", Equals_2 = "Equals", GetHashCode_ = 7, Name = "name", Name_ = "Name",
        });
    }

    public ValueTask<Widget> EchoStructAsync(QmpCommandContext context, Widget value, CancellationToken cancellationToken)
    {
        Calls.Add("echo-struct");
        return new(value);
    }

    public ValueTask<FdLikeInfo> AddFdLikeAsync(QmpCommandContext context, long? fdsetId, string? opaque, CancellationToken cancellationToken)
    {
        Calls.Add($"add-fd-like {fdsetId?.ToString() ?? "-"} {opaque ?? "-"}");
        return new(new FdLikeInfo { FdsetId = fdsetId ?? 0, Fd = 42 });
    }

    public ValueTask<Widths> SetWidthsAsync(QmpCommandContext context, sbyte? i8, short? i16, int? i32, long? i64, byte? u8, ushort? u16,
        uint? u32, ulong? u64, ulong? sz, double? num, bool? flag, string? @default, CancellationToken cancellationToken)
    {
        Calls.Add("set-widths " + @default);
        return new(new Widths { I8 = i8, I16 = i16, I32 = i32, I64 = i64, U8 = u8, U16 = u16, U32 = u32, U64 = u64, Sz = sz, Num = num, Flag = flag });
    }

    public async ValueTask<ShapeInfo> RunShapeAsync(QmpCommandContext context, Shape arguments, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Calls.Add("run-shape " + arguments.Kind);
        double area = arguments switch
        {
            Shape.Circle c => Math.Round(Math.PI * c.Radius * c.Radius, 2),
            Shape.Square s => s.Side * s.Side,
            _ => 0,
        };
        // A reply cannot carry infinity (JSON has no such number): a well-behaved handler refuses.
        if (!double.IsFinite(area))
        {
            throw new QmpException(QmpError.Generic("The area is too large"));
        }

        return new ShapeInfo { Area = area };
    }

    public ValueTask FireAndForgetAsync(QmpCommandContext context, long delay, CancellationToken cancellationToken)
    {
        Calls.Add("fire-and-forget " + delay);
        return default;
    }

    public ValueTask<QmpReply> RawCommandAsync(QmpCommandContext context, JsonElement arguments, CancellationToken cancellationToken)
    {
        Calls.Add("raw-command " + arguments.GetRawText());
        return new(QmpReply.FromJson(arguments));
    }

    public ValueTask<IReadOnlyList<Thing>> QueryThingsAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        Calls.Add("query-things");
        return new(new[] { new Thing { Label = "a" }, new Thing { Label = "b", Count = 2 } });
    }

    public ValueTask TakeValueAsync(QmpCommandContext context, Value value, TextOrThing? text, IReadOnlyList<SizeOrColor>? sizes,
        JsonElement? extra, IReadOnlyList<Color>? list, CancellationToken cancellationToken)
    {
        Calls.Add($"take-value {value.GetType().Name} {text?.GetType().Name ?? "-"} {sizes?.Count.ToString() ?? "-"} {extra?.GetRawText() ?? "-"} {(list == null ? "-" : string.Join(",", list))}");
        if (value is Value.Flag { Value: true })
        {
            context.EmitWidgetChanged("w1", Color.Green);
        }

        return default;
    }

    public ValueTask<AddfdInfo> AddFdAsync(QmpCommandContext context, long? fdsetId, string? opaque, CancellationToken cancellationToken)
        => new(new AddfdInfo { FdsetId = fdsetId ?? 0, Fd = 3 });

    public ValueTask MigrateSetCapabilitiesAsync(QmpCommandContext context, IReadOnlyList<MigrationCapabilityStatus> capabilities, CancellationToken cancellationToken) => default;

    public ValueTask MigrateSetParametersAsync(QmpCommandContext context, byte? cpuThrottleInitial, ulong? maxBandwidth, CancellationToken cancellationToken) => default;

    public ValueTask<SkewInfo> QuerySkewAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        Calls.Add("query-skew");
        return new(new SkewInfo { Widgets = [], Shapes = [new Shape.Circle { Radius = 1 }], Values = [new Value.Num { Value = 2 }] });
    }

    public ValueTask OldCommandAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        Calls.Add("old-command");
        return default;
    }

    public ValueTask XNewCommandAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        Calls.Add("x-new-command");
        return default;
    }
}

/// <summary>Runs commands through the generated dispatcher without a session.</summary>
internal static class Dispatch
{
    // The dispatcher only reads Command from the context (and the handlers here do not touch
    // the session), so one session that never runs serves every call.
    private static readonly QmpSession Session = new(new StreamTransport(Stream.Null, Stream.Null, "test", dedicatedThreads: false), new NoCommands());

    public static QmpCommandContext Context(QmpCommandInfo info) => new(Session, info);

    private sealed class NoCommands : IQmpDispatcher
    {
        public bool TryGetCommand(string name, out QmpCommandInfo info)
        {
            info = default;
            return false;
        }

        public ValueTask<QmpReply> DispatchAsync(QmpCommandContext context, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no commands");
    }

    /// <summary>Runs <paramref name="command"/>: returns the "return" JSON, or "error: CLASS: DESC", or "no response".</summary>
    public static async Task<string> Run(QapiDispatcher dispatcher, string command, string arguments = "{}")
    {
        if (!dispatcher.TryGetCommand(command, out QmpCommandInfo info))
        {
            return "not found";
        }

        QmpReply reply = await dispatcher.DispatchAsync(Context(info), Encoding.UTF8.GetBytes(arguments), CancellationToken.None);
        if (reply.IsError)
        {
            return "error: " + reply.Error!.Class + ": " + reply.Error.Description;
        }

        if (reply.IsNoResponse)
        {
            return "no response";
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            reply.WriteReturnValue(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
