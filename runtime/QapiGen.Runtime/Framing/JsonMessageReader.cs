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
public sealed class JsonMessageReader : IDisposable
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
        while (_ready.Count == 0)
        {
            if (_completed)
            {
                return null;
            }
            ReadResult result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
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
        return _ready.Dequeue();
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
