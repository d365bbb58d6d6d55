using System;
using System.Text.Json;
using QapiGen.Runtime.Buffers;

namespace QapiGen.Runtime.Framing;

/// <summary>
/// Builds one outgoing QMP line: a compact JSON object followed by CRLF, as QEMU sends.
/// Use <see cref="Begin"/>, write exactly one JSON value with the returned writer, then
/// <see cref="Finish"/> to get the bytes (owned by the returned buffer).
/// </summary>
internal sealed class JsonMessageWriter
{
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        // QMP output is ASCII (qmp-spec: "sends its output encoded in ASCII"), but unlike the
        // default encoder QEMU does not escape HTML-sensitive characters such as the quote in
        // "with 'qmp_capabilities'"; AsciiJsonEncoder does exactly what QEMU does.
        Encoder = AsciiJsonEncoder.Instance,
    };

    /// <summary>Same as <see cref="WriterOptions"/>, indented (QEMU's monitor <c>pretty=on</c>).</summary>
    internal static readonly JsonWriterOptions PrettyWriterOptions = WriterOptions with { Indented = true };

    private readonly Utf8JsonWriter _checked;
    private readonly Utf8JsonWriter _unchecked;
    private Utf8JsonWriter _json;
    private PooledBufferWriter? _buffer;

    public JsonMessageWriter()
        : this(pretty: false)
    {
    }

    /// <param name="pretty">Indent the JSON (a monitor's <c>pretty=on</c>); still one message per CRLF-terminated block.</param>
    public JsonMessageWriter(bool pretty)
    {
        JsonWriterOptions options = pretty ? PrettyWriterOptions : WriterOptions;
        _checked = new Utf8JsonWriter(System.IO.Stream.Null, options);
        _unchecked = new Utf8JsonWriter(System.IO.Stream.Null, options with { SkipValidation = true });
        _json = _checked;
    }

    /// <summary>Starts a message; the writer is valid until <see cref="Finish"/>.</summary>
    /// <param name="sizeHint">Bytes to reserve.</param>
    /// <param name="validate">
    /// False for content that is well-formed by construction (QapiGen's own message shapes and
    /// generated writers): the writer then skips its structural checks, most of the cost of a
    /// small message.
    /// </param>
    public Utf8JsonWriter Begin(int sizeHint = 256, bool validate = true)
    {
        if (_buffer is not null)
        {
            throw new InvalidOperationException("A message is already being written.");
        }
        _buffer = new PooledBufferWriter(sizeHint);
        _json = validate ? _checked : _unchecked;
        _json.Reset(_buffer);
        return _json;
    }

    /// <summary>Flushes the JSON, appends CRLF and hands the buffer over to the caller.</summary>
    public PooledBufferWriter Finish()
    {
        PooledBufferWriter buffer = _buffer ?? throw new InvalidOperationException("No message in progress.");
        _json.Flush();
        buffer.Write("\r\n"u8);
        _buffer = null;
        return buffer;
    }

    /// <summary>Abandons a message in progress (e.g. a return value writer threw).</summary>
    public void Abort()
    {
        if (_buffer is not null)
        {
            _json.Reset();
            _buffer.Dispose();
            _buffer = null;
        }
    }
}
