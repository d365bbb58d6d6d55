using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

namespace QapiGen.CodeGen;

/// <summary>
/// A small indented text writer for generated C#: lines, blocks and preprocessor conditions. It makes a
/// string (<see cref="ToString()"/>: what the source generator hands to Roslyn), or, made with a stream,
/// writes the text into it as UTF-8 as it goes (<see cref="Flush"/> at the end): the CLI writes
/// megabytes of C# for QEMU's schema, and a string of them, then its UTF-8 bytes, was fresh memory twice
/// over. The text is the same either way.
/// </summary>
public sealed class SourceWriter
{
    // In stream mode, the text is encoded and written once a line ends with this much of it held.
    private const int FlushAt = 16 * 1024;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly StringBuilder _sb;
    private readonly Stream? _sink;
    private readonly Encoder? _encoder;
    private char[] _chars = Array.Empty<char>();
    private byte[] _bytes = Array.Empty<byte>();
    private int _indent;

    /// <summary>A writer of a string (<see cref="ToString()"/>).</summary>
    public SourceWriter() => _sb = new StringBuilder();

    /// <summary>
    /// A writer into <paramref name="utf8"/>: the text as UTF-8 without a byte order mark (the bytes
    /// <c>File.WriteAllText</c> writes of <see cref="ToString()"/>), written in pieces through reused
    /// buffers. <see cref="Flush"/> writes the rest; the writer makes no string.
    /// </summary>
    public SourceWriter(Stream utf8)
    {
        _sink = utf8 ?? throw new ArgumentNullException(nameof(utf8));
        _encoder = Utf8.GetEncoder();
        _sb = new StringBuilder(2 * FlushAt);
    }

    public int Indent
    {
        get => _indent;
        set => _indent = value < 0 ? 0 : value;
    }

    /// <summary>Writes one line at the current indentation (an empty line has no indentation).</summary>
    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _sb.Append(' ', _indent * 4);
        }

        _sb.Append(text);
        return EndLine();
    }

    /// <summary>
    /// Writes one line given as an interpolated string, its pieces appended straight into the text: the
    /// emitters write hundreds of thousands of lines (QEMU's schema), and a string per line was most of
    /// what generating allocated. The same text as <see cref="Line(string)"/> with the formatted string.
    /// </summary>
    public SourceWriter Line([InterpolatedStringHandlerArgument("")] ref LineHandler line) => EndLine();

    /// <summary>
    /// Writes the lines of <paramref name="text"/> (separated by '\n'), each after <paramref name="prefix"/>,
    /// or <paramref name="emptyPrefix"/> for an empty line, at the current indentation, without splitting
    /// the text into strings.
    /// </summary>
    public SourceWriter PrefixedLines(string text, string prefix, string emptyPrefix)
    {
        int start = 0;
        while (true)
        {
            int end = text.IndexOf('\n', start);
            int length = (end < 0 ? text.Length : end) - start;
            string head = length > 0 ? prefix : emptyPrefix;
            if (head.Length + length > 0)
            {
                _sb.Append(' ', _indent * 4);
            }

            _sb.Append(head).Append(text, start, length);
            EndLine();
            if (end < 0)
            {
                return this;
            }

            start = end + 1;
        }
    }

    /// <summary>
    /// Writes <paramref name="before"/>, <paramref name="text"/> as a C# string literal
    /// (<see cref="CsNames.Literal"/>) and <paramref name="after"/> as one line, the literal escaped
    /// straight into the writer (the introspection data is a megabyte).
    /// </summary>
    public SourceWriter LiteralLine(string before, string text, string after)
    {
        _sb.Append(' ', _indent * 4).Append(before).Append('"');
        // In pieces, each written out before the next (a stream's buffer stays its size).
        const int Piece = FlushAt / 2;
        for (int start = 0; start < text.Length; start += Piece)
        {
            CsNames.AppendEscaped(_sb, text, start, Math.Min(Piece, text.Length - start));
            FlushIfFull();
        }
        _sb.Append('"').Append(after);
        return EndLine();
    }

    /// <summary>Writes a line at column 0 (preprocessor directives).</summary>
    public SourceWriter Directive(string text)
    {
        _sb.Append(text);
        return EndLine();
    }

    /// <summary>Writes <paramref name="text"/> as it is: no indentation, no line end added (a file's header or footer).</summary>
    public SourceWriter Raw(string text)
    {
        _sb.Append(text);
        FlushIfFull();
        return this;
    }

    /// <summary>Writes each line of a multi-line text at the current indentation.</summary>
    public SourceWriter Lines(string text)
    {
        foreach (string? line in text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
        {
            Line(line);
        }

        return this;
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace, and indents.</summary>
    public SourceWriter Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>Writes the interpolated <paramref name="header"/> and an opening brace, and indents.</summary>
    public SourceWriter Open([InterpolatedStringHandlerArgument("")] ref LineHandler header)
    {
        EndLine();
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>Dedents and writes a closing brace (with an optional suffix such as ';').</summary>
    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        _sb.Append(' ', _indent * 4).Append('}').Append(suffix);
        return EndLine();
    }

    /// <summary>Opens <c>#if</c> when <paramref name="cond"/> is present.</summary>
    public SourceWriter If(CondSpec? cond)
    {
        if (cond != null)
        {
            _sb.Append("#if ").Append(cond.ToCSharp());
            EndLine();
        }

        return this;
    }

    /// <summary>Closes what <see cref="If"/> opened.</summary>
    public SourceWriter EndIf(CondSpec? cond)
    {
        if (cond != null)
        {
            Directive("#endif");
        }

        return this;
    }

    /// <summary>The text written (a writer of a string only).</summary>
    public override string ToString() => _sink == null ? _sb.ToString() : throw StreamMode();

    /// <summary>
    /// The text between <paramref name="header"/> and <paramref name="footer"/>, copied once: the
    /// texts are megabytes (QEMU's schema), and concatenating the header, the text and the footer
    /// copied each twice. The writer is not written to afterwards. A writer of a string only.
    /// </summary>
    public string ToString(string header, string footer)
    {
        if (_sink != null)
        {
            throw StreamMode();
        }

        _sb.Insert(0, header).Append(footer);
        return _sb.ToString();
    }

    /// <summary>
    /// A writer into a stream: encodes and writes what it still holds (the end of the text: an
    /// unpaired surrogate left at the end is written as U+FFFD, as <c>File.WriteAllText</c> does).
    /// Flushes the stream. A writer of a string: nothing to do.
    /// </summary>
    public void Flush()
    {
        if (_sink != null)
        {
            Write(flush: true);
            _sink.Flush();
        }
    }

    private static InvalidOperationException StreamMode() => new("this SourceWriter writes into a stream: it holds no text");

    private SourceWriter EndLine()
    {
        _sb.Append('\n');
        FlushIfFull();
        return this;
    }

    private void FlushIfFull()
    {
        if (_sink != null && _sb.Length >= FlushAt)
        {
            Write(flush: false);
        }
    }

    // Encodes the held text into the stream and empties the builder (which keeps its capacity). The
    // encoder keeps a high surrogate that ends one piece for the next.
    private void Write(bool flush)
    {
        int length = _sb.Length;
        if (_chars.Length < length)
        {
            _chars = new char[Math.Max(length, 2 * FlushAt)];
        }

        _sb.CopyTo(0, _chars, 0, length);
        int max = Utf8.GetMaxByteCount(length);
        if (_bytes.Length < max)
        {
            _bytes = new byte[max];
        }

        int count = _encoder!.GetBytes(_chars, 0, length, _bytes, 0, flush);
        _sink!.Write(_bytes, 0, count);
        _sb.Clear();
    }

    /// <summary>
    /// Appends the pieces of an interpolated line into the writer's text as they come, with the
    /// indentation before the first non-empty piece (an empty line has none, as in <see cref="Line(string)"/>).
    /// Values are formatted as string interpolation formats them (<c>ToString()</c>, the current culture).
    /// </summary>
    [InterpolatedStringHandler]
    public ref struct LineHandler
    {
        private readonly SourceWriter _writer;
        private bool _indented;

        public LineHandler(int literalLength, int formattedCount, SourceWriter writer)
        {
            _writer = writer;
            _indented = false;
        }

        public void AppendLiteral(string value) => Append(value);

        public void AppendFormatted(string? value) => Append(value);

        public void AppendFormatted(char value)
        {
            Indent();
            _writer._sb.Append(value);
        }

        public void AppendFormatted<T>(T value)
        {
            // Numbers without boxing (the test of the type is a constant for each instantiation).
            if (typeof(T) == typeof(int))
            {
                Indent();
                _writer._sb.Append((int)(object)value!);
            }
            else if (value != null)
            {
                Append(value.ToString());
            }
        }

        public void AppendFormatted<T>(T value, string? format)
        {
            if (value is IFormattable formattable)
            {
                Append(formattable.ToString(format, null));
            }
            else if (value != null)
            {
                Append(value.ToString());
            }
        }

        private void Append(string? value)
        {
            if (value is { Length: > 0 })
            {
                Indent();
                _writer._sb.Append(value);
            }
        }

        private void Indent()
        {
            if (!_indented)
            {
                _writer._sb.Append(' ', _writer._indent * 4);
                _indented = true;
            }
        }
    }
}
