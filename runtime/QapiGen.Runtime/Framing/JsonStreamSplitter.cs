using System;
using System.Collections.Generic;
using System.Text;
using QapiGen.Runtime.Buffers;

namespace QapiGen.Runtime.Framing;

/// <summary>
/// Splits a byte stream into top-level JSON values the way QEMU's json-lexer and
/// json-streamer do, so that clients see the same replies for the same (bad) input.
/// </summary>
/// <remarks>
/// <para>Why a hand-written lexer and not <c>Utf8JsonReader</c> alone: QMP framing is defined
/// by QEMU's behaviour, not by RFC 8259. A message ends when its braces and brackets balance
/// (counted on tokens, so braces inside strings do not count); a stray <c>}</c> is a message
/// of its own ("expecting value"); grammar errors are reported once per message, after it
/// balances; lexical errors are reported at once and followed by recovery that skips input up
/// to the next structural character, control character or 0xFE/0xFF byte (the spec's
/// "Forcing the JSON parser into known-good state"). QEMU also accepts single-quoted strings
/// and the <c>\'</c> escape. A token-level state machine reproduces all of that in one pass
/// with constant state, whatever the chunking, and rewrites each message into standard JSON
/// that <c>System.Text.Json</c> then parses (see QmpRequest).</para>
/// <para>The splitter is synchronous and keeps its state between <see cref="Feed"/> calls, so
/// the pipe reader can always advance past everything it has seen: no byte is scanned twice.</para>
/// </remarks>
public sealed class JsonStreamSplitter : IDisposable
{
    private enum Lex : byte
    {
        Start,
        String,
        StringEscape,
        StringUnicode,
        Number,
        Keyword,
        Recovery,
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

    private enum Expect : byte
    {
        Value,
        ArrayFirst,
        ObjectFirst,
        ObjectKey,
        Colon,
        ObjectNext,
        ArrayNext,
        Done,
    }

    private readonly JsonFramingOptions _options;

    // Lexer state.
    private Lex _lex = Lex.Start;
    private byte _quote;
    private int _unicodeDigits;
    private readonly StringBuilder _tokenText = new();

    // Streamer state (one message in progress).
    private int _braces;
    private int _brackets;
    private bool _inMessage;
    private bool _skipping;
    private PooledBufferWriter? _message;
    private int _tokenStart;

    // Grammar state.
    private Expect _expect = Expect.Value;
    private readonly Stack<bool> _containers = new(); // true = object
    private string? _grammarError;

    private long _offset;

    public JsonStreamSplitter(JsonFramingOptions? options = null)
    {
        _options = options ?? JsonFramingOptions.Default;
        _options.Validate();
    }

    /// <summary>Total number of bytes fed so far.</summary>
    public long Offset => _offset;

    /// <summary>Consumes <paramref name="data"/>; appends each completed frame to <paramref name="output"/>.</summary>
    public void Feed(ReadOnlySpan<byte> data, List<JsonFrame> output)
    {
        int i = 0;
        while (i < data.Length)
        {
            if (_lex == Lex.String)
            {
                // Most of a request is string contents, which need no per-byte state: copy the
                // run up to the next byte that does (a quote, an escape, a byte to reject).
                int run = AppendStringRun(data[i..]);
                i += run;
                _offset += run;
                if (i == data.Length)
                {
                    break;
                }
            }
            byte b = data[i];
            // Each step either consumes the byte (returns true) or re-examines it in a new
            // state (look-ahead at the end of numbers and keywords, or after recovery).
            if (Step(b, output))
            {
                i++;
                _offset++;
            }
        }
    }

    /// <summary>End of input: a pending number or keyword completes; a partial message is dropped.</summary>
    public void Complete(List<JsonFrame> output)
    {
        if (_lex is Lex.Number or Lex.Keyword)
        {
            FinishScalar(output);
        }
        ResetMessage();
        _lex = Lex.Start;
    }

    private bool Step(byte b, List<JsonFrame> output)
    {
        switch (_lex)
        {
            case Lex.Start:
                return StepStart(b, output);
            case Lex.String:
                return StepString(b, output);
            case Lex.StringEscape:
                return StepEscape(b, output);
            case Lex.StringUnicode:
                if (IsHex(b))
                {
                    Append(b, output);
                    if (++_unicodeDigits == 4)
                    {
                        _lex = Lex.String;
                    }
                    return true;
                }
                LexicalError(b, output);
                return true;
            case Lex.Number:
                if (b is (>= (byte)'0' and <= (byte)'9') or (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+' or (byte)'-')
                {
                    AppendScalar(b, output);
                    return true;
                }
                FinishScalar(output);
                return false; // look-ahead: the terminating byte starts the next token
            case Lex.Keyword:
                if (b is >= (byte)'a' and <= (byte)'z')
                {
                    AppendScalar(b, output);
                    return true;
                }
                FinishScalar(output);
                return false;
            case Lex.Recovery:
                // QEMU's IN_RECOVERY: skip until a structural character, a control character
                // other than tab, or one of the bytes that can never occur in UTF-8.
                if (b is (byte)'{' or (byte)'}' or (byte)'[' or (byte)']' or (byte)':' or (byte)',' or 0xFE or 0xFF
                    || (b < 0x20 && b != (byte)'\t'))
                {
                    _lex = Lex.Start;
                    return false;
                }
                return true;
            default:
                throw new InvalidOperationException();
        }
    }

    private bool StepStart(byte b, List<JsonFrame> output)
    {
        switch (b)
        {
            case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n':
                return true;
            case (byte)'{':
                OnStructural(Token.LCurly, b, output);
                return true;
            case (byte)'}':
                OnStructural(Token.RCurly, b, output);
                return true;
            case (byte)'[':
                OnStructural(Token.LSquare, b, output);
                return true;
            case (byte)']':
                OnStructural(Token.RSquare, b, output);
                return true;
            case (byte)':':
                OnStructural(Token.Colon, b, output);
                return true;
            case (byte)',':
                OnStructural(Token.Comma, b, output);
                return true;
            case (byte)'"' or (byte)'\'':
                BeginMessageIfNeeded();
                _quote = b;
                _lex = Lex.String;
                _tokenStart = _message?.WrittenCount ?? 0;
                Append((byte)'"', output);
                return true;
            case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                BeginScalar(Lex.Number, b, output);
                return true;
            case >= (byte)'a' and <= (byte)'z':
                BeginScalar(Lex.Keyword, b, output);
                return true;
            default:
                LexicalError(b, output);
                return true;
        }
    }

    private bool StepString(byte b, List<JsonFrame> output)
    {
        if (b == _quote)
        {
            Append((byte)'"', output);
            _lex = Lex.Start;
            OnToken(Token.String, output);
            return true;
        }
        if (b == (byte)'\\')
        {
            _lex = Lex.StringEscape;
            return true;
        }
        if (b < 0x20 || b >= 0xFE)
        {
            LexicalError(b, output);
            return true;
        }
        if (b == (byte)'"')
        {
            // Only reachable in a single-quoted string: escape it for standard JSON.
            Append((byte)'\\', output);
        }
        Append(b, output);
        return true;
    }

    private bool StepEscape(byte b, List<JsonFrame> output)
    {
        switch (b)
        {
            case (byte)'\'':
                // QEMU extension; standard JSON has no \' so emit the bare quote.
                Append(b, output);
                _lex = Lex.String;
                return true;
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                Append((byte)'\\', output);
                Append(b, output);
                _lex = Lex.String;
                return true;
            case (byte)'u':
                Append((byte)'\\', output);
                Append(b, output);
                _unicodeDigits = 0;
                _lex = Lex.StringUnicode;
                return true;
            default:
                LexicalError(b, output);
                return true;
        }
    }

    private void BeginScalar(Lex state, byte b, List<JsonFrame> output)
    {
        BeginMessageIfNeeded();
        _lex = state;
        _tokenText.Clear();
        AppendScalar(b, output);
    }

    private void AppendScalar(byte b, List<JsonFrame> output)
    {
        // Keep a short copy of the token for validation and error texts even while skipping.
        if (_tokenText.Length < 1024)
        {
            _tokenText.Append((char)b);
        }
        Append(b, output);
    }

    private void FinishScalar(List<JsonFrame> output)
    {
        Lex state = _lex;
        _lex = Lex.Start;
        if (state == Lex.Number)
        {
            if (!IsValidNumber(_tokenText))
            {
                // QEMU's lexer rejects a malformed number as a stray token.
                EmitLexicalError(_tokenText.ToString(), output);
                return;
            }
            OnToken(Token.Number, output);
        }
        else
        {
            OnToken(Token.Keyword, output);
        }
    }

    private void OnStructural(Token token, byte b, List<JsonFrame> output)
    {
        BeginMessageIfNeeded();
        Append(b, output);
        OnToken(token, output);
    }

    private void BeginMessageIfNeeded()
    {
        if (_inMessage)
        {
            return;
        }
        _inMessage = true;
        _message = new PooledBufferWriter(256);
        _expect = Expect.Value;
        _containers.Clear();
        _grammarError = null;
    }

    /// <summary>The streamer: counts nesting, applies limits, checks grammar, completes messages.</summary>
    private void OnToken(Token token, List<JsonFrame> output)
    {
        switch (token)
        {
            case Token.LCurly: _braces++; break;
            case Token.RCurly: _braces--; break;
            case Token.LSquare: _brackets++; break;
            case Token.RSquare: _brackets--; break;
        }

        if (!_skipping)
        {
            if (_braces + _brackets > _options.MaxDepth)
            {
                StartSkipping("JSON nesting depth limit exceeded", output);
            }
            else
            {
                if (_grammarError is null)
                {
                    Grammar(token);
                }
            }
        }

        if ((_braces > 0 || _brackets > 0) && _braces >= 0 && _brackets >= 0)
        {
            return; // the value is still open
        }

        if (!_skipping)
        {
            if (_grammarError is not null)
            {
                output.Add(JsonFrame.ForError("JSON parse error, " + _grammarError, _offset + 1));
            }
            else if (_message is not null)
            {
                output.Add(JsonFrame.ForMessage(_message, _offset + 1));
                _message = null;
            }
        }
        ResetMessage();
    }

    private void Grammar(Token token)
    {
        bool valueStart = token is Token.LCurly or Token.LSquare or Token.String or Token.Number or Token.Keyword;
        switch (_expect)
        {
            case Expect.Value:
            case Expect.ArrayFirst:
                if (token == Token.RSquare && _expect == Expect.ArrayFirst)
                {
                    CloseContainer();
                }
                else if (valueStart)
                {
                    Value(token);
                }
                else
                {
                    _grammarError = "expecting value";
                }
                break;
            case Expect.ObjectFirst:
            case Expect.ObjectKey:
                if (token == Token.String)
                {
                    _expect = Expect.Colon;
                }
                else if (token == Token.RCurly && _expect == Expect.ObjectFirst)
                {
                    CloseContainer();
                }
                else
                {
                    _grammarError = valueStart ? "key is not a string in object" : "expecting value";
                }
                break;
            case Expect.Colon:
                if (token == Token.Colon)
                {
                    _expect = Expect.Value;
                }
                else
                {
                    _grammarError = "missing : in object pair";
                }
                break;
            case Expect.ObjectNext:
                if (token == Token.Comma)
                {
                    _expect = Expect.ObjectKey;
                }
                else if (token == Token.RCurly)
                {
                    CloseContainer();
                }
                else
                {
                    _grammarError = "expected separator in dict";
                }
                break;
            case Expect.ArrayNext:
                if (token == Token.Comma)
                {
                    _expect = Expect.Value;
                }
                else if (token == Token.RSquare)
                {
                    CloseContainer();
                }
                else
                {
                    _grammarError = "expected separator in list";
                }
                break;
            default:
                _grammarError = "expecting value";
                break;
        }
    }

    private void Value(Token token)
    {
        switch (token)
        {
            case Token.LCurly:
                _containers.Push(true);
                _expect = Expect.ObjectFirst;
                return;
            case Token.LSquare:
                _containers.Push(false);
                _expect = Expect.ArrayFirst;
                return;
            case Token.Keyword:
                string keyword = _tokenText.ToString();
                if (keyword is not ("true" or "false" or "null"))
                {
                    _grammarError = $"invalid keyword '{keyword}'";
                    return;
                }
                break;
        }
        AfterValue();
    }

    private void CloseContainer()
    {
        _containers.Pop();
        AfterValue();
    }

    private void AfterValue()
    {
        if (_containers.Count == 0)
        {
            _expect = Expect.Done;
        }
        else
        {
            _expect = _containers.Peek() ? Expect.ObjectNext : Expect.ArrayNext;
        }
    }

    // Bytes StepString must look at; everything else in a string is copied as it is.
    private static readonly System.Buffers.SearchValues<byte> StringSpecials = System.Buffers.SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
         0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F,
         (byte)'"', (byte)'\'', (byte)'\\', 0xFE, 0xFF]);

    /// <summary>
    /// Copies the plain bytes at the start of <paramref name="data"/> (inside a string) into the
    /// message and returns how many; 0 when the first byte needs <see cref="StepString"/>, or
    /// when the run would cross the size limit (the byte-wise path reports that at the exact byte).
    /// </summary>
    private int AppendStringRun(ReadOnlySpan<byte> data)
    {
        int run = data.IndexOfAny(StringSpecials);
        if (run < 0)
        {
            run = data.Length;
        }
        if (run == 0 || _skipping || _message is null)
        {
            return run;
        }
        if (_message.WrittenCount + run > _options.MaxMessageSize)
        {
            return 0;
        }
        _message.Write(data[..run]);
        return run;
    }

    private void Append(byte b, List<JsonFrame> output)
    {
        if (_skipping || _message is null)
        {
            return;
        }
        _message.Write(b);
        if (_message.WrittenCount > _options.MaxMessageSize)
        {
            StartSkipping("JSON token size limit exceeded", output);
        }
    }

    /// <summary>
    /// A limit was hit: report it once, drop what was buffered and skip the rest of the
    /// offending value (still lexing, so braces inside strings do not count) rather than
    /// resetting mid-value as QEMU does, which would turn the tail into a burst of errors.
    /// </summary>
    private void StartSkipping(string error, List<JsonFrame> output)
    {
        output.Add(JsonFrame.ForError(error, _offset + 1));
        _skipping = true;
        _message?.Dispose();
        _message = null;
    }

    private void LexicalError(byte b, List<JsonFrame> output)
    {
        string text = b is >= 0x20 and < 0x7F ? ((char)b).ToString() : b < 0x20 ? ((char)b).ToString() : "\uFFFD";
        EmitLexicalError(text, output);
    }

    /// <summary>
    /// Lexical error: QEMU reports "stray" input at once, throws the partial message away,
    /// and the lexer enters recovery.
    /// </summary>
    private void EmitLexicalError(string text, List<JsonFrame> output)
    {
        output.Add(JsonFrame.ForError($"JSON parse error, stray '{text}'", _offset + 1));
        ResetMessage();
        _lex = Lex.Recovery;
    }

    private void ResetMessage()
    {
        _braces = 0;
        _brackets = 0;
        _inMessage = false;
        _skipping = false;
        _message?.Dispose();
        _message = null;
        _grammarError = null;
        _containers.Clear();
        _expect = Expect.Value;
    }

    private static bool IsHex(byte b) =>
        b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    /// <summary>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    private static bool IsValidNumber(StringBuilder s)
    {
        int i = 0;
        int n = s.Length;
        if (i < n && s[i] == '-')
        {
            i++;
        }
        if (i >= n)
        {
            return false;
        }
        if (s[i] == '0')
        {
            i++;
        }
        else if (s[i] is >= '1' and <= '9')
        {
            while (i < n && s[i] is >= '0' and <= '9')
            {
                i++;
            }
        }
        else
        {
            return false;
        }
        if (i < n && s[i] == '.')
        {
            i++;
            int start = i;
            while (i < n && s[i] is >= '0' and <= '9')
            {
                i++;
            }
            if (i == start)
            {
                return false;
            }
        }
        if (i < n && s[i] is 'e' or 'E')
        {
            i++;
            if (i < n && s[i] is '+' or '-')
            {
                i++;
            }
            int start = i;
            while (i < n && s[i] is >= '0' and <= '9')
            {
                i++;
            }
            if (i == start)
            {
                return false;
            }
        }
        return i == n;
    }

    public void Dispose() => ResetMessage();
}
