using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace QapiGen.Runtime.Framing;

// String contents: QEMU's parse_string (json-parser.c), run on the raw bytes while the lexer
// takes them, so that a string token comes out with its first error, in QEMU's words, or valid.
internal sealed partial class JsonStreamSplitter
{
    private enum Str : byte
    {
        Normal,
        Utf8,           // inside a multi-byte sequence
        Escape,         // after a backslash
        Hex,            // the four raw bytes after \u
        PairBackslash,  // after a high surrogate: a low one must follow as \uXXXX
        PairU,
        PairHex,
        Failed,         // the first error is recorded; the rest of the string is only lexed
    }

    private Str _str;
    private int _strPending;     // continuation bytes still expected, or hex digits read
    private int _strSequence;    // length of the multi-byte sequence being read
    private int _strValue;       // the code point being read
    private int _strHigh;        // the high surrogate waiting for its pair
    private int _strEscapeStart; // message offset of the backslash of the current \u escape
    private int _strQuoteLength; // how much of the escape a "not a valid Unicode character" error quotes
    private bool _strRewrite;    // single quotes, \' or "\xC0\x80": not standard JSON as it is
    private string? _strError;   // the string's first error, without "JSON parse error, "

    /// <summary>True where <see cref="AppendStringRun"/> may copy plain ASCII without looking at it.</summary>
    private bool InPlainStringContent
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _lex is Lex.DqString or Lex.SqString && _str is Str.Normal or Str.Failed;
    }

    private void BeginStringContent(byte quote)
    {
        _str = Str.Normal;
        _strRewrite = quote == (byte)'\'';
        _strError = null;
    }

    /// <summary>One raw byte between the quotes (already appended to the message).</summary>
    private void StringContent(byte b)
    {
        switch (_str)
        {
            case Str.Normal:
                if (b == (byte)'\\')
                {
                    _str = Str.Escape;
                }
                else if (b == (byte)'"')
                {
                    _strRewrite = true; // only reachable in a single-quoted string
                }
                else if (b >= 0x80)
                {
                    if (b >= 0xFE || (b & 0x40) == 0)
                    {
                        Fail("invalid UTF-8 sequence in string");
                        return;
                    }
                    _strSequence = QemuUtf8.SequenceLength(b);
                    _strPending = _strSequence - 1;
                    _strValue = b & (0x7F >> _strSequence);
                    _str = Str.Utf8;
                }
                return;
            case Str.Utf8:
                if ((b & 0xC0) != 0x80)
                {
                    Fail("invalid UTF-8 sequence in string");
                    return;
                }
                _strValue = (_strValue << 6) | (b & 0x3F);
                if (--_strPending > 0)
                {
                    return;
                }
                if (!QemuUtf8.IsValidSequenceValue(_strValue, _strSequence))
                {
                    Fail("invalid UTF-8 sequence in string");
                    return;
                }
                _strRewrite |= _strValue == 0; // "\xC0\x80", QEMU's encoding of U+0000
                _str = Str.Normal;
                return;
            case Str.Escape:
                switch (b)
                {
                    case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                        _str = Str.Normal;
                        return;
                    case (byte)'\'':
                        _strRewrite = true;
                        _str = Str.Normal;
                        return;
                    case (byte)'u':
                        _strEscapeStart = (_message?.WrittenCount ?? 2) - 2;
                        _strValue = 0;
                        _strPending = 0;
                        _str = Str.Hex;
                        return;
                    default:
                        Fail("invalid escape sequence in string");
                        return;
                }
            case Str.Hex:
                if (!TryHex(b))
                {
                    FailUnicode(6);
                    return;
                }
                if (_strPending < 4)
                {
                    return;
                }
                if (_strValue is >= 0xD800 and <= 0xDBFF)
                {
                    _strHigh = _strValue;
                    _str = Str.PairBackslash;
                    return;
                }
                if (!QemuUtf8.IsValidCodepoint(_strValue))
                {
                    FailUnicode(6);
                    return;
                }
                _str = Str.Normal;
                return;
            case Str.PairBackslash:
                if (b != (byte)'\\')
                {
                    FailUnicode(6);
                    return;
                }
                _str = Str.PairU;
                return;
            case Str.PairU:
                if (b != (byte)'u')
                {
                    FailUnicode(6);
                    return;
                }
                _strValue = 0;
                _strPending = 0;
                _str = Str.PairHex;
                return;
            case Str.PairHex:
                if (!TryHex(b))
                {
                    FailUnicode(6);
                    return;
                }
                if (_strPending < 4)
                {
                    return;
                }
                if (_strValue is not (>= 0xDC00 and <= 0xDFFF))
                {
                    FailUnicode(6);
                    return;
                }
                int cp = 0x10000 + ((_strHigh & 0x3FF) << 10) + (_strValue & 0x3FF);
                if (!QemuUtf8.IsValidCodepoint(cp))
                {
                    FailUnicode(12); // a noncharacter: QEMU quotes both escapes
                    return;
                }
                _str = Str.Normal;
                return;
            default:
                return;
        }
    }

    private bool TryHex(byte b)
    {
        int digit = b switch
        {
            >= (byte)'0' and <= (byte)'9' => b - '0',
            >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
            _ => -1,
        };
        if (digit < 0)
        {
            return false;
        }
        _strValue = (_strValue << 4) | digit;
        _strPending++;
        return true;
    }

    private void Fail(string error)
    {
        _strError = error;
        _str = Str.Failed;
    }

    /// <summary>
    /// A \u escape names no valid character. QEMU quotes the escape's raw bytes from its
    /// backslash (6, or 12 for a surrogate pair), cut at the end of the token; the text is made
    /// when the string ends, as those bytes may not have arrived yet.
    /// </summary>
    private void FailUnicode(int quoteLength)
    {
        _strQuoteLength = quoteLength;
        _strError = "";
        _str = Str.Failed;
    }

    /// <summary>The closing quote was appended: finish the string's check, make it standard JSON.</summary>
    private void EndStringContent(List<JsonFrame> output)
    {
        switch (_str)
        {
            case Str.Utf8:
                Fail("invalid UTF-8 sequence in string");
                break;
            case Str.Hex or Str.PairBackslash or Str.PairU or Str.PairHex:
                FailUnicode(6); // the closing quote is not what the escape needed
                break;
        }
        if (_message is null)
        {
            return; // skipping an oversized message: nothing of it is reported
        }
        if (_strError == "")
        {
            ReadOnlySpan<byte> token = _message.WrittenSpan;
            int end = Math.Min(_strEscapeStart + _strQuoteLength, token.Length);
            _strError = QemuUtf8.Display(token[_strEscapeStart..end]) + " is not a valid Unicode character";
        }
        if (_strError is null && _strRewrite)
        {
            RewriteString(output);
        }
    }

    /// <summary>
    /// Rewrites the (valid) string token just lexed into standard JSON: double quotes, \' as a
    /// bare apostrophe, a bare double quote escaped, "\xC0\x80" as \u0000.
    /// </summary>
    private void RewriteString(List<JsonFrame> output)
    {
        Buffers.PooledBufferWriter message = _message!;
        int start = _tokenStart;
        int length = message.WrittenCount - start;
        byte[] raw = ArrayPool<byte>.Shared.Rent(length);
        message.WrittenSpan[start..].CopyTo(raw);
        message.Truncate(start);
        message.Write((byte)'"');
        for (int i = 1; i < length - 1; i++)
        {
            byte c = raw[i];
            if (c == (byte)'\\')
            {
                byte escaped = raw[++i];
                if (escaped != (byte)'\'')
                {
                    message.Write((byte)'\\');
                }
                message.Write(escaped);
            }
            else if (c == (byte)'"')
            {
                message.Write("\\\""u8);
            }
            else if (c == 0xC0)
            {
                message.Write("\\u0000"u8); // a valid string has 0xC0 only in "\xC0\x80"
                i++;
            }
            else
            {
                message.Write(c);
            }
        }
        message.Write((byte)'"');
        ArrayPool<byte>.Shared.Return(raw);
        if (message.WrittenCount > _options.MaxMessageSize)
        {
            StartSkipping("JSON token size limit exceeded", output);
        }
    }

    /// <summary>
    /// How many bytes at the start of <paramref name="data"/> (string contents, the check in its
    /// normal state) need no look: ASCII other than quotes, backslash and control characters,
    /// and whole valid UTF-8 sequences (not "\xC0\x80", which is rewritten).
    /// </summary>
    private int PlainStringRun(ReadOnlySpan<byte> data)
    {
        int i = 0;
        while (true)
        {
            int run = StringSpecials.IndexOf(data[i..]);
            if (run < 0)
            {
                return data.Length;
            }
            i += run;
            if (data[i] < 0x80 || _str != Str.Normal)
            {
                return i;
            }
            // A sequence cut by the end of the data decodes as invalid: the per-byte path takes it.
            if (QemuUtf8.Decode(data[i..], out int length) <= 0)
            {
                return i;
            }
            i += length;
        }
    }
}
