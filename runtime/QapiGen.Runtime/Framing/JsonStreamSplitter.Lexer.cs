using System;
using System.Collections.Generic;

namespace QapiGen.Runtime.Framing;

// The lexer: QEMU's json-lexer.c state machine, byte by byte.
internal sealed partial class JsonStreamSplitter
{
    private enum Lex : byte
    {
        Start,
        Recovery,
        DqString,
        DqEscape,
        SqString,
        SqEscape,
        Sign,           // "-"
        Zero,           // "0" or "-0": terminal, but another digit is an error
        Digits,         // an integer: terminal
        Mantissa,       // after "."
        MantissaDigits, // terminal
        ExpE,           // after "e"/"E"
        ExpSign,        // after the exponent's sign
        ExpDigits,      // terminal
        Keyword,        // [a-z]+: terminal
    }

    private enum Token : byte
    {
        LCurly,
        RCurly,
        LSquare,
        RSquare,
        Colon,
        Comma,
        String,
        Number,
        Keyword,
    }

    private Lex _lex = Lex.Start;

    /// <summary>Where the current token starts in the message (its bytes are kept raw until it ends).</summary>
    private int _tokenStart;

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    /// <summary>One byte: true when consumed, false when it must be looked at again in the new state.</summary>
    private bool Step(byte b, List<JsonFrame> output)
    {
        switch (_lex)
        {
            case Lex.Start:
                StepStart(b, output);
                return true;
            case Lex.Recovery:
                // Skip until a structural character, a control character other than tab, or one
                // of the bytes that never occur in UTF-8; that byte then starts afresh.
                if (b is (byte)'{' or (byte)'}' or (byte)'[' or (byte)']' or (byte)':' or (byte)',' or 0xFE or 0xFF
                    || (b < 0x20 && b != (byte)'\t'))
                {
                    _lex = Lex.Start;
                    return false;
                }
                return true;
            case Lex.DqString:
            case Lex.SqString:
                StepString(b, output);
                return true;
            case Lex.DqEscape:
            case Lex.SqEscape:
                // Any character may follow the backslash here; the string check judges it.
                if (b is < 0x20 or >= 0xFE)
                {
                    LexicalError(b, output);
                    return true;
                }
                Append(b, output);
                StringContent(b);
                _lex = _lex == Lex.DqEscape ? Lex.DqString : Lex.SqString;
                return true;
            case Lex.Sign:
                return Continue(b is (byte)'0' ? Lex.Zero : b is >= (byte)'1' and <= (byte)'9' ? Lex.Digits : null, b, output);
            case Lex.Zero:
                if (IsDigit(b))
                {
                    LexicalError(b, output); // "01": QEMU rejects the leading zero with the digit
                    return true;
                }
                return b == (byte)'.' ? Continue(Lex.Mantissa, b, output) : EndScalar(output);
            case Lex.Digits:
                return IsDigit(b) ? Continue(Lex.Digits, b, output)
                    : b is (byte)'e' or (byte)'E' ? Continue(Lex.ExpE, b, output)
                    : b == (byte)'.' ? Continue(Lex.Mantissa, b, output)
                    : EndScalar(output);
            case Lex.Mantissa:
                return Continue(IsDigit(b) ? Lex.MantissaDigits : null, b, output);
            case Lex.MantissaDigits:
                return IsDigit(b) ? Continue(Lex.MantissaDigits, b, output)
                    : b is (byte)'e' or (byte)'E' ? Continue(Lex.ExpE, b, output)
                    : EndScalar(output);
            case Lex.ExpE:
                return Continue(IsDigit(b) ? Lex.ExpDigits : b is (byte)'+' or (byte)'-' ? Lex.ExpSign : null, b, output);
            case Lex.ExpSign:
                return Continue(IsDigit(b) ? Lex.ExpDigits : null, b, output);
            case Lex.ExpDigits:
                return IsDigit(b) ? Continue(Lex.ExpDigits, b, output) : EndScalar(output);
            case Lex.Keyword:
                return b is >= (byte)'a' and <= (byte)'z' ? Continue(Lex.Keyword, b, output) : EndScalar(output);
            default:
                throw new InvalidOperationException();
        }
    }

    private void StepStart(byte b, List<JsonFrame> output)
    {
        switch (b)
        {
            case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n':
                return;
            case (byte)'{':
                Structural(Token.LCurly, b, output);
                return;
            case (byte)'}':
                Structural(Token.RCurly, b, output);
                return;
            case (byte)'[':
                Structural(Token.LSquare, b, output);
                return;
            case (byte)']':
                Structural(Token.RSquare, b, output);
                return;
            case (byte)':':
                Structural(Token.Colon, b, output);
                return;
            case (byte)',':
                Structural(Token.Comma, b, output);
                return;
            case (byte)'"' or (byte)'\'':
                BeginToken(b == (byte)'"' ? Lex.DqString : Lex.SqString, b, output);
                BeginStringContent(b);
                return;
            case (byte)'-':
                BeginToken(Lex.Sign, b, output);
                return;
            case (byte)'0':
                BeginToken(Lex.Zero, b, output);
                return;
            case >= (byte)'1' and <= (byte)'9':
                BeginToken(Lex.Digits, b, output);
                return;
            case >= (byte)'a' and <= (byte)'z':
                BeginToken(Lex.Keyword, b, output);
                return;
            default:
                LexicalError(b, output);
                return;
        }
    }

    private void StepString(byte b, List<JsonFrame> output)
    {
        byte quote = _lex == Lex.DqString ? (byte)'"' : (byte)'\'';
        if (b == quote)
        {
            Append(b, output);
            _lex = Lex.Start;
            EndStringContent(output);
            OnToken(Token.String, output);
            return;
        }
        if (b is < 0x20 or >= 0xFE)
        {
            LexicalError(b, output);
            return;
        }
        Append(b, output);
        StringContent(b);
        if (b == (byte)'\\')
        {
            _lex = _lex == Lex.DqString ? Lex.DqEscape : Lex.SqEscape;
        }
    }

    private void Structural(Token token, byte b, List<JsonFrame> output)
    {
        BeginMessageIfNeeded();
        _tokenStart = _message?.WrittenCount ?? 0;
        Append(b, output);
        OnToken(token, output);
    }

    private void BeginToken(Lex state, byte b, List<JsonFrame> output)
    {
        BeginMessageIfNeeded();
        _tokenStart = _message?.WrittenCount ?? 0;
        _lex = state;
        Append(b, output);
    }

    /// <summary>A number goes on with <paramref name="b"/> in state <paramref name="next"/>, or (null) is malformed.</summary>
    private bool Continue(Lex? next, byte b, List<JsonFrame> output)
    {
        if (next is not { } state)
        {
            LexicalError(b, output);
            return true;
        }
        _lex = state;
        Append(b, output);
        return true;
    }

    /// <summary>A terminal state met a byte that does not continue it: the token is complete, the byte is looked at again.</summary>
    private bool EndScalar(List<JsonFrame> output)
    {
        Token token = _lex == Lex.Keyword ? Token.Keyword : Token.Number;
        _lex = Lex.Start;
        OnToken(token, output);
        return false;
    }

    /// <summary>
    /// QEMU's JSON_ERROR: the offending byte joins the token, the whole token is reported at
    /// once as stray input, the partial message is thrown away, and the lexer recovers.
    /// </summary>
    private void LexicalError(byte b, List<JsonFrame> output)
    {
        ReadOnlySpan<byte> token = _lex != Lex.Start && _message is not null ? _message.WrittenSpan[_tokenStart..] : default;
        byte[] text = new byte[token.Length + 1];
        token.CopyTo(text);
        text[^1] = b;
        output.Add(JsonFrame.ForError($"JSON parse error, stray '{QemuUtf8.Display(text)}'", _offset + 1));
        ResetMessage();
        _lex = Lex.Recovery;
    }
}
