using System.Text;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// One doc comment line, as a view of the schema file's UTF-8 bytes. QEMU's schema has tens of
/// thousands of such lines; viewing them instead of cutting substrings (the line, then the line
/// without "# ", then without its indentation) leaves one copy per line: into its section's text.
/// netstandard2.0 has no <c>ReadOnlySpan&lt;byte&gt;</c> without an extra package, hence this.
/// </summary>
/// <remarks>
/// Indexes and lengths are in bytes. The patterns of doc lines are ASCII (<c>@</c>, <c>:</c>, tags, spaces),
/// and an ASCII byte never occurs inside a multi-byte character, so they match on bytes; what counts
/// characters or asks whether one is whitespace (indentation, trimming) decodes the character.
/// </remarks>
internal readonly struct DocLine
{
    private readonly byte[] _text;
    private readonly int _start;

    public DocLine(byte[] text, int start, int length)
    {
        _text = text;
        _start = start;
        Length = length;
    }

    /// <summary>A line of its own (tests).</summary>
    public static implicit operator DocLine(string line)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line);
        return new(bytes, 0, bytes.Length);
    }

    /// <summary>The bytes this is a view of, and where in them the line starts.</summary>
    public byte[] Source => _text;

    public int Start => _start;

    /// <summary>The line's length in bytes.</summary>
    public int Length { get; }

    /// <summary>The byte at <paramref name="index"/> as a character: right for ASCII, the only characters this is asked to compare with.</summary>
    public char this[int index] => (char)_text[_start + index];

    /// <summary>Whether the character that starts at <paramref name="index"/> is whitespace, and its length in bytes.</summary>
    public bool IsWhiteSpaceAt(int index, out int length) => Utf8Text.IsWhiteSpaceAt(_text, _start + index, out length);

    /// <summary>The line from <paramref name="start"/> (a byte index) on.</summary>
    public DocLine Slice(int start) => new(_text, _start + start, Length - start);

    /// <summary>The line without trailing whitespace (any Unicode whitespace, as Python's <c>rstrip</c>).</summary>
    public DocLine TrimEnd()
    {
        int length = Length;
        while (length > 0)
        {
            int last = _start + length - 1;
            while (Utf8Text.IsContinuation(_text[last]))
            {
                last--;
            }

            if (!Utf8Text.IsWhiteSpaceAt(_text, last, out _))
            {
                break;
            }

            length = last - _start;
        }

        return new DocLine(_text, _start, length);
    }

    /// <summary>The leading whitespace: how many characters (the reference's indentation) and bytes.</summary>
    public int LeadingWhitespace(out int bytes)
    {
        int chars = 0;
        bytes = 0;
        while (bytes < Length && IsWhiteSpaceAt(bytes, out int length))
        {
            bytes += length;
            chars++;
        }

        return chars;
    }

    /// <summary>The line without its first <paramref name="chars"/> characters.</summary>
    public DocLine SkipChars(int chars)
    {
        int i = 0;
        for (int n = 0; n < chars && i < Length; n++)
        {
            i += Utf8Text.Length(_text[_start + i]);
        }

        return Slice(i);
    }

    public bool StartsWith(string prefix)
    {
        if (Length < prefix.Length)
        {
            return false;
        }

        for (int i = 0; i < prefix.Length; i++)
        {
            if (_text[_start + i] != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    public bool EndsWith(char c) => Length > 0 && this[Length - 1] == c;

    public bool Is(string value) => Length == value.Length && StartsWith(value);

    /// <summary>Index of the ASCII character <paramref name="c"/> in the line, or -1.</summary>
    public int IndexOf(char c)
    {
        int i = System.Array.IndexOf(_text, (byte)c, _start, Length);
        return i < 0 ? -1 : i - _start;
    }

    /// <summary>Index of the last <paramref name="c"/> in [0, <paramref name="end"/>), or -1.</summary>
    public int LastIndexOf(char c, int end)
    {
        for (int i = end - 1; i >= 0; i--)
        {
            if (this[i] == c)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The text of <paramref name="length"/> bytes from <paramref name="start"/>.</summary>
    public string Substring(int start, int length) => Utf8Text.GetString(_text, _start + start, length);

    /// <summary><see cref="Substring"/>, one instance per text from <paramref name="strings"/> when it is ASCII (as the table's texts are).</summary>
    public string Intern(int start, int length, TokenStrings strings)
    {
        for (int i = _start + start; i < _start + start + length; i++)
        {
            if (_text[i] >= 0x80)
            {
                return Substring(start, length);
            }
        }
        return strings.Get(_text, _start + start, length);
    }

    public void AppendTo(StringBuilder builder) => Utf8Text.AppendTo(builder, _text, _start, Length);

    public override string ToString() => Utf8Text.GetString(_text, _start, Length);
}
