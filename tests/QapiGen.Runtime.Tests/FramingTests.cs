using System;
using System.Collections.Generic;
using System.IO.Pipelines;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Runtime.Buffers;
using QapiGen.Runtime.Framing;
using Xunit;

namespace QapiGen.Runtime.Tests;

public class FramingTests
{
    /// <summary>Frames as text ("ERR:" + error for error frames), feeding in chunks of <paramref name="chunk"/> bytes.</summary>
    private static List<string> Split(byte[] input, int chunk, JsonFramingOptions? options = null)
    {
        using JsonStreamSplitter splitter = new(options);
        List<JsonFrame> frames = new();
        for (int i = 0; i < input.Length; i += chunk)
        {
            splitter.Feed(input.AsSpan(i, Math.Min(chunk, input.Length - i)), frames);
        }
        splitter.Complete(frames);
        List<string> result = frames.Select(f => f.IsError ? "ERR:" + f.Error : Encoding.UTF8.GetString(f.Json.Span)).ToList();
        frames.ForEach(f => f.Dispose());
        return result;
    }

    private static List<string> Split(string input, JsonFramingOptions? options = null)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(input);
        List<string> whole = Split(bytes, Math.Max(1, bytes.Length), options);
        // Whatever the chunking, the result must be the same: the splitter keeps its state.
        foreach (int chunk in new[] { 1, 2, 3, 7 })
        {
            Assert.Equal(whole, Split(bytes, chunk, options));
        }
        return whole;
    }

    [Fact]
    public void SeveralMessagesOnOneLine()
    {
        Assert.Equal(
            ["{\"execute\":\"a\"}", "{\"execute\":\"b\",\"id\":1}"],
            Split("{\"execute\": \"a\"}{ \"execute\":\"b\", \"id\": 1 }\r\n"));
    }

    [Fact]
    public void OneMessageAcrossLines()
    {
        Assert.Equal(["{\"execute\":\"a\",\"arguments\":{\"x\":[1,2]}}"], Split("{\n  \"execute\": \"a\",\n  \"arguments\": {\"x\": [1,\n 2]}\n}\n"));
    }

    [Fact]
    public void BracesInsideStringsDoNotCount()
    {
        Assert.Equal(["{\"a\":\"}{][\\\"\"}", "{}"], Split("{\"a\": \"}{][\\\"\"} {}"));
    }

    [Fact]
    public void TopLevelScalarsAreMessagesOfTheirOwn()
    {
        Assert.Equal(["42", "\"s\"", "true", "[]"], Split("42 \"s\" true []"));
    }

    [Fact]
    public void SingleQuotedStringsBecomeStandardJson()
    {
        Assert.Equal(["{\"execute\":\"q\",\"id\":\"x'y\\\"z\"}"], Split("{'execute': 'q', 'id': 'x\\'y\"z'}"));
    }

    [Theory]
    [InlineData("{\"execute\": }", "JSON parse error, expecting value")]
    [InlineData("{\"execute\":\"q\" \"id\":7}", "JSON parse error, expected separator in dict")]
    [InlineData("[1 2]", "JSON parse error, expected separator in list")]
    [InlineData("{\"execute\": tru}", "JSON parse error, invalid keyword 'tru'")]
    [InlineData("{\"a\" 1}", "JSON parse error, missing : in object pair")]
    [InlineData("{1: 2}", "JSON parse error, key is not a string in object")]
    [InlineData("}", "JSON parse error, expecting value")]
    [InlineData("]", "JSON parse error, expecting value")]
    [InlineData("@", "JSON parse error, stray '@'")]
    public void GrammarAndLexicalErrorsUseQemuTexts(string input, string error)
    {
        Assert.Equal(["ERR:" + error], Split(input + "\n"));
    }

    [Fact]
    public void LexicalErrorRecoversLikeQemu()
    {
        // Confirmed against QEMU 7.2: after the stray '@' the lexer skips to the next
        // structural character (':'), so the tail produces these three errors.
        Assert.Equal(
            ["ERR:JSON parse error, stray '@'", "ERR:JSON parse error, expecting value", "1", "ERR:JSON parse error, expecting value"],
            Split("{\"execute\":\"query-version\",@ \"id\":1}\n"));
    }

    [Fact]
    public void ControlCharacterResetsAHalfReadMessage()
    {
        // The spec's way to force the parser into a known-good state.
        Assert.Equal(["ERR:JSON parse error, stray '\u0001'", "{\"execute\":\"ok\"}"], Split("{\"execute\": \"x\", \"arguments\": {\u0001\n{\"execute\":\"ok\"}"));
    }

    [Fact]
    public void InvalidByteIsReportedAndSkipped()
    {
        List<string> frames = Split(new byte[] { 0xFF, (byte)'{', (byte)'}', (byte)'\n' }, 1);
        Assert.Equal(["ERR:JSON parse error, stray '\uFFFD'", "{}"], frames);
    }

    [Fact]
    public void OversizedMessageIsReportedOnceAndSkippedWhole()
    {
        JsonFramingOptions options = new() { MaxMessageSize = 64 };
        string big = "{\"execute\":\"x\",\"arguments\":{\"s\":\"" + new string('a', 200) + "}{\" }}";
        List<string> frames = Split(big + " {\"execute\":\"next\"}", options);
        Assert.Equal(["ERR:JSON token size limit exceeded", "{\"execute\":\"next\"}"], frames);
    }

    [Fact]
    public void OversizedMessageOfMultiByteCharactersIsReportedOnce()
    {
        // The limit can fall inside a character: still one error, and the next message is intact.
        JsonFramingOptions options = new() { MaxMessageSize = 64 };
        string big = "{\"execute\":\"x\",\"arguments\":{\"s\":\"" + string.Concat(Enumerable.Repeat("é😀", 40)) + "\"}}";
        Assert.Equal(["ERR:JSON token size limit exceeded", "{\"execute\":\"é\"}"], Split(big + " {\"execute\":\"é\"}", options));
    }

    [Fact]
    public void TooDeepMessageIsReportedOnceAndSkippedWhole()
    {
        JsonFramingOptions options = new() { MaxDepth = 4 };
        string deep = new string('[', 10) + new string(']', 10);
        Assert.Equal(["ERR:JSON nesting depth limit exceeded", "[[[[]]]]"], Split(deep + "[[[[]]]]", options));
    }

    [Fact]
    public void DefaultLimitsAre1MiBAnd64()
    {
        Assert.Equal(1024 * 1024, JsonFramingOptions.Default.MaxMessageSize);
        Assert.Equal(64, JsonFramingOptions.Default.MaxDepth);
        string ok = new string('[', 64) + new string(']', 64);
        Assert.Equal([ok], Split(ok));
        Assert.Equal(["ERR:JSON nesting depth limit exceeded"], Split("[" + ok + "]"));
    }

    /// <summary>Input as bytes: a backslash, x and two hex digits stand for that byte; everything else is ASCII.</summary>
    private static byte[] Bytes(string text)
    {
        List<byte> bytes = new();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x' && char.IsAsciiHexDigit(text[i + 2]) && char.IsAsciiHexDigit(text[i + 3]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 2, 2), 16));
                i += 3;
            }
            else
            {
                bytes.Add((byte)text[i]);
            }
        }
        return [.. bytes];
    }

    /// <summary>Frames of <paramref name="input"/> fed whole and in small chunks (which must agree).</summary>
    private static List<string> SplitBytes(string input)
    {
        byte[] bytes = Bytes(input + "\n");
        List<string> whole = Split(bytes, bytes.Length);
        foreach (int chunk in new[] { 1, 2, 3, 7 })
        {
            Assert.Equal(whole, Split(bytes, chunk));
        }
        return whole;
    }

    // Each row was checked against QEMU 7.2: a malformed number or escape is one error, the
    // whole bad token is quoted, and the byte after it is not lexed again.
    [Theory]
    [InlineData("-}", new[] { "ERR:JSON parse error, stray '-}'" })]
    [InlineData("{\"execute\":\"query-status\",\"id\":1.}", new[] { "ERR:JSON parse error, stray '1.}'" })]
    [InlineData("\"\\x\"", new[] { "ERR:JSON parse error, invalid escape sequence in string" })]
    [InlineData("1--", new[] { "1", "ERR:JSON parse error, stray '--'" })]
    [InlineData("01", new[] { "ERR:JSON parse error, stray '01'" })]
    [InlineData("0e5", new[] { "0", "ERR:JSON parse error, invalid keyword 'e'", "5" })]
    [InlineData("1e+}", new[] { "ERR:JSON parse error, stray '1e+}'" })]
    [InlineData("\"ab\\x01", new[] { "ERR:JSON parse error, stray '\"ab\u0001'" })]
    [InlineData("{\"exe\\xFFcute\"}", new[] { "ERR:JSON parse error, stray '\"exe\uFFFD'", "ERR:JSON parse error, expecting value" })]
    [InlineData("abc\\x00def", new[] { "ERR:JSON parse error, invalid keyword 'abc'", "ERR:JSON parse error, stray ''" })]
    [InlineData("[}", new[] { "ERR:JSON parse error, expecting value" })]
    [InlineData("[}]", new[] { "ERR:JSON parse error, expecting value", "ERR:JSON parse error, expecting value" })]
    public void MalformedTokensGiveQemusErrorsAndCounts(string input, string[] frames)
    {
        Assert.Equal(frames, SplitBytes(input));
    }

    // QEMU parses whatever stands in a key's place as a value first, so errors inside it come first.
    [Theory]
    [InlineData("{{\"a\" 1}:2}", "missing : in object pair")]
    [InlineData("{{\"a\":1}:2}", "key is not a string in object")]
    [InlineData("{[1 2]:2}", "expected separator in list")]
    [InlineData("{tru:1}", "invalid keyword 'tru'")]
    [InlineData("{true:1}", "key is not a string in object")]
    [InlineData("{\"\\x\":1}", "invalid escape sequence in string")]
    [InlineData("{\"a\" \"\\x\"}", "missing : in object pair")]
    [InlineData("[1,\"\\x\" 2]", "invalid escape sequence in string")]
    public void KeysAreParsedAsValuesFirst(string input, string error)
    {
        Assert.Equal(["ERR:JSON parse error, " + error], SplitBytes(input));
    }

    // Invalid, overlong and surrogate UTF-8, noncharacters, and \u escapes naming no character:
    // QEMU's texts, whether in a key, an id or an argument (checked against QEMU 7.2).
    [Theory]
    [InlineData("\\xC3", "invalid UTF-8 sequence in string")]
    [InlineData("\\xC3(", "invalid UTF-8 sequence in string")]
    [InlineData("\\xC0\\xAF", "invalid UTF-8 sequence in string")]
    [InlineData("\\xE0\\x80\\x80", "invalid UTF-8 sequence in string")]
    [InlineData("\\xED\\xA0\\x80", "invalid UTF-8 sequence in string")]
    [InlineData("\\xEF\\xBF\\xBF", "invalid UTF-8 sequence in string")]
    [InlineData("\\xF4\\x90\\x80\\x80", "invalid UTF-8 sequence in string")]
    [InlineData("\\xF8\\x88\\x80\\x80\\x80", "invalid UTF-8 sequence in string")]
    [InlineData("\\x80", "invalid UTF-8 sequence in string")]
    [InlineData("\\ud800", "\\ud800 is not a valid Unicode character")]
    [InlineData("\\uDC00", "\\uDC00 is not a valid Unicode character")]
    [InlineData("\\ud800\\u0041", "\\ud800 is not a valid Unicode character")]
    [InlineData("\\ud800\\\\", "\\ud800 is not a valid Unicode character")]
    [InlineData("\\ud83f\\udffe", "\\ud83f\\udffe is not a valid Unicode character")]
    [InlineData("\\uFFFF", "\\uFFFF is not a valid Unicode character")]
    [InlineData("\\ufdd0", "\\ufdd0 is not a valid Unicode character")]
    [InlineData("\\u12", "\\u12\" is not a valid Unicode character")]
    [InlineData("\\u123\\xC3\\xA9", "\\u123\uFFFD is not a valid Unicode character")]
    [InlineData("\\q", "invalid escape sequence in string")]
    public void BadStringContentsGetQemusTexts(string contents, string error)
    {
        string expected = "ERR:JSON parse error, " + error;
        Assert.Equal([expected], SplitBytes("{\"id\":\"" + contents + "\",\"execute\":\"x\"}"));
        Assert.Equal([expected], SplitBytes("{\"execute\":\"x\",\"arguments\":{\"s\":\"" + contents + "\"}}"));
        Assert.Equal([expected], SplitBytes("{\"" + contents + "\":1}"));
    }

    [Fact]
    public void LongParseErrorsAreCutAsQemuCutsThem()
    {
        // QEMU formats the text after "JSON parse error, " into 1024 bytes: 1023 characters stay.
        string keyword = new('a', 2000);
        string error = Assert.Single(SplitBytes("{\"a\":" + keyword + "}"));
        Assert.Equal("ERR:JSON parse error, " + ("invalid keyword '" + keyword)[..1023], error);
    }

    [Fact]
    public void ValidStringsBecomeStandardJsonWithValidUtf8()
    {
        // "\xC0\x80" is QEMU's U+0000; a surrogate pair and raw UTF-8 stay as they are.
        List<string> frames = SplitBytes("{\"id\":\"\\xC0\\x80\\u0000\\ud83d\\ude00\\xC3\\xA9\\xF0\\x9F\\x98\\x80\"}");
        Assert.Equal(["{\"id\":\"\\u0000\\u0000\\ud83d\\ude00é😀\"}"], frames);
        Assert.Equal(["\"it's \\\"q\\\"\""], SplitBytes("'it\\'s \"q\"'"));
    }

    [Fact]
    public void EndOffsetPointsPastTheMessage()
    {
        using JsonStreamSplitter splitter = new();
        List<JsonFrame> frames = new();
        splitter.Feed("  {\"a\":1}\n{}"u8, frames);
        Assert.Equal([9L, 12L], frames.Select(f => f.EndOffset));
        frames.ForEach(f => f.Dispose());
    }

    [Fact]
    public async Task ReaderOverPipeYieldsFramesThenNull()
    {
        Pipe pipe = new();
        using JsonMessageReader reader = new(pipe.Reader);
        await pipe.Writer.WriteAsync("{\"a\":"u8.ToArray());
        ValueTask<JsonFrame?> pending = reader.ReadAsync(default);
        Assert.False(pending.IsCompleted);
        await pipe.Writer.WriteAsync("1}[2]"u8.ToArray());
        await pipe.Writer.CompleteAsync();
        using (JsonFrame? first = await pending)
        {
            Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(first!.Json.Span));
        }
        using (JsonFrame? second = await reader.ReadAsync(default))
        {
            Assert.Equal("[2]", Encoding.UTF8.GetString(second!.Json.Span));
        }
        Assert.Null(await reader.ReadAsync(default));
    }

    [Fact]
    public void WriterTerminatesWithCrlfAndEscapesLikeQemu()
    {
        JsonMessageWriter writer = new();
        Utf8JsonWriter w = writer.Begin();
        w.WriteStartObject();
        w.WriteString("desc", "with 'x' <&> é \u0001 😀");
        w.WriteEndObject();
        using PooledBufferWriter buffer = writer.Finish();
        Assert.Equal("{\"desc\":\"with 'x' <&> \\u00E9 \\u0001 \\uD83D\\uDE00\"}\r\n", Encoding.ASCII.GetString(buffer.WrittenSpan));
    }
}
