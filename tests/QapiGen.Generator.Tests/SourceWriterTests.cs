using System;
using System.IO;
using System.Text;
using QapiGen.CodeGen;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// An emitter's text between its header and footer is copied out once: the texts of QEMU's schema
/// are megabytes, and header + text + footer as a concatenation copied them twice. A writer into a
/// stream writes the same text as UTF-8 through reused buffers, with no string of it.
/// </summary>
public sealed class SourceWriterTests
{
    private static SourceWriter Large()
    {
        var w = new SourceWriter { Indent = 1 };
        for (int i = 0; i < 40_000; i++)
        {
            w.Open($"public sealed class C{i}").Line("public int Value { get; init; }").Close();
        }
        return w;
    }

    [Fact]
    public void TheWrappedTextIsHeaderTextAndFooter()
    {
        const string Header = "// header\nnamespace N\n{\n", Footer = "}\n";
        string expected = Header + Large() + Footer;
        Assert.Equal(expected, Large().ToString(Header, Footer));
        Assert.Equal("h\n    x\nf", new SourceWriter { Indent = 1 }.Line("x").ToString("h\n", "f"));
    }

    [Fact]
    public void TheWrappedTextIsCopiedOnce()
    {
        SourceWriter w = Large();
        int chars = w.ToString().Length;
        long before = GC.GetAllocatedBytesForCurrentThread();
        string text = w.ToString("// header\n", "}\n");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(chars > 1_000_000);
        // One string of two bytes per character, and a little for the header's chunk.
        Assert.True(allocated < text.Length * 2L + 64 * 1024, $"{allocated} bytes allocated for {text.Length} characters");
    }

    [Fact]
    public void AnInterpolatedLineIsTheLineOfItsText()
    {
        string empty = "", name = "Value";
        int n = -3;
        var w = new SourceWriter { Indent = 2 };
        w.Line($"{empty}").Line($"int {name}{n} = {'c'}, {1.5:F2};").Open($"class {name}").Close(";");
        var expected = new SourceWriter { Indent = 2 };
        expected.Line("").Line("int Value" + n.ToString() + " = c, " + 1.5.ToString("F2") + ";").Open("class Value").Close(";");
        Assert.Equal(expected.ToString(), w.ToString());
    }

    [Fact]
    public void PrefixedLinesPrefixEachLineOrMarkAnEmptyOne()
    {
        var w = new SourceWriter { Indent = 1 };
        w.PrefixedLines("<summary>\n\nText\n</summary>", "/// ", "///");
        Assert.Equal("    /// <summary>\n    ///\n    /// Text\n    /// </summary>\n", w.ToString());
        Assert.Equal("x\n\n", new SourceWriter().PrefixedLines("x\n", "", "").ToString());
    }

    [Fact]
    public void AnInterpolatedLineAllocatesNothingButTheWritersText()
    {
        var w = new SourceWriter { Indent = 1 };
        string name = "member", loc = "m";
        w.Line($"case {0}: {name} = {loc}{0};"); // the writer's first chunk
        int start = w.ToString().Length;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            w.Line($"case {i}: {name} = {loc}{i};");
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        int chars = w.ToString().Length - start;
        // The builder's chunks only (two bytes a character, chunk objects); a string per line (and a
        // string per number) would be twice that and more.
        Assert.True(allocated < chars * 2L + 16 * 1024, $"{allocated} bytes allocated for {chars} characters");
    }

    [Fact]
    public void ALiteralLineIsTheLineOfTheLiteral()
    {
        string text = "{\"name\": \"a\\b\"}\n\t\u00e9";
        var w = new SourceWriter { Indent = 1 };
        w.LiteralLine("x = ", text, "u8;");
        Assert.Equal(new SourceWriter { Indent = 1 }.Line("x = " + CsNames.Literal(text) + "u8;").ToString(), w.ToString());
        Assert.Equal("    x = \"{\\\"name\\\": \\\"a\\\\b\\\"}\\n\\t\\u00e9\"u8;\n", w.ToString());
    }

    // Every kind of write, many times over (the stream gets many pieces), with text outside ASCII: a
    // two-byte and a three-byte character, a pair of surrogates, and an unpaired surrogate ending a line.
    private static void WriteAll(SourceWriter w)
    {
        w.Raw("// header \u00e9\n");
        w.Indent = 1;
        for (int i = 0; i < 3_000; i++)
        {
            w.Open($"public sealed class C{i} // \u20ac {'\u00e9'}").Line("int \ud83d\ude00 = 1;").Line($"// odd \ud83d");
            w.If(i % 2 == 0 ? CondSpec.Name("CONFIG_" + i) : null).PrefixedLines("a\n\nb \u00e9", "/// ", "///").EndIf(i % 2 == 0 ? CondSpec.Name("X") : null);
            w.Directive("#region r").Line().Lines("x\r\ny").Close(";");
        }
        w.LiteralLine("x = ", new string('\u00e9', 40_000) + "\"\n\ud83d\ude00", "u8;");
        w.Raw("}\n");
    }

    [Fact]
    public void AWriterIntoAStreamWritesTheUtf8OfTheText()
    {
        var text = new SourceWriter();
        WriteAll(text);
        var bytes = new MemoryStream();
        var utf8 = new SourceWriter(bytes);
        WriteAll(utf8);
        utf8.Flush();
        // What File.WriteAllText writes of the string: UTF-8, no byte order mark, U+FFFD for an unpaired surrogate.
        byte[] expected = new UTF8Encoding(false).GetBytes(text.ToString());
        Assert.True(expected.Length > 200_000);
        Assert.Equal(expected, bytes.ToArray());
    }

    [Fact]
    public void AWriterIntoAStreamHoldsNoText()
    {
        var w = new SourceWriter(Stream.Null);
        w.Line("x");
        Assert.Throws<InvalidOperationException>(() => w.ToString());
        Assert.Throws<InvalidOperationException>(() => w.ToString("h", "f"));
    }

    [Fact]
    public void AWriterIntoAStreamAllocatesItsBuffersOnly()
    {
        var w = new SourceWriter(Stream.Null);
        WriteAll(w); // the buffers, at their largest
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 40_000; i++)
        {
            w.Open($"public sealed class C{i}").Line("public int Value { get; init; }").Close();
        }
        w.Flush();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // 2.5 MB of text: a writer of a string holds all of it (5 MB as UTF-16).
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated");
    }
}
