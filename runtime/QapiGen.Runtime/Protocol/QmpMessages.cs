using System;
using System.Collections.Generic;
using System.Text.Json;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// Writes the server's message shapes. Member order follows QEMU 7.2's output
/// (<c>{"return": .., "id": ..}</c>, <c>{"id": .., "error": ..}</c>, events with the timestamp
/// first) so transcripts compare easily, although clients must not depend on it.
/// </summary>
internal static class QmpMessages
{
    // Pre-encoded names of the members every reply has: the writer then skips its escaping
    // check (a call into the encoder) for each of them.
    private static readonly JsonEncodedText Return = JsonEncodedText.Encode("return"u8);
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id"u8);

    public static void WriteGreeting(Utf8JsonWriter w, QmpVersion version, IReadOnlyList<string> capabilities)
    {
        w.WriteStartObject();
        w.WriteStartObject("QMP"u8);
        w.WritePropertyName("version"u8);
        WriteVersion(w, version);
        w.WriteStartArray("capabilities"u8);
        foreach (string capability in capabilities)
        {
            w.WriteStringValue(capability);
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>
    /// Writes <c>{"qemu": {"micro": .., "minor": .., "major": ..}, "package": ..}</c>: the greeting's "version" and
    /// query-version's return value, in QEMU 7.2's order.
    /// </summary>
    public static void WriteVersion(Utf8JsonWriter w, QmpVersion version)
    {
        w.WriteStartObject();
        w.WriteStartObject("qemu"u8);
        w.WriteNumber("micro"u8, version.Micro);
        w.WriteNumber("minor"u8, version.Minor);
        w.WriteNumber("major"u8, version.Major);
        w.WriteEndObject();
        w.WriteString("package"u8, version.Package);
        w.WriteEndObject();
    }

    /// <summary>Writes <c>{"return": value, "id": id}</c>; <paramref name="rawId"/> empty means no id.</summary>
    public static void WriteReturn(Utf8JsonWriter w, in QmpReply reply, ReadOnlySpan<byte> rawId)
    {
        w.WriteStartObject();
        w.WritePropertyName(Return);
        reply.WriteReturnValue(w);
        if (!rawId.IsEmpty)
        {
            w.WritePropertyName(Id);
            // The id is echoed verbatim whatever its type: it was validated by the parser.
            w.WriteRawValue(rawId, skipInputValidation: true);
        }
        w.WriteEndObject();
    }

    /// <summary>Writes <c>{"id": id, "error": {"class": .., "desc": ..}}</c>.</summary>
    public static void WriteError(Utf8JsonWriter w, QmpError error, ReadOnlySpan<byte> rawId)
    {
        w.WriteStartObject();
        if (!rawId.IsEmpty)
        {
            w.WritePropertyName(Id);
            w.WriteRawValue(rawId, skipInputValidation: true);
        }
        w.WriteStartObject("error"u8);
        w.WriteString("class"u8, error.Class);
        w.WriteString("desc"u8, error.Description);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>
    /// Writes <c>{"timestamp": {"seconds", "microseconds"}, "event": name, "data": {...}}</c>;
    /// "data" is omitted when <paramref name="writeData"/> is null.
    /// </summary>
    public static void WriteEvent<TState>(Utf8JsonWriter w, string name, DateTimeOffset timestamp, TState state, Action<Utf8JsonWriter, TState>? writeData)
    {
        long micros = (timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        w.WriteStartObject();
        w.WriteStartObject("timestamp"u8);
        w.WriteNumber("seconds"u8, Math.DivRem(micros, 1_000_000, out long rem));
        w.WriteNumber("microseconds"u8, rem);
        w.WriteEndObject();
        w.WriteString("event"u8, name);
        if (writeData is not null)
        {
            w.WritePropertyName("data"u8);
            writeData(w, state);
        }
        w.WriteEndObject();
    }
}
