using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Runtime.Framing;

/// <summary>
/// Reads JSON frames from a <see cref="PipeReader"/>. The splitter keeps its state across
/// reads, so every read is consumed in full (<c>AdvanceTo(buffer.End)</c>) and the pipe never
/// has to hold more than one socket read: messages are copied once, into their own pooled
/// buffers, which is what lets a command keep its arguments after the pipe moves on.
/// </summary>
internal sealed class JsonMessageReader : IDisposable
{
    private readonly PipeReader _input;
    private readonly JsonStreamSplitter _splitter;
    private readonly List<JsonFrame> _scratch = new();
    private readonly Queue<JsonFrame> _ready = new();
    private bool _completed;

    public JsonMessageReader(PipeReader input, JsonFramingOptions? options = null)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        _splitter = new JsonStreamSplitter(options);
    }

    /// <summary>Complete frames already read and waiting (0: the next read waits for the peer).</summary>
    public int BufferedFrames => _ready.Count;

    /// <summary>Returns the next frame, or null once the input has ended. The caller owns (disposes) the frame.</summary>
    // Pooled builder: this method goes asynchronous once per request on an idle connection;
    // pooling its state machine saves an allocation per round trip.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<JsonFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        JsonFrame? frame;
        while (!TryTake(out frame))
        {
            if (_completed)
            {
                return null;
            }
            Consume(await _input.ReadAsync(cancellationToken).ConfigureAwait(false));
        }
        return frame;
    }

    /// <summary>True once the input has ended and every frame has been taken.</summary>
    public bool IsFinished => _completed && _ready.Count == 0;

    /// <summary>Takes a frame already read, if there is one. The caller owns (disposes) the frame.</summary>
    public bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JsonFrame? frame) => _ready.TryDequeue(out frame);

    /// <summary>
    /// Frames the bytes of one <see cref="PipeReader.ReadAsync"/> result and consumes them all.
    /// For a caller that awaits the pipe itself (one async layer less per message than
    /// <see cref="ReadAsync"/>); then <see cref="TryTake"/> hands out the frames.
    /// </summary>
    public void Consume(in ReadResult result)
    {
        ReadOnlySequence<byte> buffer = result.Buffer;
        foreach (ReadOnlyMemory<byte> segment in buffer)
        {
            _splitter.Feed(segment.Span, _scratch);
        }
        _input.AdvanceTo(buffer.End);
        if (result.IsCompleted || result.IsCanceled)
        {
            _splitter.Complete(_scratch);
            _completed = true;
        }
        foreach (JsonFrame frame in _scratch)
        {
            _ready.Enqueue(frame);
        }
        _scratch.Clear();
    }

    public void Dispose()
    {
        while (_ready.Count > 0)
        {
            _ready.Dequeue().Dispose();
        }
        _splitter.Dispose();
    }
}
