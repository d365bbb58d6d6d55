using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Checking;

/// <summary>
/// Parses the C preprocessor conditions of QEMU's older schemas (<c>defined(A) &amp;&amp; !defined(B)</c>,
/// <c>||</c>, parentheses) into the structured condition of the current language: a symbol name,
/// or <c>{'all': [...]}</c>, <c>{'any': [...]}</c>, <c>{'not': ...}</c>.
/// </summary>
internal sealed class CppCondition
{
    private readonly string _text;
    private readonly QapiSourceInfo _info;
    private int _pos;
    private int _depth;

    /// <summary>
    /// How deep '!' and parentheses may nest. Real conditions nest two or three levels; the bound
    /// keeps the recursive descent off the end of the stack, and the structured result within what
    /// the rest of the front end reads.
    /// </summary>
    internal const int MaxDepth = 200;

    private CppCondition(string text, QapiSourceInfo info)
    {
        _text = text;
        _info = info;
    }

    public static object Parse(string text, QapiSourceInfo info)
    {
        var parser = new CppCondition(text, info);
        object result = parser.ParseOr();
        parser.SkipSpace();
        if (parser._pos != text.Length)
        {
            throw parser.Error();
        }

        return result;
    }

    private QapiSemError Error() => new(_info, $"'if' condition '{_text}' is not a condition the older language allows");

    private object ParseOr()
    {
        var operands = new List<object> { ParseAnd() };
        while (Accept("||"))
        {
            operands.Add(ParseAnd());
        }

        return operands.Count == 1 ? operands[0] : new QDict { ["any"] = operands };
    }

    private object ParseAnd()
    {
        var operands = new List<object> { ParseUnary() };
        while (Accept("&&"))
        {
            operands.Add(ParseUnary());
        }

        return operands.Count == 1 ? operands[0] : new QDict { ["all"] = operands };
    }

    private object ParseUnary()
    {
        if (Accept("!"))
        {
            return new QDict { ["not"] = Nested(ParseUnary) };
        }

        if (Accept("("))
        {
            object inner = Nested(ParseOr);
            if (!Accept(")"))
            {
                throw Error();
            }

            return inner;
        }
        string ident = Identifier();
        if (ident != "defined")
        {
            return ident; // a bare macro name: treat as "defined", which is what the schema meant
        }

        bool parens = Accept("(");
        string symbol = Identifier();
        if (parens && !Accept(")"))
        {
            throw Error();
        }

        return symbol;
    }

    private object Nested(System.Func<object> parse)
    {
        if (++_depth > MaxDepth)
        {
            throw new QapiSemError(_info, $"'if' condition nests more than {MaxDepth} levels deep");
        }

        object result = parse();
        _depth--;
        return result;
    }

    private string Identifier()
    {
        SkipSpace();
        int start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
        {
            _pos++;
        }

        if (start == _pos)
        {
            throw Error();
        }

        return _text.Substring(start, _pos - start);
    }

    private bool Accept(string token)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _pos, token, 0, token.Length) != 0)
        {
            return false;
        }

        _pos += token.Length;
        return true;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }
}
