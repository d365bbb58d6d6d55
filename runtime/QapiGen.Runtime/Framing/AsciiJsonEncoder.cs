using System;
using System.Text.Encodings.Web;

namespace QapiGen.Runtime.Framing;

/// <summary>
/// Escapes exactly what QEMU escapes on output: control characters, quote, backslash and
/// everything outside printable ASCII (as \uXXXX, surrogate pairs for astral characters).
/// </summary>
internal sealed class AsciiJsonEncoder : JavaScriptEncoder
{
    public static AsciiJsonEncoder Instance { get; } = new();

    public override int MaxOutputCharactersPerInputCharacter => 12; // a surrogate pair: \uXXXX\uXXXX

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar > 0x7E || unicodeScalar == '"' || unicodeScalar == '\\';

    // Both searches run for every string value and property name of every reply: vectorised
    // span searches instead of the base class's scalar-by-scalar WillEncode loop.
    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        ReadOnlySpan<char> chars = new(text, textLength);
        int outside = chars.IndexOfAnyExceptInRange((char)0x20, (char)0x7E);
        int special = (outside < 0 ? chars : chars[..outside]).IndexOfAny('"', '\\');
        return special >= 0 ? special : outside;
    }

    /// <summary>A byte outside printable ASCII starts a character to encode (UTF-8 lead bytes are all ≥ 0x80).</summary>
    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        int outside = utf8Text.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E);
        int special = (outside < 0 ? utf8Text : utf8Text[..outside]).IndexOfAny((byte)'"', (byte)'\\');
        return special >= 0 ? special : outside;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        Span<char> output = new(buffer, bufferLength);
        string? shortForm = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => null,
        };
        if (shortForm is not null)
        {
            return TryCopy(shortForm, output, out numberOfCharactersWritten);
        }
        if (unicodeScalar <= 0xFFFF)
        {
            return TryCopy($"\\u{unicodeScalar:X4}", output, out numberOfCharactersWritten);
        }
        int v = unicodeScalar - 0x10000;
        int high = 0xD800 + (v >> 10);
        int low = 0xDC00 + (v & 0x3FF);
        return TryCopy($"\\u{high:X4}\\u{low:X4}", output, out numberOfCharactersWritten);
    }

    private static bool TryCopy(string s, Span<char> output, out int written)
    {
        if (s.Length > output.Length)
        {
            written = 0;
            return false;
        }
        s.AsSpan().CopyTo(output);
        written = s.Length;
        return true;
    }
}
