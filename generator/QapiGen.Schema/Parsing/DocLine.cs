using System.Text;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// One doc comment line, as a view of the schema text. QEMU's schema has tens of thousands of
/// such lines; viewing them instead of cutting substrings (the line, then the line without
/// "# ", then without its indentation) leaves one copy per line: into its section's text.
/// netstandard2.0 has no <c>ReadOnlySpan&lt;char&gt;</c> without an extra package, hence this.
/// </summary>
internal readonly struct DocLine
{
    private readonly string _text;
    private readonly int _start;

    public DocLine(string text, int start, int length)
    {
        _text = text;
        _start = start;
        Length = length;
    }

    public static implicit operator DocLine(string line) => new(line, 0, line.Length);

    public int Length { get; }

    public char this[int index] => _text[_start + index];

    /// <summary>The line from <paramref name="start"/> on.</summary>
    public DocLine Slice(int start) => new(_text, _start + start, Length - start);

    public DocLine TrimEnd()
    {
        int length = Length;
        while (length > 0 && char.IsWhiteSpace(_text[_start + length - 1]))
        {
            length--;
        }

        return new DocLine(_text, _start, length);
    }

    public bool StartsWith(string prefix)
        => Length >= prefix.Length && string.CompareOrdinal(_text, _start, prefix, 0, prefix.Length) == 0;

    public bool EndsWith(char c) => Length > 0 && this[Length - 1] == c;

    public bool Is(string value) => Length == value.Length && StartsWith(value);

    /// <summary>Index of <paramref name="c"/> in the line, or -1.</summary>
    public int IndexOf(char c)
    {
        int i = _text.IndexOf(c, _start, Length);
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

    public string Substring(int start, int length) => _text.Substring(_start + start, length);

    public void AppendTo(StringBuilder builder) => builder.Append(_text, _start, Length);

    public override string ToString() => _text.Substring(_start, Length);
}
