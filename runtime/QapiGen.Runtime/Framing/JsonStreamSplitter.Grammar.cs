using System;
using System.Text;

namespace QapiGen.Runtime.Framing;

// The grammar: QEMU's json-parser.c, a recursive descent, run one token at a time with an
// explicit stack. Only its first error counts (QEMU's parse_error keeps the first), and it is
// reported once the streamer completes the message.
internal sealed partial class JsonStreamSplitter
{
    /// <summary>What the grammar expects next; in an object or array, also which one.</summary>
    private enum Expect : byte
    {
        Value,        // the top-level value
        ArrayFirst,   // after '[': a value or ']'
        ArrayValue,   // after ',' in an array
        ArrayNext,    // after an element: ',' or ']'
        ObjectFirst,  // after '{': a key or '}'
        ObjectKey,    // after ',' in an object
        Colon,        // after a key
        ObjectValue,  // after ':'
        ObjectNext,   // after a member: ',' or '}'
        Done,
    }

    // QEMU formats parse errors into a 1024-byte buffer: longer texts (a long keyword) are cut.
    private const int MaxParseErrorLength = 1023;

    private Expect _expect = Expect.Value;

    /// <summary>For each open object or array, what was expected where it started.</summary>
    private readonly Expect[] _parents;
    private int _depth;
    private string? _grammarError;

    private void ResetGrammar()
    {
        _expect = Expect.Value;
        _depth = 0;
        _grammarError = null;
    }

    private void Grammar(Token token)
    {
        switch (_expect)
        {
            case Expect.ArrayFirst when token == Token.RSquare:
            case Expect.ObjectFirst when token == Token.RCurly:
            case Expect.ArrayNext when token == Token.RSquare:
            case Expect.ObjectNext when token == Token.RCurly:
                _expect = _parents[--_depth];
                AfterValue(isString: false);
                return;
            case Expect.ArrayNext:
                if (token == Token.Comma)
                {
                    _expect = Expect.ArrayValue;
                    return;
                }
                Error("expected separator in list");
                return;
            case Expect.ObjectNext:
                if (token == Token.Comma)
                {
                    _expect = Expect.ObjectKey;
                    return;
                }
                Error("expected separator in dict");
                return;
            case Expect.Colon:
                if (token == Token.Colon)
                {
                    _expect = Expect.ObjectValue;
                    return;
                }
                Error("missing : in object pair");
                return;
            case Expect.Done:
                Error("expecting value");
                return;
            default:
                // A value; in a key's place too, where QEMU parses any value, then insists on a string.
                Value(token);
                return;
        }
    }

    private void Value(Token token)
    {
        switch (token)
        {
            case Token.LCurly:
                _parents[_depth++] = _expect;
                _expect = Expect.ObjectFirst;
                return;
            case Token.LSquare:
                _parents[_depth++] = _expect;
                _expect = Expect.ArrayFirst;
                return;
            case Token.String:
                if (_strError is { } stringError)
                {
                    Error(stringError);
                    return;
                }
                AfterValue(isString: true);
                return;
            case Token.Number:
                AfterValue(isString: false);
                return;
            case Token.Keyword:
                ReadOnlySpan<byte> keyword = _message!.WrittenSpan[_tokenStart..];
                if (!keyword.SequenceEqual("true"u8) && !keyword.SequenceEqual("false"u8) && !keyword.SequenceEqual("null"u8))
                {
                    Error($"invalid keyword '{Encoding.ASCII.GetString(keyword)}'");
                    return;
                }
                AfterValue(isString: false);
                return;
            default:
                Error("expecting value");
                return;
        }
    }

    /// <summary>A value is complete; <see cref="_expect"/> still says where it started.</summary>
    private void AfterValue(bool isString)
    {
        switch (_expect)
        {
            case Expect.Value:
                _expect = Expect.Done;
                return;
            case Expect.ArrayFirst or Expect.ArrayValue:
                _expect = Expect.ArrayNext;
                return;
            case Expect.ObjectValue:
                _expect = Expect.ObjectNext;
                return;
            default: // a key
                if (isString)
                {
                    _expect = Expect.Colon;
                    return;
                }
                Error("key is not a string in object");
                return;
        }
    }

    private void Error(string message)
    {
        if (message.Length > MaxParseErrorLength)
        {
            message = message[..MaxParseErrorLength];
        }
        _grammarError = "JSON parse error, " + message;
    }
}
