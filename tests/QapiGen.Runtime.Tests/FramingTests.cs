using System;
using System.Collections.Generic;
using System.IO.Pipelines;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
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
        var w = writer.Begin();
        w.WriteStartObject();
        w.WriteString("desc", "with 'x' <&> é \u0001 😀");
        w.WriteEndObject();
        using var buffer = writer.Finish();
        Assert.Equal("{\"desc\":\"with 'x' <&> \\u00E9 \\u0001 \\uD83D\\uDE00\"}\r\n", Encoding.ASCII.GetString(buffer.WrittenSpan));
    }
}
