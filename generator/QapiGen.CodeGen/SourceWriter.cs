using System;
using System.Runtime.CompilerServices;
using System.Text;

namespace QapiGen.CodeGen;

/// <summary>A small indented text writer for generated C#: lines, blocks and preprocessor conditions.</summary>
public sealed class SourceWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

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

        _sb.Append(text).Append('\n');
        return this;
    }

    /// <summary>
    /// Writes one line given as an interpolated string, its pieces appended straight into the text: the
    /// emitters write hundreds of thousands of lines (QEMU's schema), and a string per line was most of
    /// what generating allocated. The same text as <see cref="Line(string)"/> with the formatted string.
    /// </summary>
    public SourceWriter Line([InterpolatedStringHandlerArgument("")] ref LineHandler line)
    {
        _sb.Append('\n');
        return this;
    }

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

            _sb.Append(head).Append(text, start, length).Append('\n');
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
        _sb.Append(' ', _indent * 4).Append(before);
        CsNames.AppendLiteral(_sb, text).Append(after).Append('\n');
        return this;
    }

    /// <summary>Writes a line at column 0 (preprocessor directives).</summary>
    public SourceWriter Directive(string text)
    {
        _sb.Append(text).Append('\n');
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
        _sb.Append('\n');
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>Dedents and writes a closing brace (with an optional suffix such as ';').</summary>
    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        _sb.Append(' ', _indent * 4).Append('}').Append(suffix).Append('\n');
        return this;
    }

    /// <summary>Opens <c>#if</c> when <paramref name="cond"/> is present.</summary>
    public SourceWriter If(CondSpec? cond)
    {
        if (cond != null)
        {
            _sb.Append("#if ").Append(cond.ToCSharp()).Append('\n');
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

    public override string ToString() => _sb.ToString();

    /// <summary>
    /// The text between <paramref name="header"/> and <paramref name="footer"/>, copied once: the
    /// texts are megabytes (QEMU's schema), and concatenating the header, the text and the footer
    /// copied each twice. The writer is not written to afterwards.
    /// </summary>
    public string ToString(string header, string footer)
    {
        _sb.Insert(0, header).Append(footer);
        return _sb.ToString();
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
