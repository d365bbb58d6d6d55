using System;
using System.Collections.Generic;

namespace QapiGen.Runtime.Framing;

/// <summary>
/// Splits a byte stream into top-level JSON values the way QEMU's json-lexer, json-streamer and
/// json-parser do, so that clients get the same replies, as many and in the same order, for
/// the same (bad) input.
/// </summary>
/// <remarks>
/// <para>Why a hand-written lexer and not <c>Utf8JsonReader</c> alone: QMP framing is defined
/// by QEMU's behaviour, not by RFC 8259. The work is cut as QEMU cuts it, one partial file each:</para>
/// <list type="bullet">
/// <item><b>Lexer</b> (json-lexer.c): QEMU's state machine, with its token boundaries. A byte
/// that cannot continue a token joins it and the whole token is reported at once as "stray"
/// (<c>-}</c> is one error, not two); terminal states (a complete number or keyword) look at
/// the next byte without taking it. After an error the lexer skips input up to a structural
/// character, a control character other than tab, or 0xFE/0xFF (the spec's "Forcing the JSON
/// parser into known-good state"). QEMU's single-quoted strings and <c>\'</c> are accepted.</item>
/// <item><b>Strings</b> (json-parser.c's parse_string): escapes, \u code points and surrogate
/// pairs, and the bytes' UTF-8 are checked as the string is lexed, so that each string token
/// carries its first error in QEMU's words.</item>
/// <item><b>Streamer</b> (json-streamer.c): a message ends when its braces and brackets
/// balance (counted on tokens, so braces inside strings do not count; a stray <c>}</c> is a
/// message of its own); it applies the size and nesting limits.</item>
/// <item><b>Grammar</b> (json-parser.c): QEMU's recursive descent run token by token with an
/// explicit stack, so the first error it would meet, and only that one, is reported once the
/// message balances.</item>
/// </list>
/// <para>Each message is rewritten into standard JSON that <c>System.Text.Json</c> then parses:
/// valid UTF-8, standard escapes only, no lone surrogates, insignificant
/// whitespace dropped.</para>
/// <para>The splitter is synchronous and keeps its state between <see cref="Feed"/> calls, so
/// the pipe reader can always advance past everything it has seen: no byte is scanned twice,
/// and the result does not depend on how the input is chunked.</para>
/// </remarks>
internal sealed partial class JsonStreamSplitter : IDisposable
{
    private readonly JsonFramingOptions _options;

    private long _offset;

    public JsonStreamSplitter(JsonFramingOptions? options = null)
    {
        _options = options ?? JsonFramingOptions.Default;
        _options.Validate();
        _parents = new Expect[_options.MaxDepth + 1];
    }

    /// <summary>Total number of bytes fed so far.</summary>
    public long Offset => _offset;

    /// <summary>Consumes <paramref name="data"/>; appends each completed frame to <paramref name="output"/>.</summary>
    public void Feed(ReadOnlySpan<byte> data, List<JsonFrame> output)
    {
        int i = 0;
        while (i < data.Length)
        {
            if (InPlainStringContent)
            {
                // Most of a request is string contents, which need no per-byte state: copy the
                // run up to the next byte that does (a quote, an escape, non-ASCII, a byte to reject).
                int run = AppendStringRun(data[i..]);
                i += run;
                _offset += run;
                if (i == data.Length)
                {
                    break;
                }
            }
            // Each step either consumes the byte (returns true) or re-examines it in a new
            // state (look-ahead at the end of numbers and keywords, or after recovery).
            if (Step(data[i], output))
            {
                i++;
                _offset++;
            }
        }
    }

    /// <summary>End of input: a pending number or keyword completes; a partial message is dropped.</summary>
    public void Complete(List<JsonFrame> output)
    {
        if (_lex is Lex.Zero or Lex.Digits or Lex.MantissaDigits or Lex.ExpDigits or Lex.Keyword)
        {
            EndScalar(output);
        }
        ResetMessage();
        _lex = Lex.Start;
    }

    public void Dispose() => ResetMessage();
}
