using System;
using System.Text;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// What the lexer needs to know about the characters of UTF-8 schema text (checked valid when read):
/// where a character starts and ends, whether it is whitespace, and its text. The reference works on
/// characters (code points), so every rule that looks at a character (whitespace, columns, the text
/// an error shows) decodes the one character it looks at; ASCII, nearly all of a schema, is a byte.
/// </summary>
internal static class Utf8Text
{
    /// <summary>UTF-8 without a byte order mark; an unpaired surrogate becomes U+FFFD, as any UTF-8 writer of it would make it.</summary>
    public static readonly UTF8Encoding Utf8 = new(false, false);

    /// <summary>The number of bytes of the character whose first byte is <paramref name="lead"/>.</summary>
    public static int Length(byte lead) => lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;

    /// <summary>Whether <paramref name="b"/> continues a character (is not its first byte).</summary>
    public static bool IsContinuation(byte b) => (b & 0xC0) == 0x80;

    /// <summary>The code point at <paramref name="i"/> (the first byte of a character) and its length in bytes.</summary>
    public static int CodePointAt(byte[] text, int i, out int length)
    {
        byte lead = text[i];
        length = Length(lead);
        return length switch
        {
            1 => lead,
            2 => ((lead & 0x1F) << 6) | (text[i + 1] & 0x3F),
            3 => ((lead & 0x0F) << 12) | ((text[i + 1] & 0x3F) << 6) | (text[i + 2] & 0x3F),
            _ => ((lead & 0x07) << 18) | ((text[i + 1] & 0x3F) << 12) | ((text[i + 2] & 0x3F) << 6) | (text[i + 3] & 0x3F),
        };
    }

    /// <summary>Whether the character at <paramref name="i"/> is whitespace (<see cref="char.IsWhiteSpace(char)"/>; all such characters are in the BMP).</summary>
    public static bool IsWhiteSpaceAt(byte[] text, int i, out int length)
    {
        int c = CodePointAt(text, i, out length);
        return c <= 0xFFFF && char.IsWhiteSpace((char)c);
    }

    /// <summary>The text of <paramref name="length"/> bytes at <paramref name="start"/>.</summary>
    public static string GetString(byte[] text, int start, int length) => Utf8.GetString(text, start, length);

    // Where AppendTo decodes non-ASCII text, one per thread (files are parsed on several at once).
    [ThreadStatic]
    private static char[]? _chars;

    /// <summary>Appends the text of <paramref name="length"/> bytes at <paramref name="start"/> without making a string of it.</summary>
    public static void AppendTo(StringBuilder builder, byte[] text, int start, int length)
    {
        char[] chars = _chars is { } reused && reused.Length >= length ? reused : (_chars = new char[Math.Max(length, 256)]);
        int count = Utf8.GetChars(text, start, length, chars, 0);
        builder.Append(chars, 0, count);
    }
}
