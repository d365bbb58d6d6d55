using System;
using System.Text.Json;

namespace QapiGen.Runtime.Protocol;

// The fast path before any JSON reader: the usual compact request ({"execute":"x"} with an
// optional id) is recognised byte for byte, and exec-oob is spotted without parsing.
public sealed partial class QmpSession
{
    /// <summary>
    /// Recognises a request made only of "execute" (a string) and optionally "id", each once,
    /// which needs no checks beyond this scan; anything else (arguments, exec-oob, errors to
    /// report) takes the general path. The command name is interned per session.
    /// </summary>
    private bool TryScanPlainRequest(ReadOnlyMemory<byte> json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? command, out ReadOnlyMemory<byte> id)
    {
        if (TryMatchCompactPlainRequest(json, out command, out id))
        {
            return true;
        }
        command = null;
        id = default;
        Utf8JsonReader reader = new(json.Span, new JsonReaderOptions { MaxDepth = _documentOptions.MaxDepth });
        bool sawId = false;
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
                    return command is not null && reader.CurrentDepth == 0;
                }
                if (reader.ValueTextEquals("execute"u8))
                {
                    if (command is not null || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                    {
                        return false;
                    }
                    command = InternCommand(reader.ValueSpan);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    if (sawId || !reader.Read())
                    {
                        return false;
                    }
                    sawId = true;
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    int end = (int)reader.BytesConsumed;
                    id = json[start..end];
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
