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

    /// <summary>Dedents and writes a closing brace (with an optional suffix such as ';').</summary>
    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
        return this;
    }

    /// <summary>Opens <c>#if</c> when <paramref name="cond"/> is present.</summary>
    public SourceWriter If(CondSpec? cond)
    {
        if (cond != null)
        {
            Directive("#if " + cond.ToCSharp());
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
}
