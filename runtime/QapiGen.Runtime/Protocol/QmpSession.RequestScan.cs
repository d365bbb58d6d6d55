using System;
using System.Text.Json;

namespace QapiGen.Runtime.Protocol;

// The fast path before any document: a request that passes QEMU's checks is recognised by one
// reader pass (the usual compact {"execute":"x"} with an optional id byte for byte), and
// exec-oob is spotted without parsing.
public sealed partial class QmpSession
{
    /// <summary>The members of a request the scan accepted: what <see cref="RunCommandAsync"/> needs.</summary>
    private readonly record struct ScannedRequest(string Command, bool OutOfBand, ReadOnlyMemory<byte> Arguments, ReadOnlyMemory<byte> Id);

    /// <summary>
    /// Recognises a request that passes QEMU's request checks (qmp_dispatch_check_obj) as it is:
    /// an object of "execute" (or, with oob enabled, "exec-oob") as a string, and optionally
    /// "arguments" as an object and "id", each at most once. Such a request has no error to
    /// report, so its members' order does not matter and no document is needed: the arguments
    /// are handed on as a slice of the request's bytes. Anything else (errors, whose choice
    /// depends on QEMU's member order; duplicate members; escaped names) takes the general
    /// path. The command name is interned per session.
    /// </summary>
    private bool TryScanRequest(ReadOnlyMemory<byte> json, out ScannedRequest request)
    {
        if (TryMatchCompactPlainRequest(json, out string? plain, out ReadOnlyMemory<byte> plainId))
        {
            request = new ScannedRequest(plain, false, EmptyArguments, plainId);
            return true;
        }
        request = default;
        string? command = null;
        bool outOfBand = false;
        ReadOnlyMemory<byte> id = default;
        ReadOnlyMemory<byte> arguments = default;
        bool sawId = false;
        Utf8JsonReader reader = new(json.Span, new JsonReaderOptions { MaxDepth = _documentOptions.MaxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    if (command is null || reader.CurrentDepth != 0)
                    {
                        return false;
                    }
                    request = new ScannedRequest(command, outOfBand, arguments.IsEmpty ? EmptyArguments : arguments, id);
                    return true;
                }
                bool isExecute = reader.ValueTextEquals("execute"u8);
                if (isExecute || (_oobEnabled && reader.ValueTextEquals("exec-oob"u8)))
                {
                    if (command is not null || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                    {
                        return false;
                    }
                    command = InternCommand(reader.ValueSpan);
                    outOfBand = !isExecute;
                }
                else if (reader.ValueTextEquals("arguments"u8))
                {
                    if (!arguments.IsEmpty || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                    {
                        return false;
                    }
                    arguments = Value(json, ref reader);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    if (sawId || !reader.Read())
                    {
                        return false;
                    }
                    sawId = true;
                    id = Value(json, ref reader);
                }
                else
                {
                    return false;
                }
            }
        }
        catch (JsonException)
        {
        }
        return false;

        // The reader is on the value's first token; it is left on its last.
        static ReadOnlyMemory<byte> Value(ReadOnlyMemory<byte> json, ref Utf8JsonReader reader)
        {
            int start = (int)reader.TokenStartIndex;
            reader.Skip();
            return json[start..(int)reader.BytesConsumed];
        }
    }

    /// <summary>
    /// The usual request byte for byte: frames come out of the splitter without insignificant
    /// whitespace, so most are exactly <c>{"execute":"NAME"}</c> or <c>{"execute":"NAME","id":ID}</c>
    /// with an ASCII name and a number or plain string as ID. Anything else (other id values,
    /// escapes, other member order) goes to the JSON reader.
    /// </summary>
    private bool TryMatchCompactPlainRequest(ReadOnlyMemory<byte> json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? command, out ReadOnlyMemory<byte> id)
    {
        command = null;
        id = default;
        ReadOnlySpan<byte> prefix = "{\"execute\":\""u8;
        ReadOnlySpan<byte> idKey = ",\"id\":"u8;
        ReadOnlySpan<byte> text = json.Span;
        if (!text.StartsWith(prefix))
        {
            return false;
        }
        ReadOnlySpan<byte> rest = text[prefix.Length..];
        int nameLength = rest.IndexOf((byte)'"');
        if (nameLength <= 0 || rest[..nameLength].IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0 || rest[..nameLength].Contains((byte)'\\'))
        {
            return false;
        }
        ReadOnlySpan<byte> tail = rest[(nameLength + 1)..];
        if (tail.Length == 1 && tail[0] == (byte)'}')
        {
            command = InternCommand(rest[..nameLength]);
            return true;
        }
        if (!tail.StartsWith(idKey) || tail[^1] != (byte)'}')
        {
            return false;
        }
        ReadOnlySpan<byte> value = tail[idKey.Length..^1];
        bool simpleString = value.Length >= 2 && value[0] == (byte)'"' && value[^1] == (byte)'"'
            && value[1..^1].IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0 && value[1..^1].IndexOfAny((byte)'"', (byte)'\\') < 0;
        // The splitter has checked the number's syntax already.
        bool number = value.Length > 0 && value.IndexOfAnyExcept("0123456789-+.eE"u8) < 0;
        if (!simpleString && !number)
        {
            return false;
        }
        command = InternCommand(rest[..nameLength]);
        id = json.Slice(text.Length - 1 - value.Length, value.Length);
        return true;
    }

    private byte[]? _lastCommandUtf8;
    private string? _lastCommand;

    /// <summary>Clients repeat the same few commands: reuse the string of the previous one.</summary>
    private string InternCommand(ReadOnlySpan<byte> utf8)
    {
        if (_lastCommand is not null && utf8.SequenceEqual(_lastCommandUtf8))
        {
            return _lastCommand;
        }
        _lastCommandUtf8 = utf8.ToArray();
        _lastCommand = System.Text.Encoding.UTF8.GetString(utf8);
        return _lastCommand;
    }

    /// <summary>Top-level scan for QEMU's qmp_is_oob(): has "exec-oob" and no "execute".</summary>
    private static bool IsOutOfBandRequest(ReadOnlySpan<byte> json)
    {
        Utf8JsonReader reader = new(json);
        bool hasOob = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("execute"u8))
                {
                    return false;
                }
                hasOob |= reader.ValueTextEquals("exec-oob"u8);
                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }
        return hasOob;
    }
}
