using System;
using System.Text.Json;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// The outcome of a command: a return value, an error, or (for 'success-response': false
/// commands) nothing at all. <c>default(QmpReply)</c> is the empty-object return <c>{}</c>,
/// which is what QEMU answers for commands without 'returns'.
/// </summary>
public readonly struct QmpReply
{
    private sealed class NoResponseMarker
    {
        public static readonly NoResponseMarker Instance = new();
    }

    private sealed class JsonElementValue(JsonElement value) : IQmpReturnValue
    {
        public void WriteTo(Utf8JsonWriter writer) => value.WriteTo(writer);
    }

    private sealed class RawJsonValue(ReadOnlyMemory<byte> json) : IQmpReturnValue
    {
        public void WriteTo(Utf8JsonWriter writer) => writer.WriteRawValue(json.Span, skipInputValidation: false);
    }

    private interface IWellFormed
    {
        bool WellFormed { get; }
    }

    private sealed class DelegateValue<TState>(TState state, Action<Utf8JsonWriter, TState> write, bool wellFormed) : IQmpReturnValue, IWellFormed
    {
        public bool WellFormed => wellFormed;

        public void WriteTo(Utf8JsonWriter writer) => write(writer, state);
    }

    private readonly object? _payload;

    private QmpReply(object? payload)
    {
        _payload = payload;
    }

    /// <summary><c>{"return": {}}</c>.</summary>
    public static QmpReply Empty => default;

    /// <summary>No reply at all; only valid for commands with 'success-response': false.</summary>
    public static QmpReply NoResponse => new(NoResponseMarker.Instance);

    /// <summary>A reply that fails with <paramref name="error"/>.</summary>
    public static QmpReply FromError(QmpError error) => new(error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>A reply that fails with an error of class <paramref name="errorClass"/>.</summary>
    public static QmpReply FromError(string errorClass, string description) => new(new QmpError(errorClass, description));

    /// <summary>A reply whose "return" value <paramref name="value"/> writes.</summary>
    public static QmpReply FromValue(IQmpReturnValue value) => new(value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>Returns a JSON value; it is cloned, so the caller may dispose its document.</summary>
    public static QmpReply FromJson(JsonElement value) => new(new JsonElementValue(value.Clone()));

    /// <summary>Returns pre-serialised UTF-8 JSON (validated when written).</summary>
    public static QmpReply FromRawJson(ReadOnlyMemory<byte> utf8Json) => new(new RawJsonValue(utf8Json));

    /// <summary>Returns a value written by <paramref name="write"/> when the reply is serialised.</summary>
    public static QmpReply FromWriter<TState>(TState state, Action<Utf8JsonWriter, TState> write) =>
        new(new DelegateValue<TState>(state, write ?? throw new ArgumentNullException(nameof(write)), wellFormed: false));

    /// <summary>
    /// As <see cref="FromWriter"/>, for a writer that produces exactly one well-formed JSON value
    /// whatever its state, as the code QapiGen generates does. The reply is then written without
    /// the writer's structural checks, which are most of the cost of a small reply; a writer that
    /// broke the promise would send the client malformed JSON instead of an "Internal error"
    /// reply, so hand-written code should use <see cref="FromWriter"/>.
    /// </summary>
    public static QmpReply FromGeneratedWriter<TState>(TState state, Action<Utf8JsonWriter, TState> write) =>
        new(new DelegateValue<TState>(state, write ?? throw new ArgumentNullException(nameof(write)), wellFormed: true));

    /// <summary>A reply that fails with the error.</summary>
    public static implicit operator QmpReply(QmpError error) => FromError(error);

    /// <summary>True for an error reply.</summary>
    public bool IsError => _payload is QmpError;

    /// <summary>True when no reply is sent (commands with success-response false).</summary>
    public bool IsNoResponse => ReferenceEquals(_payload, NoResponseMarker.Instance);

    /// <summary>The error of an error reply; null otherwise.</summary>
    public QmpError? Error => _payload as QmpError;

    /// <summary>
    /// True when writing this reply cannot produce malformed JSON: the empty object, a JSON
    /// element, raw JSON (checked by its own reader), a generated writer. Such replies are written
    /// without the writer's structural checks.
    /// </summary>
    internal bool IsWellFormedByConstruction => _payload switch
    {
        null => true,
        JsonElementValue or RawJsonValue => true,
        IQmpReturnValue value => value is IWellFormed { WellFormed: true },
        _ => true, // errors and "no response": written by QmpMessages
    };

    /// <summary>Writes the value of the "return" member.</summary>
    public void WriteReturnValue(Utf8JsonWriter writer)
    {
        switch (_payload)
        {
            case IQmpReturnValue value:
                value.WriteTo(writer);
                break;
            case null:
                writer.WriteStartObject();
                writer.WriteEndObject();
                break;
            default:
                throw new InvalidOperationException("This reply has no return value.");
        }
    }
}
