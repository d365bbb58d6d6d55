using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using QapiGen.Runtime.Buffers;

namespace QapiGen.Runtime.Framing;

// The streamer: QEMU's json-streamer.c. Tokens accumulate into a message until its braces and
// brackets balance; then the grammar's verdict is the message or its error.
internal sealed partial class JsonStreamSplitter
{
    private int _braces;
    private int _brackets;
    private bool _inMessage;
    private bool _skipping;
    private PooledBufferWriter? _message;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void BeginMessageIfNeeded()
    {
        if (_inMessage)
        {
            return;
        }
        _inMessage = true;
        _message = new PooledBufferWriter(256);
        ResetGrammar();
    }

    /// <summary>A complete token: count nesting, apply limits, check grammar, complete the message.</summary>
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
            else if (_grammarError is null)
            {
                Grammar(token);
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
                output.Add(JsonFrame.ForError(_grammarError, _offset + 1));
            }
            else if (_message is not null)
            {
                output.Add(JsonFrame.ForMessage(_message, _offset + 1));
                _message = null;
            }
        }
        ResetMessage();
    }

    /// <summary>
    /// Copies the plain bytes at the start of <paramref name="data"/> (inside a string) into the
    /// message and returns how many; 0 when the first byte needs the per-byte path. A run stops
    /// at the size limit, so that the per-byte path reports the limit at the exact byte.
    /// </summary>
    private int AppendStringRun(ReadOnlySpan<byte> data)
    {
        int run = PlainStringRun(data);
        if (run == 0 || _skipping || _message is null)
        {
            return run;
        }
        run = Math.Min(run, _options.MaxMessageSize - _message.WrittenCount);
        if (run <= 0)
        {
            return 0;
        }
        _message.Write(data[..run]);
        return run;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    private void ResetMessage()
    {
        _braces = 0;
        _brackets = 0;
        _inMessage = false;
        _skipping = false;
        _message?.Dispose();
        _message = null;
        ResetGrammar();
    }
}
